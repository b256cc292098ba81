// Unit tests of harness/report's HTML page: its sections, ids and data attributes for a
// report with a series and markers, its charts and timeline, its escaping, and no URL.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/report/report_timeline.h"
#include "harness/report/run_report.h"
#include "harness/report/svg_chart.h"
#include "tests/unit/sample_run_report.h"

namespace mepsim::report {
namespace {

using testing::sample_run_report;

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

TEST(ReportHtml, HeaderAndScenarioSections) {
  // The header gives seed, fingerprint and counts; each scenario has its own section.
  const std::string html = to_html(sample_run_report());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find(R"(id="run-summary" data-passed="1" data-failed="1" data-seed="42")"),
            std::string::npos);
  EXPECT_NE(html.find(R"(id="count-passed" data-count="1">1 passed<)"), std::string::npos);
  EXPECT_NE(html.find(R"(id="count-failed" data-count="1">1 failed<)"), std::string::npos);
  EXPECT_NE(html.find(sample_run_report().fingerprint), std::string::npos);
  EXPECT_NE(html.find(R"(<section class="scenario pass" id="scenario-maintenance-toggle")"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<section class="scenario fail" id="scenario-production-mep")"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<table class="steps" id="steps-production-mep">)"), std::string::npos);
  EXPECT_NE(html.find(R"(<tr class="step fail" data-kind="expect")"), std::string::npos);
  EXPECT_EQ(count_of(html, "<script>"), 1u);
}

TEST(ReportHtml, ViolationRows) {
  // Each violation is a row with its rule id; expected ones missing get a row too.
  const std::string html = to_html(sample_run_report());
  EXPECT_NE(html.find(R"(<table class="violations" id="violations-production-mep">)"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<tr class="violation unexpected" data-rule="R3-review-apps-closed" )"
                      R"(data-at="2026-01-05T08:01:00.500Z" data-events="7 9">)"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<tr class="violation expected" data-rule="R7-demo-parity")"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<tr class="violation missing" data-rule="R5-release-note")"),
            std::string::npos);
  EXPECT_NE(html.find("review_app → main"), std::string::npos);
}

TEST(ReportHtml, ChartsWithMarkers) {
  // A scenario with a series gets the three charts (and the cache one), each with every marker.
  const std::string html = to_html(sample_run_report());
  for (const char* chart : {"throughput", "latency", "status", "cache"}) {
    EXPECT_EQ(count_of(html, std::string("<svg class=\"chart\" data-chart=\"") + chart + "\""), 1u)
        << chart;
  }
  EXPECT_EQ(count_of(html, R"(<line class="marker" data-kind="deployment")"), 4u);
  EXPECT_EQ(count_of(html, R"(<line class="marker" data-kind="maintenance")"), 8u);
  EXPECT_EQ(count_of(html, "class=\"marker\""), 20u);
  for (const char* series :
       {"requests/s", "p50", "p90", "p99", "2xx", "3xx", "4xx", "5xx", "errors"}) {
    EXPECT_NE(html.find(std::string("data-series=\"") + series + "\""), std::string::npos)
        << series;
  }
  // The failing scenario has no series, hence no charts.
  EXPECT_EQ(html.find("id=\"charts-production-mep\""), std::string::npos);
}

TEST(ReportHtml, TimelineFromMarkersAndEvents) {
  // Markers and recognised events are listed in time order; other events are left out.
  const auto entries = timeline_entries(sample_run_report().scenarios[0]);
  std::vector<std::string> kinds;
  for (const auto& e : entries) kinds.push_back(e.kind + "@" + e.source);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{
                "deployment@platform/deployment.status", "deployment@marker",
                "deployment@platform/deployment.status", "maintenance@marker",
                "maintenance@platform/event.edit_variables", "maintenance@marker", "restart@marker",
                "restart@platform/operation.finished", "fault@marker", "fault@chaos/fault.fired"}));
  EXPECT_EQ(entries[2].label, "histologe 1.7.4 success");
  EXPECT_EQ(entries[4].label, "histologe edit_variables MAINTENANCE_ENABLE");
  const std::string html = to_html(sample_run_report());
  EXPECT_NE(html.find(R"(<ol class="timeline" id="timeline-maintenance-toggle">)"),
            std::string::npos);
  EXPECT_NE(html.find(R"(<li class="timeline-entry" data-kind="restart" )"
                      R"(data-at="2026-01-05T08:00:40.000Z" data-source="marker")"),
            std::string::npos);
  EXPECT_EQ(html.find("github.push"), std::string::npos);
}

TEST(ReportHtml, EscapesDataAndNamesNoUrl) {
  // Data cannot inject markup, and the page refers to nothing outside itself.
  RunReport r = sample_run_report();
  r.scenarios[1].name = R"(<script>alert("x")</script> & co)";
  r.scenarios[1].description = "see http://example.test/<x>";
  const std::string html = to_html(r);
  EXPECT_EQ(count_of(html, "<script>"), 1u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"),
            std::string::npos);
  EXPECT_NE(html.find(R"(id="scenario--script-alert--x----script----co")"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  for (auto at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
    EXPECT_EQ(html.substr(at, 7), "href=\"#") << html.substr(at, 60);
  }
  // The only URLs are the data's own, escaped, in text.
  std::string rest = html;
  for (const std::string data :
       {"http://example.test/&lt;x&gt;", "https://example.test/d?a=1&amp;b=2"}) {
    for (auto at = rest.find(data); at != std::string::npos; at = rest.find(data)) {
      rest.erase(at, data.size());
    }
  }
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
}

TEST(ReportHtml, DuplicateSlugsStayUnique) {
  // Two names that make the same id get distinct ones.
  RunReport r = sample_run_report();
  r.scenarios[0].name = "a b";
  r.scenarios[1].name = "a-b";
  const std::string html = to_html(r);
  EXPECT_NE(html.find(R"(id="scenario-a-b")"), std::string::npos);
  EXPECT_NE(html.find(R"(id="scenario-a-b-2")"), std::string::npos);
}

TEST(ReportChart, NiceStepsAndEmptyCharts) {
  // Axis steps are 1, 2 or 5 times a power of ten; a chart with no data still draws.
  EXPECT_DOUBLE_EQ(nice_step(100, 5), 20);
  EXPECT_DOUBLE_EQ(nice_step(7, 5), 2);
  EXPECT_DOUBLE_EQ(nice_step(0.3, 5), 0.1);
  EXPECT_DOUBLE_EQ(nice_step(0, 5), 1);
  const std::string svg = render_svg_chart({"empty", "Empty", "ms", false, {}, {}, {}});
  EXPECT_TRUE(svg.starts_with(R"(<svg class="chart" data-chart="empty")"));
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

}  // namespace
}  // namespace mepsim::report
