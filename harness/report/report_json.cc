// The run report as JSON: everything the model holds, so that `mepsim report` can write the
// JUnit and HTML forms again from a saved run. Reading back gives the very same model.

#include <charconv>
#include <stdexcept>

#include "harness/report/instant_text.h"
#include "harness/report/run_report.h"

namespace mepsim::report {
namespace {

using nlohmann::json;

// A JSON object keeps its keys sorted: when the fields come in another order, that order
// is written beside them ("<key>_order") so that reading gives the same vector back.
void put_fields(json& out, const std::string& key, const std::vector<Field>& fields) {
  json object = json::object();
  json order = json::array();
  bool sorted = true;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    object[fields[i].key] = fields[i].value;
    order.push_back(fields[i].key);
    if (i > 0 && !(fields[i - 1].key < fields[i].key)) sorted = false;
  }
  out[key] = std::move(object);
  if (!sorted) out[key + "_order"] = std::move(order);
}

std::vector<Field> get_fields(const json& in, const std::string& key) {
  std::vector<Field> fields;
  if (!in.contains(key)) return fields;
  const json& object = in.at(key);
  if (const auto order = in.find(key + "_order"); order != in.end()) {
    for (const auto& name : *order) {
      const auto k = name.get<std::string>();
      fields.push_back({k, object.at(k).get<std::string>()});
    }
    return fields;
  }
  for (const auto& [k, value] : object.items()) fields.push_back({k, value.get<std::string>()});
  return fields;
}

Instant get_instant(const json& in, const char* key) {
  if (!in.contains(key)) return Instant{};
  auto parsed = parse_instant(in.at(key).get<std::string>());
  if (!parsed) throw std::invalid_argument(std::string(key) + ": " + parsed.error().message);
  return parsed.value();
}

template <typename T>
std::vector<T> get_list(const json& in, const char* key, T (*read)(const json&)) {
  std::vector<T> out;
  if (in.contains(key)) {
    for (const auto& item : in.at(key)) out.push_back(read(item));
  }
  return out;
}

template <typename T>
json put_list(const std::vector<T>& items, json (*write)(const T&)) {
  json out = json::array();
  for (const auto& item : items) out.push_back(write(item));
  return out;
}

json step_json(const StepResult& s) {
  return {{"kind", s.kind},
          {"description", s.description},
          {"pos", s.pos},
          {"passed", s.passed},
          {"message", s.message},
          {"wall_ms", s.wall_ms},
          {"virtual_start", format_instant(s.virtual_start)},
          {"virtual_end", format_instant(s.virtual_end)}};
}

StepResult step_from(const json& j) {
  return {j.value("kind", ""),
          j.value("description", ""),
          j.value("pos", ""),
          j.value("passed", true),
          j.value("message", ""),
          j.value("wall_ms", 0.0),
          get_instant(j, "virtual_start"),
          get_instant(j, "virtual_end")};
}

json violation_json(const rules::Violation& v) {
  json out = {
      {"rule", v.rule}, {"at", format_instant(v.at)}, {"summary", v.summary}, {"events", v.events}};
  put_fields(out, "evidence", v.evidence);
  return out;
}

rules::Violation violation_from(const json& j) {
  return {j.value("rule", ""), get_instant(j, "at"), j.value("summary", ""),
          get_fields(j, "evidence"), j.value("events", std::vector<std::uint64_t>{})};
}

json event_json(const Event& e) {
  json out = {{"seq", e.seq},
              {"at", format_instant(e.at)},
              {"plane", e.plane == Plane::control ? "control" : "data"},
              {"component", e.component},
              {"name", e.name}};
  put_fields(out, "fields", e.fields);
  return out;
}

Event event_from(const json& j) {
  const auto plane = j.value("plane", "control");
  if (plane != "control" && plane != "data") throw std::invalid_argument("plane: " + plane);
  return {j.value("seq", std::uint64_t{0}),
          get_instant(j, "at"),
          plane == "data" ? Plane::data : Plane::control,
          j.value("component", ""),
          j.value("name", ""),
          get_fields(j, "fields")};
}

json marker_json(const Marker& m) {
  return {{"t_s", m.t_s}, {"at", format_instant(m.at)}, {"kind", m.kind}, {"label", m.label}};
}

Marker marker_from(const json& j) {
  return {j.value("t_s", 0.0), get_instant(j, "at"), j.value("kind", ""), j.value("label", "")};
}

json sample_json(const SecondSample& s) {
  json status = json::object();
  for (const auto& [code, count] : s.status) status[std::to_string(code)] = count;
  return {{"t_s", s.t_s},
          {"requests", s.requests},
          {"status", status},
          {"p50_ms", s.p50_ms},
          {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms},
          {"max_ms", s.max_ms},
          {"session_losses", s.session_losses},
          {"cache_hit_ratio", s.cache_hit_ratio}};
}

SecondSample sample_from(const json& j) {
  SecondSample s;
  s.t_s = j.value("t_s", 0.0);
  s.requests = j.value("requests", std::int64_t{0});
  if (j.contains("status")) {
    for (const auto& [key, count] : j.at("status").items()) {
      int code = 0;
      const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), code);
      if (error != std::errc{} || end != key.data() + key.size()) {
        throw std::invalid_argument("status: not an HTTP code: " + key);
      }
      s.status[code] = count.get<std::int64_t>();
    }
  }
  s.p50_ms = j.value("p50_ms", 0.0);
  s.p90_ms = j.value("p90_ms", 0.0);
  s.p99_ms = j.value("p99_ms", 0.0);
  s.max_ms = j.value("max_ms", 0.0);
  s.session_losses = j.value("session_losses", std::int64_t{0});
  s.cache_hit_ratio = j.value("cache_hit_ratio", -1.0);
  return s;
}

