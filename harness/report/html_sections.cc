#include "harness/report/html_sections.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>

#include "harness/report/instant_text.h"
#include "harness/report/markup_escape.h"

namespace mepsim::report {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string time_cell(Instant at) {
  const std::string iso = format_instant(at);
  return fmt::format("<time datetime=\"{0}\" title=\"{0}\">{1}</time>", iso,
                     format_time_of_day(at));
}

std::string step_row(const StepResult& step) {
  const auto took = step.virtual_end - step.virtual_start;
  std::string virtual_time = time_cell(step.virtual_start);
  if (took > Duration::zero())
    virtual_time += " <span class=\"took\">+" + format_duration(took) + "</span>";
  return fmt::format(
      "<tr class=\"step {0}\" data-kind=\"{1}\" data-pos=\"{2}\" data-passed=\"{3}\">"
      "<td class=\"status\">{4}</td><td><span class=\"step-kind\">{5}</span> {6}</td>"
      "<td class=\"pos\"><code>{7}</code></td><td class=\"num\">{8:.1f}</td><td>{9}</td>"
      "<td class=\"message\">{10}</td></tr>",
      step.passed ? "pass" : "fail", escape_attribute(step.kind), escape_attribute(step.pos),
      step.passed, step.passed ? "✓" : "✗",
      // "expect" before "expect deployment …" says nothing more.
      step.description.starts_with(step.kind) ? "" : escape_markup(step.kind),
      escape_markup(step.description), escape_markup(step.pos), step.wall_ms, virtual_time,
      escape_markup(step.message));
}

std::string evidence_list(const rules::Violation& v) {
  std::string out = "<ul class=\"evidence\">";
  for (const auto& f : v.evidence) {
    out += fmt::format("<li data-key=\"{}\"><span class=\"key\">{}</span> {}</li>",
                       escape_attribute(f.key), escape_markup(f.key), escape_markup(f.value));
  }
  return out + "</ul>";
}

std::string violation_row(const ScenarioReport& s, const rules::Violation& v) {
  const char* verdict = contains(s.unexpected_violations, v.rule) ? "unexpected"
                        : contains(s.expected_violations, v.rule) ? "expected"
                                                                  : "reported";
  return fmt::format(
      "<tr class=\"violation {0}\" data-rule=\"{1}\" data-at=\"{2}\" data-events=\"{3}\">"
      "<td class=\"rule\"><code>{4}</code></td><td>{5}</td><td>{6}</td><td>{7}</td>"
      "<td class=\"verdict\">{0}</td></tr>",
      verdict, escape_attribute(v.rule), format_instant(v.at), fmt::join(v.events, " "),
      escape_markup(v.rule), time_cell(v.at), escape_markup(v.summary), evidence_list(v));
}

std::string json_block(const nlohmann::json& value) {
  // Replaces bytes that are not UTF-8 rather than throwing: the page shows what it can.
  return "<pre class=\"json\">" +
         escape_markup(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) +
         "</pre>";
}

}  // namespace

std::string format_duration(Duration d) {
  using namespace std::chrono;
  const double s = duration<double>(d).count();
  if (s < 1) return fmt::format("{:.0f} ms", s * 1000);
  if (s < 120) return fmt::format("{:.3g} s", s);
  const auto whole_s = duration_cast<seconds>(d).count();
  if (whole_s < 7200) return fmt::format("{} min {:02} s", whole_s / 60, whole_s % 60);
  return fmt::format("{} h {:02} min", whole_s / 3600, whole_s % 3600 / 60);
}

std::string steps_table(const ScenarioReport& s, const std::string& slug) {
  std::string out = fmt::format(
      "<table class=\"steps\" id=\"steps-{}\"><thead><tr><th>status</th><th>step</th>"
      "<th>position</th><th>wall ms</th><th>virtual time</th><th>message</th></tr></thead><tbody>",
      slug);
  for (const auto& step : s.steps) out += step_row(step);
  if (s.steps.empty()) out += "<tr class=\"none\"><td colspan=\"6\">No step ran.</td></tr>";
  return out + "</tbody></table>";
}

std::string violations_table(const ScenarioReport& s, const std::string& slug) {
  std::string out = fmt::format(
      "<table class=\"violations\" id=\"violations-{}\"><thead><tr><th>rule</th>"
      "<th>virtual time</th><th>summary</th><th>evidence</th><th>verdict</th></tr></thead><tbody>",
      slug);
  for (const auto& v : s.violations) out += violation_row(s, v);
  for (const auto& rule : s.missing_violations) {
    out += fmt::format(
        "<tr class=\"violation missing\" data-rule=\"{}\"><td class=\"rule\"><code>{}</code></td>"
        "<td></td><td>expected by the scenario, not found</td><td></td>"
        "<td class=\"verdict\">missing</td></tr>",
        escape_attribute(rule), escape_markup(rule));
  }
  if (s.violations.empty() && s.missing_violations.empty()) {
    out += "<tr class=\"none\"><td colspan=\"5\">No rule of the procedure was broken.</td></tr>";
  }
  return out + "</tbody></table>";
}

std::string extras_html(const ScenarioReport& s) {
  std::string out;
  if (!s.faults_used.empty()) {
    out += "<h3>Faults used</h3><ul class=\"faults-used\">";
    for (const auto& f : s.faults_used) {
      out += fmt::format("<li data-fault=\"{}\"><code>{}</code></li>", escape_attribute(f),
                         escape_markup(f));
    }
    out += "</ul>";
  }
  for (const auto& load : s.loads) {
    out += fmt::format("<div class=\"load\" data-load=\"{}\"><h3>Load: {}</h3>{}</div>",
                       escape_attribute(load.name), escape_markup(load.name),
                       json_block(load.figures));
  }
  if (!s.measurements.is_null() && !s.measurements.empty()) {
    out +=
        "<h3>Measurements</h3><div class=\"measurements\">" + json_block(s.measurements) + "</div>";
  }
  return out;
}

}  // namespace mepsim::report
