#include "harness/dashboard/load_report_dashboard.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "harness/dashboard/dashboard_json.h"
#include "harness/report/report_timeline.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

Result<std::int64_t> integer_at(const json& item, const char* key, const std::string& where) {
  const auto found = item.find(key);
  if (found == item.end()) return field_error(where + "." + key, "missing");
  if (!found->is_number_integer() || found->get<std::int64_t>() < 0) {
    return field_error(where + "." + key, "a count is expected");
  }
  return found->get<std::int64_t>();
}

Result<double> number_at(const json& item, const char* key, const std::string& where) {
  const auto found = item.find(key);
  if (found == item.end()) return field_error(where + "." + key, "missing");
  if (!found->is_number()) return field_error(where + "." + key, "a number is expected");
  return found->get<double>();
}

std::size_t status_class_of(int code) {
  return code >= 200 && code <= 599 ? static_cast<std::size_t>(code / 100 - 2) : 4;
}

// Phases by the second they began in, from the report's per_phase {name: {start_s}}.
std::map<double, std::string> phase_starts(const json& report) {
  std::map<double, std::string> out;
  const auto phases = report.value("per_phase", json::object());
  if (!phases.is_object()) return out;
  for (const auto& [name, phase] : phases.items()) {
    if (phase.is_object() && phase.contains("start_s") && phase["start_s"].is_number()) {
      out[phase["start_s"].get<double>()] = name;
    }
  }
  return out;
}

std::string phase_at(const std::map<double, std::string>& starts, std::int64_t second) {
  auto after = starts.lower_bound(static_cast<double>(second + 1));
  return after == starts.begin() ? "" : std::prev(after)->second;
}

Result<LoadSecond> second_of(const json& item, const std::string& where) {
  if (!item.is_object()) return field_error(where, "an object is expected");
  LoadSecond s;
  for (auto [key, into] :
       {std::pair{"t_s", &s.second}, std::pair{"requests", &s.requests},
        std::pair{"errors", &s.errors}, std::pair{"session_losses", &s.session_losses}}) {
    auto n = integer_at(item, key, where);
    if (!n) return n.error();
    *into = n.value();
  }
  const auto status = item.find("status");
  if (status == item.end() || !status->is_object()) {
    return field_error(where + ".status", "an object of counts by code is expected");
  }
  std::int64_t answered = 0;
  for (const auto& [code_text, count] : status->items()) {
    int code = 0;
    const auto [end, ec] =
        std::from_chars(code_text.data(), code_text.data() + code_text.size(), code);
    if (ec != std::errc() || end != code_text.data() + code_text.size() ||
        !count.is_number_integer()) {
      return field_error(where + ".status." + code_text, "a count by HTTP code is expected");
    }
    if (code == 0) continue;  // transport errors: `errors`
    s.status[status_class_of(code)] += count.get<std::int64_t>();
    answered += count.get<std::int64_t>();
  }
  for (auto [key, into] : {std::pair{"p50_ms", &s.p50_ms}, std::pair{"p90_ms", &s.p90_ms},
                           std::pair{"p99_ms", &s.p99_ms}}) {
    auto ms = number_at(item, key, where);
    if (!ms) return ms.error();
    // A second without an answer has no latency: the line breaks rather than dips to 0.
    if (answered > 0) *into = ms.value();
  }
  return s;
}

json toggle_markers(const json& report) {
  json out = json::array();
  const auto toggles = report.value("toggles", json::array());
  if (!toggles.is_array()) return out;
  for (const auto& t : toggles) {
    if (!t.is_object() || !t.contains("restart_at_s") || !t["restart_at_s"].is_number()) continue;
    const std::string mode = t.value("mode", "");
    const std::string kind = mode == "banner" ? "banner" : "maintenance";
    out.push_back({{"t_s", t["restart_at_s"].get<double>()},
                   {"kind", kind},
                   {"label", cut_utf8(mode + " (" + t.value("phase", "") + ")", kFieldBytesMax)},
                   {"color", std::string(report::kind_color(kind))}});
  }
  return out;
}

}  // namespace

bool is_load_report(const json& document) {
  return document.is_object() && document.contains("latency_histogram");
}

Result<std::vector<LoadPoint>> load_report_points(const json& r) {
  const auto series = r.find("series");
  if (series == r.end() || !series->is_array()) {
    return field_error("series", "an array of seconds is expected");
  }
  const auto starts = phase_starts(r);
  std::vector<LoadPoint> out;
  for (std::size_t i = 0; i < series->size(); ++i) {
    auto s = second_of((*series)[i], fmt::format("series[{}]", i));
    if (!s) return s.error();
    s->phase = cut_utf8(phase_at(starts, s->second), kLoadPhaseBytesMax);
    out.push_back({static_cast<double>(s->second), std::move(s).value()});
  }
  // The lost writes are known for the whole run: the last second carries them.
  const auto writes = r.value("writes", json::object());
  if (!out.empty() && writes.is_object() && writes.contains("lost") &&
      writes["lost"].is_number_integer()) {
    out.back().second.lost_writes = writes["lost"].get<std::int64_t>();
  }
  return out;
}

Result<std::string> load_report_snapshot_json(const json& r) try {
  auto points = load_report_points(r);
  if (!points) return points.error();
  const std::string name = r.value("name", "load");
  json seconds = json::array();
  for (const auto& p : points.value()) seconds.push_back(load_point_json(p));
  json scenario = {
      {"name", name},
      {"description", fmt::format("{} loop on {}", r.value("mode", ""), r.value("target", ""))},
      {"passed", true},
      {"steps", json::array()},
      {"timeline", json::array()},
      {"violations", json::array()},
      {"charts", json::array()},
      {"note", "The load's own seconds: time is since its start."},
      {"markers", toggle_markers(r)},
      {"loads", json::array({{{"name", name}, {"seconds", std::move(seconds)}}})},
      {"measurements", json::object()}};
  json header = {{"title", "mepsim load report"},
                 {"version", "mepsim load"},
                 {"requests", r.value("requests", json())},
                 {"duration_s", r.value("duration_s", json())}};
  return dump_line({{"mode", "report"},
                    {"header", std::move(header)},
                    {"state", nullptr},
                    {"scenarios", json::array({std::move(scenario)})}});
} catch (const json::exception& e) {
  return make_error(ErrorCode::invalid_input, std::string("not a load report: ") + e.what());
}

}  // namespace mepsim::dashboard
