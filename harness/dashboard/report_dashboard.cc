#include "harness/dashboard/report_dashboard.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/dashboard/dashboard_json.h"
#include "harness/report/report_charts.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

json steps_json(const report::ScenarioReport& s) {
  json out = json::array();
  for (const auto& step : s.steps) {
    out.push_back({{"kind", step.kind},
                   {"description", cut_utf8(step.description, kFieldBytesMax)},
                   {"pos", step.pos},
                   {"passed", step.passed},
                   {"message", cut_utf8(step.message, 4 * kFieldBytesMax)},
                   {"wall_ms", step.wall_ms}});
  }
  return out;
}

json violations_json(const report::ScenarioReport& s) {
  json out = json::array();
  const auto& expected = s.expected_violations;
  for (const auto& v : s.violations) {
    auto item = violation_json(v);
    item["expected"] = std::find(expected.begin(), expected.end(), v.rule) != expected.end();
    out.push_back(std::move(item));
  }
  for (const auto& rule : s.missing_violations) {
    out.push_back({{"rule", rule},
                   {"description", rules::describe(rule)},
                   {"at", ""},
                   {"time", ""},
                   {"summary", "expected by the scenario but not found"},
                   {"evidence", json::object()},
                   {"events", json::array()},
                   {"key", "missing|" + rule},
                   {"missing", true}});
  }
  return out;
}

json scenario_json(const report::ScenarioReport& s) {
  json timeline = json::array();
  const std::size_t skipped =
      s.timeline.size() > kReportTimelineShownMax ? s.timeline.size() - kReportTimelineShownMax : 0;
  for (std::size_t i = skipped; i < s.timeline.size(); ++i) {
    timeline.push_back(event_json(s.timeline[i]));
  }
  json charts = json::array();
  for (const auto& chart : report::series_charts(s)) charts.push_back(chart_json(chart));
  std::string note = charts.empty() ? "No traffic was measured in this scenario." : "";
  if (skipped > 0) {
    note += fmt::format(" The timeline shows its last {} events of {}.", kReportTimelineShownMax,
                        s.timeline.size());
  }
  return {{"name", s.name},
          {"file", s.file},
          {"description", s.description},
          {"passed", s.passed},
          {"failure", s.failure},
          {"steps", steps_json(s)},
          {"timeline", std::move(timeline)},
          {"violations", violations_json(s)},
          {"charts", std::move(charts)},
          {"note", note},
          {"measurements", s.measurements}};
}

}  // namespace

std::string report_snapshot_json(const report::RunReport& r) {
  json scenarios = json::array();
  for (const auto& s : r.scenarios) scenarios.push_back(scenario_json(s));
  json header = {{"title", "mepsim run report"}, {"seed", std::to_string(r.seed)},
                 {"version", r.tool_version},    {"started_at", r.started_at},
                 {"fingerprint", r.fingerprint}, {"passed", r.passed()},
                 {"failed", r.failed()}};
  return dump_line({{"mode", "report"},
                    {"header", std::move(header)},
                    {"state", nullptr},
                    {"scenarios", std::move(scenarios)}});
}

}  // namespace mepsim::dashboard
