#pragma once
// What a run leaves behind, built from the event log and the runner's results: one model,
// written as JSON (everything), JUnit XML (CI) and a self-contained HTML page.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/rules/procedure_rules.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"

namespace mepsim::report {

struct StepResult {
  std::string kind;         // "git", "expect"…
  std::string description;  // "git push origin main"
  std::string pos;          // "scenarios/mep.yaml:14:5"
  bool passed = true;
  std::string message;      // why it failed, or what it measured
  double wall_ms = 0;       // real time the step took
  Instant virtual_start{};  // platform time when it began
  Instant virtual_end{};
};

// One second of measured traffic (the load engine's series, or the scenario's own requests).
struct SecondSample {
  double t_s = 0;  // seconds since the run's data-plane start
  std::int64_t requests = 0;
  std::map<int, std::int64_t> status;  // by HTTP code; 0 = transport error
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::int64_t session_losses = 0;
  double cache_hit_ratio = -1;  // -1: not measured that second
};

// A mark on the charts and the timeline: a deployment, a restart, a variable change, a
// maintenance toggle, a fault.
struct Marker {
  double t_s = 0;     // on the data-plane axis of the series
  Instant at{};       // virtual time
  std::string kind;   // "deployment", "restart", "variables", "maintenance", "banner", "fault"
  std::string label;  // "histologe 1.7.4 success"
};

struct LoadSummary {
  std::string name;
  nlohmann::json figures;  // the load engine's JSON report (requests, rps, latency_ms…)
};

struct ScenarioReport {
  std::string name;
  std::string file;
  std::string description;
  std::vector<std::string> tags;
  std::uint64_t seed = 0;
  std::string fingerprint;  // of this scenario's control-plane events
  bool passed = true;
  std::string failure;  // the first failing step's "pos: message", or a rule's
  double wall_s = 0;
  double topology_start_s = 0;
  std::vector<StepResult> steps;
  std::vector<rules::Violation> violations;
  std::vector<std::string> expected_violations;
  std::vector<std::string> unexpected_violations;  // rule ids that failed the scenario
  std::vector<std::string> missing_violations;     // expected but not found
  std::vector<Event> timeline;                     // control and data events worth showing
  std::vector<Marker> markers;
  std::vector<SecondSample> series;
  std::vector<LoadSummary> loads;
  std::vector<std::string> faults_used;                    // named fault sites that fired
  nlohmann::json measurements = nlohmann::json::object();  // sessions, cache…
};

struct RunReport {
  std::string tool_version;
  std::uint64_t seed = 0;
  std::string fingerprint;  // over every scenario's, in order
  std::string started_at;   // wall clock, ISO 8601
  double wall_s = 0;
  std::vector<ScenarioReport> scenarios;
  int passed() const;
  int failed() const;
};

nlohmann::json to_json(const RunReport& report);
// Reads back what to_json wrote (for `mepsim report` commands and tests). Throws
// std::invalid_argument or nlohmann::json::exception on a document that is not a report.
RunReport run_report_from_json(const nlohmann::json& json);
// The same from a file's text, with a malformed document as an error value.
Result<RunReport> read_run_report(std::string_view json_text);
std::string to_junit_xml(const RunReport& report);
std::string to_html(const RunReport& report);

}  // namespace mepsim::report