json load_json(const LoadSummary& l) {
  return {{"name", l.name}, {"figures", l.figures}};
}

LoadSummary load_from(const json& j) {
  return {j.value("name", ""), j.contains("figures") ? j.at("figures") : json()};
}

using Strings = std::vector<std::string>;

json scenario_json(const ScenarioReport& s) {
  return {{"name", s.name},
          {"file", s.file},
          {"description", s.description},
          {"tags", s.tags},
          {"seed", s.seed},
          {"fingerprint", s.fingerprint},
          {"passed", s.passed},
          {"failure", s.failure},
          {"wall_s", s.wall_s},
          {"topology_start_s", s.topology_start_s},
          {"steps", put_list(s.steps, step_json)},
          {"violations", put_list(s.violations, violation_json)},
          {"expected_violations", s.expected_violations},
          {"unexpected_violations", s.unexpected_violations},
          {"missing_violations", s.missing_violations},
          {"timeline", put_list(s.timeline, event_json)},
          {"markers", put_list(s.markers, marker_json)},
          {"series", put_list(s.series, sample_json)},
          {"loads", put_list(s.loads, load_json)},
          {"faults_used", s.faults_used},
          {"measurements", s.measurements}};
}

ScenarioReport scenario_from(const json& j) {
  ScenarioReport s;
  s.name = j.value("name", "");
  s.file = j.value("file", "");
  s.description = j.value("description", "");
  s.tags = j.value("tags", Strings{});
  s.seed = j.value("seed", std::uint64_t{0});
  s.fingerprint = j.value("fingerprint", "");
  s.passed = j.value("passed", true);
  s.failure = j.value("failure", "");
  s.wall_s = j.value("wall_s", 0.0);
  s.topology_start_s = j.value("topology_start_s", 0.0);
  s.steps = get_list(j, "steps", step_from);
  s.violations = get_list(j, "violations", violation_from);
  s.expected_violations = j.value("expected_violations", Strings{});
  s.unexpected_violations = j.value("unexpected_violations", Strings{});
  s.missing_violations = j.value("missing_violations", Strings{});
  s.timeline = get_list(j, "timeline", event_from);
  s.markers = get_list(j, "markers", marker_from);
  s.series = get_list(j, "series", sample_from);
  s.loads = get_list(j, "loads", load_from);
  s.faults_used = j.value("faults_used", Strings{});
  s.measurements = j.contains("measurements") ? j.at("measurements") : json::object();
  return s;
}

}  // namespace

int RunReport::passed() const {
  int n = 0;
  for (const auto& s : scenarios) n += s.passed ? 1 : 0;
  return n;
}

int RunReport::failed() const {
  return static_cast<int>(scenarios.size()) - passed();
}

json to_json(const RunReport& report) {
  return {{"tool", "mepsim"},
          {"version", report.tool_version},
          {"seed", report.seed},
          {"fingerprint", report.fingerprint},
          {"started_at", report.started_at},
          {"wall_s", report.wall_s},
          {"summary",
           {{"scenarios", report.scenarios.size()},
            {"passed", report.passed()},
            {"failed", report.failed()}}},
          {"scenarios", put_list(report.scenarios, scenario_json)}};
}

RunReport run_report_from_json(const json& j) {
  if (!j.is_object() || j.value("tool", "") != "mepsim") {
    throw std::invalid_argument("not a mepsim run report (no \"tool\": \"mepsim\")");
  }
  RunReport report;
  report.tool_version = j.value("version", "");
  report.seed = j.value("seed", std::uint64_t{0});
  report.fingerprint = j.value("fingerprint", "");
  report.started_at = j.value("started_at", "");
  report.wall_s = j.value("wall_s", 0.0);
  report.scenarios = get_list(j, "scenarios", scenario_from);
  return report;
}

Result<RunReport> read_run_report(std::string_view text) {
  try {
    return run_report_from_json(json::parse(text));
  } catch (const std::exception& e) {
    // nlohmann's and ours alike: the document is outside input, its faults are values.
    return make_error(ErrorCode::invalid_input, std::string("run report: ") + e.what());
  }
}

}  // namespace mepsim::report
