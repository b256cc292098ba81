// The run report as JUnit XML, the form CI systems read: one testcase per scenario, its
// failure saying which step or rule failed it, its step lines as system-out.

#include <fmt/format.h>

#include "harness/report/instant_text.h"
#include "harness/report/markup_escape.h"
#include "harness/report/run_report.h"

namespace mepsim::report {
namespace {

std::string seconds_text(double s) {
  return fmt::format("{:.3f}", s);
}

const StepResult* first_failed_step(const ScenarioReport& s) {
  for (const auto& step : s.steps) {
    if (!step.passed) return &step;
  }
  return nullptr;
}

std::string failure_message(const ScenarioReport& s) {
  if (const StepResult* step = first_failed_step(s)) return step->pos + ": " + step->message;
  if (!s.failure.empty()) return s.failure;
  if (!s.unexpected_violations.empty()) return "unexpected violation " + s.unexpected_violations[0];
  if (!s.missing_violations.empty()) return "missing violation " + s.missing_violations[0];
  return "scenario failed";
}

// Every reason the scenario failed, one per line: failed steps, then the rules.
std::string failure_details(const ScenarioReport& s) {
  std::string out;
  for (const auto& step : s.steps) {
    if (!step.passed)
      out += fmt::format("step {}: {}: {}\n", step.pos, step.description, step.message);
  }
  for (const auto& rule : s.unexpected_violations) {
    bool shown = false;
    for (const auto& v : s.violations) {
      if (v.rule != rule) continue;
      out += fmt::format("unexpected violation {} at {}: {}\n", v.rule, format_instant(v.at),
                         v.summary);
      shown = true;
    }
    if (!shown) out += fmt::format("unexpected violation {}\n", rule);
  }
  for (const auto& rule : s.missing_violations) {
    out += fmt::format("missing violation {}: expected by the scenario, not found\n", rule);
  }
  if (out.empty()) out = s.failure.empty() ? "scenario failed\n" : s.failure + "\n";
  return out;
}

std::string step_lines(const ScenarioReport& s) {
  std::string out;
  for (const auto& step : s.steps) {
    out += fmt::format("{} {} ({}, {:.1f} ms)", step.passed ? "✓" : "✗", step.description, step.pos,
                       step.wall_ms);
    if (!step.message.empty()) out += ": " + step.message;
    out += '\n';
  }
  return out;
}

std::string testcase(const ScenarioReport& s) {
  const std::string classname = s.tags.empty() ? "scenarios" : s.tags.front();
  std::string out =
      fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"{}\">\n",
                  escape_attribute(classname), escape_attribute(s.name), escape_attribute(s.file),
                  seconds_text(s.wall_s));
  if (!s.passed) {
    const bool by_step = first_failed_step(s) != nullptr ||
                         (s.unexpected_violations.empty() && s.missing_violations.empty());
    out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                       escape_attribute(failure_message(s)), by_step ? "step" : "rule",
                       escape_markup(failure_details(s)));
  }
  out += fmt::format("      <system-out>{}</system-out>\n", escape_markup(step_lines(s)));
  out += "    </testcase>\n";
  return out;
}

}  // namespace

std::string to_junit_xml(const RunReport& report) {
  const auto tests = report.scenarios.size();
  const int failures = report.failed();
  const std::string time = seconds_text(report.wall_s);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"mepsim\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n", tests,
      failures, time);
  out += fmt::format(
      "  <testsuite name=\"mepsim scenarios\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"0\" time=\"{}\" timestamp=\"{}\">\n",
      tests, failures, time, escape_attribute(report.started_at));
  out += "    <properties>\n";
  const std::pair<const char*, std::string> properties[] = {{"seed", std::to_string(report.seed)},
                                                            {"fingerprint", report.fingerprint},
                                                            {"version", report.tool_version}};
  for (const auto& [name, value] : properties) {
    out +=
        fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, escape_attribute(value));
  }
  out += "    </properties>\n";
  for (const auto& s : report.scenarios) out += testcase(s);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace mepsim::report
