// The run report as one self-contained HTML page: inline style, inline SVG, a few lines of
// inline script, and no URL at all, so that it opens offline, attached to a CI run or mailed.

#include <fmt/format.h>

#include <set>

#include "harness/report/html_sections.h"
#include "harness/report/markup_escape.h"
#include "harness/report/report_charts.h"
#include "harness/report/report_timeline.h"
#include "harness/report/run_report.h"

namespace mepsim::report {
namespace {

constexpr std::string_view kStyle = R"css(
:root { --pass: #15803d; --fail: #b91c1c; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #111827; background: #f3f4f6; }
header.run { background: #111827; color: #f9fafb; padding: 20px 32px; }
header.run h1 { margin: 0 0 8px; font-size: 22px; }
header.run dl { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
header.run dt { color: #9ca3af; } header.run dd { margin: 0 0 0 6px; }
header.run dl div { display: flex; }
.counts { margin: 12px 0 0; font-size: 16px; }
.count { padding: 2px 10px; border-radius: 999px; margin-right: 8px; font-weight: 600; }
.count.pass { background: var(--pass); } .count.fail { background: var(--fail); }
.count.zero { background: #374151; }
nav.scenarios { padding: 12px 32px; background: #fff; border-bottom: 1px solid var(--line); }
nav.scenarios a { margin-right: 14px; text-decoration: none; }
nav.scenarios a.pass { color: var(--pass); } nav.scenarios a.fail { color: var(--fail); }
label.filter { float: right; color: var(--muted); }
main { padding: 16px 32px 48px; max-width: 1280px; }
section.scenario { background: #fff; border-radius: 8px; margin: 16px 0; padding: 16px 24px;
  border-left: 6px solid var(--pass); box-shadow: 0 1px 2px rgba(0,0,0,.06); }
section.scenario.fail { border-left-color: var(--fail); }
body.failures-only section.scenario.pass { display: none; }
h2 { margin: 0 0 4px; font-size: 19px; } h3 { margin: 20px 0 8px; font-size: 15px; }
.badge { font-size: 12px; color: #fff; padding: 2px 8px; border-radius: 4px;
  vertical-align: middle; }
.pass .badge { background: var(--pass); } .fail .badge { background: var(--fail); }
.meta { color: var(--muted); margin: 0; }
.failure { background: #fef2f2; color: var(--fail); padding: 8px 12px; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line);
  white-space: nowrap; }
td, th { padding: 4px 8px; vertical-align: top; }
tbody tr:nth-child(even) { background: #f9fafb; }
tr.step.fail td, tr.violation.unexpected td, tr.violation.missing td { background: #fef2f2; }
tr.step.fail .status { color: var(--fail); } tr.step.pass .status { color: var(--pass); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.message { white-space: pre-wrap; word-break: break-word; }
.step-kind, .key { color: var(--muted); font-size: 12px; }
.took { color: var(--muted); white-space: nowrap; }
p.empty { color: var(--muted); font-style: italic; }
ul.evidence { list-style: none; margin: 0; padding: 0; }
tr.none td { color: var(--muted); font-style: italic; }
ol.timeline { list-style: none; padding: 0; margin: 4px 0; max-height: 420px; overflow: auto; }
ol.timeline li { padding: 2px 0; }
ol.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
.kind { color: #fff; font-size: 11px; padding: 1px 6px; border-radius: 4px; }
svg.chart, svg.timeline-strip { display: block; background: #fff; margin: 8px 0; }
pre.json { background: #f9fafb; padding: 8px; border-radius: 6px; overflow: auto; max-height: 360px; }
footer { color: var(--muted); padding: 0 32px 24px; }
)css";

// Runs once the page is parsed: the failures-only filter, and a mark that it ran.
constexpr std::string_view kScript = R"js(
(function () {
  var box = document.getElementById('failures-only');
  box.addEventListener('change', function () {
    document.body.classList.toggle('failures-only', box.checked);
  });
  document.body.setAttribute('data-script', 'ready');
})();
)js";

// An id made of [A-Za-z0-9_-] only, unique within the page ("a b" and "a-b" both map to
// "a-b": the second gets "-2").
std::string make_slug(const std::string& name, std::set<std::string>& taken) {
  std::string slug;
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-';
    slug += plain ? c : '-';
  }
  if (slug.empty()) slug = "unnamed";
  std::string unique = slug;
  for (int n = 2; !taken.insert(unique).second; ++n) unique = slug + "-" + std::to_string(n);
  return unique;
}

std::string count_span(const char* id, int n, const char* word, const char* cls) {
  return fmt::format("<span class=\"count {}\" id=\"{}\" data-count=\"{}\">{} {}</span>",
                     n > 0 ? cls : "zero", id, n, n, word);
}

std::string header(const RunReport& r) {
  const auto fact = [](const char* term, const char* id, const std::string& value) {
    return fmt::format("<div><dt>{}</dt><dd id=\"{}\"><code>{}</code></dd></div>", term, id,
                       escape_markup(value));
  };
  return fmt::format(
      "<header class=\"run {}\" id=\"run-summary\" data-passed=\"{}\" data-failed=\"{}\" "
      "data-seed=\"{}\"><h1>mepsim run report</h1><dl>{}{}{}{}{}</dl><p class=\"counts\">{}{}"
      "</p></header>",
      r.failed() > 0 ? "fail" : "pass", r.passed(), r.failed(), r.seed,
      fact("seed", "run-seed", std::to_string(r.seed)),
      fact("fingerprint", "run-fingerprint", r.fingerprint),
      fact("started", "run-started", r.started_at),
      fact("wall time", "run-wall", fmt::format("{:.1f} s", r.wall_s)),
      fact("version", "run-version", r.tool_version),
      count_span("count-passed", r.passed(), "passed", "pass"),
      count_span("count-failed", r.failed(), "failed", "fail"));
}

std::string nav(const RunReport& r, const std::vector<std::string>& slugs) {
  std::string out =
      "<nav class=\"scenarios\"><label class=\"filter\"><input type=\"checkbox\" "
      "id=\"failures-only\"> failures only</label>";
  for (std::size_t i = 0; i < r.scenarios.size(); ++i) {
    const auto& s = r.scenarios[i];
    out +=
        fmt::format("<a class=\"{}\" href=\"#scenario-{}\">{} {}</a>", s.passed ? "pass" : "fail",
                    slugs[i], s.passed ? "✓" : "✗", escape_markup(s.name));
  }
  return out + "</nav>";
}

std::string scenario_meta(const ScenarioReport& s) {
  std::string tags;
  for (const auto& t : s.tags) tags += "<span class=\"tag\">#" + escape_markup(t) + "</span> ";
  return fmt::format(
      "<p class=\"meta\"><code>{}</code> · {}seed <code>{}</code> · fingerprint "
      "<code title=\"{}\">{}</code> · {:.2f} s</p>",
      escape_markup(s.file), tags, s.seed, escape_attribute(s.fingerprint),
      escape_markup(s.fingerprint.substr(0, 12)), s.wall_s);
}

std::string charts_html(const ScenarioReport& s, const std::string& slug) {
  const auto charts = series_charts(s);
  if (charts.empty()) return "";
  std::string out = fmt::format("<h3>Traffic</h3><div class=\"charts\" id=\"charts-{}\">", slug);
  for (const auto& chart : charts) out += render_svg_chart(chart);
  return out + "</div>";
}

std::string scenario_section(const ScenarioReport& s, const std::string& slug) {
  const char* status = s.passed ? "pass" : "fail";
  std::string out = fmt::format(
      "<section class=\"scenario {0}\" id=\"scenario-{1}\" data-scenario=\"{2}\" "
      "data-passed=\"{3}\"><h2><span class=\"badge\">{4}</span> {5}</h2>",
      status, slug, escape_attribute(s.name), s.passed, s.passed ? "PASS" : "FAIL",
      escape_markup(s.name));
  out += scenario_meta(s);
  if (!s.description.empty()) {
    out += "<p class=\"description\">" + escape_markup(s.description) + "</p>";
  }
  if (!s.failure.empty()) out += "<p class=\"failure\">" + escape_markup(s.failure) + "</p>";
  out += "<h3>Steps</h3>" + steps_table(s, slug);
  out += "<h3>Procedure rules</h3>" + violations_table(s, slug);
  out += "<h3>Timeline</h3>" + timeline_html(timeline_entries(s), "timeline-" + slug);
  out += charts_html(s, slug);
  out += extras_html(s);
  return out + "</section>";
}

}  // namespace

std::string to_html(const RunReport& report) {
  std::set<std::string> taken;
  std::vector<std::string> slugs;
  for (const auto& s : report.scenarios) slugs.push_back(make_slug(s.name, taken));
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>mepsim: {} passed, {} failed</title><style>{}</style></head><body>",
      report.passed(), report.failed(), kStyle);
  out += header(report);
  out += nav(report, slugs);
  out += "<main>";
  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    out += scenario_section(report.scenarios[i], slugs[i]);
  }
  out += "</main>";
  out += fmt::format("<footer>mepsim {} · seed {} · fingerprint <code>{}</code></footer>",
                     escape_markup(report.tool_version), report.seed,
                     escape_markup(report.fingerprint));
  out += fmt::format("<script>{}</script></body></html>\n", kScript);
  return out;
}

}  // namespace mepsim::report
