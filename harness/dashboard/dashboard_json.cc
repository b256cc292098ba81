#include "harness/dashboard/dashboard_json.h"

#include <fmt/format.h>

#include "harness/report/instant_text.h"
#include "harness/report/report_timeline.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

json fields_json(const std::vector<Field>& fields) {
  json out = json::object();
  for (const auto& f : fields) out[f.key] = cut_utf8(f.value, kFieldBytesMax);
  return out;
}

std::string plain_label(const Event& e) {
  std::string label = e.name;
  for (const char* key : {"app", "ref", "tag", "number", "sha", "status", "result", "project"}) {
    const std::string& value = e.field(key);
    if (!value.empty()) label += fmt::format(" {}={}", key, value);
  }
  return cut_utf8(label, kFieldBytesMax);
}

}  // namespace

json event_json(const Event& e) {
  const auto entry = report::timeline_entry(e);
  return {{"seq", e.seq},
          {"at", report::format_instant(e.at)},
          {"time", report::format_time_of_day(e.at)},
          {"plane", e.plane == Plane::control ? "control" : "data"},
          {"component", e.component},
          {"name", e.name},
          {"kind", entry ? entry->kind : "event"},
          {"label", entry ? cut_utf8(entry->label, kFieldBytesMax) : plain_label(e)},
          {"fields", fields_json(e.fields)}};
}

json violation_json(const rules::Violation& v) {
  return {{"rule", v.rule},
          {"description", rules::describe(v.rule)},
          {"at", report::format_instant(v.at)},
          {"time", report::format_time_of_day(v.at)},
          {"summary", cut_utf8(v.summary, 4 * kFieldBytesMax)},
          {"evidence", fields_json(v.evidence)},
          {"events", v.events},
          {"key", violation_key(v)}};
}

std::string violation_key(const rules::Violation& v) {
  return fmt::format("{}|{}|{}", v.rule, v.at.time_since_epoch().count(), v.summary);
}

json chart_json(const report::Chart& chart) {
  return {{"id", chart.id}, {"title", chart.title}, {"svg", report::render_svg_chart(chart)}};
}

std::string mask_url_credentials(std::string_view text) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto scheme = text.find("://", at);
    if (scheme == std::string_view::npos) break;
    const auto authority = scheme + 3;
    const auto end = text.find_first_of("/?# \"'", authority);
    const auto userinfo_end = text.rfind('@', end == std::string_view::npos ? text.size() : end);
    out.append(text.substr(at, authority - at));
    at = authority;
    if (userinfo_end == std::string_view::npos || userinfo_end < authority) continue;
    const auto userinfo = text.substr(authority, userinfo_end - authority);
    const auto colon = userinfo.find(':');
    // user:password@ keeps the user; a lone key@ (a DSN) is the secret itself.
    out +=
        colon == std::string_view::npos ? "***" : std::string(userinfo.substr(0, colon)) + ":***";
    at = userinfo_end;
  }
  out.append(text.substr(at));
  return out;
}

std::string mask_variable_value(std::string_view name, std::string_view value) {
  if (EventLog::is_secret_key(name)) return "[masked]";
  return cut_utf8(mask_url_credentials(value), kFieldBytesMax);
}

std::string dump_line(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mepsim::dashboard
