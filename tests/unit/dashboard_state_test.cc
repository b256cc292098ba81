// What the dashboard shows, apart from a topology: variables' values masked, the live
// charts' points from containers' counters (rates, restarts, the bound), a finished run's
// snapshot (scenarios, charts, violations, missing ones), the timeline's kinds; and its
// server: the page with its content policy, the feed's snapshot first, then messages.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "harness/dashboard/dashboard_json.h"
#include "harness/dashboard/dashboard_page.h"
#include "harness/dashboard/dashboard_server.h"
#include "harness/dashboard/live_series.h"
#include "harness/dashboard/report_dashboard.h"
#include "tests/unit/sample_run_report.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

ContainerReading reading(const std::string& app, const std::string& container,
                         std::uint64_t requests, std::uint64_t hits, std::uint64_t misses) {
  ContainerFigures f;
  f.requests = requests;
  f.requests_by_status["200"] = requests;
  f.app_cache_hits = hits;
  f.app_cache_misses = misses;
  return {app, container, f};
}

TEST(DashboardJson, SecretLookingVariablesAreMasked) {
  // Names that look secret hide their value whole; URLs keep all but their credentials.
  EXPECT_EQ(mask_variable_value("APP_SECRET", "mepsim-rehearsal-secret"), "[masked]");
  EXPECT_EQ(mask_variable_value("SENTRY_DSN", "http://abc@127.0.0.1:1/2"), "[masked]");
  EXPECT_EQ(mask_variable_value("BREVO_API_KEY", "xkeysib-123"), "[masked]");
  EXPECT_EQ(mask_variable_value("DATABASE_URL", "mysql://mepsim:s3cr3tpw@127.0.0.1:3306/histologe"),
            "mysql://mepsim:***@127.0.0.1:3306/histologe");
  EXPECT_EQ(mask_variable_value("REDIS_URL", "redis://default:pw123456@127.0.0.1:6379/0"),
            "redis://default:***@127.0.0.1:6379/0");
  EXPECT_EQ(mask_variable_value("MAILER_URL", "brevo+api://thekey123@127.0.0.1:9"),
            "brevo+api://***@127.0.0.1:9");
  EXPECT_EQ(mask_variable_value("MAINTENANCE_ENABLE", "1"), "1");
  EXPECT_EQ(mask_url_credentials("see http://host/path and mail a@b"),
            "see http://host/path and mail a@b");
}

TEST(DashboardJson, EventsCarryTheTimelinesKind) {
  // A finished deployment is a "deployment" with its label; anything else an "event".
  Event done{7,
             testing::sample_instant(5),
             Plane::control,
             "platform",
             "deployment.status",
             {{"app", "histologe"}, {"status", "success"}, {"version", "1.7.4"}}};
  const auto e = event_json(done);
  EXPECT_EQ(e.at("seq"), 7);
  EXPECT_EQ(e.at("kind"), "deployment");
  EXPECT_NE(e.at("label").get<std::string>().find("1.7.4"), std::string::npos);
  Event push{8,
             testing::sample_instant(6),
             Plane::control,
             "github",
             "github.push",
             {{"ref", "refs/heads/main"}}};
  EXPECT_EQ(event_json(push).at("kind"), "event");
  EXPECT_EQ(event_json(push).at("fields").at("ref"), "refs/heads/main");
}

TEST(DashboardLiveSeries, RatesFromCountersWithRestartsAndMarks) {
  // The first reading is the baseline; then rates per second by app, a restarted
  // container (another id) counting from zero, and marks on the charts.
  LiveSeries series;
  series.add_readings(0, {reading("histologe", "c1", 100, 0, 0)});
  EXPECT_TRUE(series.points().empty());
  series.add_readings(2, {reading("histologe", "c1", 140, 3, 1)});
  ASSERT_EQ(series.points().size(), 1u);
  EXPECT_DOUBLE_EQ(series.points().back().requests_per_s.at("histologe"), 20.0);
  EXPECT_DOUBLE_EQ(series.points().back().responses_per_s.at("2xx"), 20.0);
  EXPECT_DOUBLE_EQ(series.points().back().app_cache_hit_ratio, 0.75);
  series.add_readings(3, {reading("histologe", "c2", 5, 0, 0)});
  EXPECT_DOUBLE_EQ(series.points().back().requests_per_s.at("histologe"), 5.0);
  EXPECT_DOUBLE_EQ(series.points().back().app_cache_hit_ratio, -1.0);
  series.add_marker({2.5, Instant{}, "maintenance", "histologe variables changed"});
  const json charts = series.charts_json();
  ASSERT_EQ(charts.at("charts").size(), 4u);
  for (const auto& chart : charts.at("charts")) {
    const std::string svg = chart.at("svg");
    EXPECT_NE(svg.find("data-chart=\"" + chart.at("id").get<std::string>() + "\""),
              std::string::npos);
    EXPECT_NE(svg.find("data-kind=\"maintenance\""), std::string::npos) << chart.at("id");
  }
}

TEST(DashboardLiveSeries, KeepsTenMinutesAtMost) {
  // However long it runs, the series holds kSecondsKept points.
  LiveSeries series;
  for (int t = 0; t < 2'000; ++t) {
    series.add_readings(t, {reading("histologe", "c1", static_cast<std::uint64_t>(t) * 10, 0, 0)});
  }
  EXPECT_EQ(series.points().size(), LiveSeries::kSecondsKept);
  EXPECT_DOUBLE_EQ(series.points().back().t_s, 1'999.0);
}

TEST(DashboardLiveSeries, StatusLabelsMakeClasses) {
  // /metrics statuses by class; "other" and anything odd together.
  EXPECT_EQ(status_class("200"), "2xx");
  EXPECT_EQ(status_class("302"), "3xx");
  EXPECT_EQ(status_class("422"), "4xx");
  EXPECT_EQ(status_class("503"), "5xx");
  EXPECT_EQ(status_class("other"), "other");
}

TEST(DashboardReport, SnapshotOfAFinishedRun) {
  // A run's report in the page's shape: every scenario, the HTML report's charts with
  // their marks, violations with the missing expected one, no topology state.
  const json snapshot = json::parse(report_snapshot_json(testing::sample_run_report()));
  EXPECT_EQ(snapshot.at("mode"), "report");
  EXPECT_TRUE(snapshot.at("state").is_null());
  EXPECT_EQ(snapshot.at("header").at("failed"), 1);
  const auto& scenarios = snapshot.at("scenarios");
  ASSERT_EQ(scenarios.size(), 2u);
  const auto& traffic = scenarios.at(0);
  EXPECT_EQ(traffic.at("name"), "maintenance-toggle");
  ASSERT_GE(traffic.at("charts").size(), 3u);
  EXPECT_EQ(traffic.at("charts").at(1).at("id"), "latency");
  EXPECT_NE(traffic.at("charts").at(0).at("svg").get<std::string>().find("class=\"marker\""),
            std::string::npos);
  EXPECT_FALSE(traffic.at("timeline").empty());
  const auto& mep = scenarios.at(1);
  EXPECT_EQ(mep.at("passed"), false);
  bool r3 = false, missing_r5 = false;
  for (const auto& v : mep.at("violations")) {
    r3 = r3 || v.at("rule") == "R3-review-apps-closed";
    missing_r5 = missing_r5 || (v.at("rule") == "R5-release-note" && v.value("missing", false));
  }
  EXPECT_TRUE(r3);
  EXPECT_TRUE(missing_r5);
}

TEST(DashboardPage, OneSelfContainedDocument) {
  // No URL to load anything from: no src, no stylesheet link, no http(s) address.
  const std::string page(dashboard_page());
  EXPECT_TRUE(page.starts_with("<!doctype html>"));
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_NE(page.find("new EventSource('feed')"), std::string::npos);
}

TEST(DashboardServer, ServesThePageAndTheFeed) {
  // GET / is the page under a content policy that forbids loading from anywhere; /feed
  // starts with the snapshot, then carries what is published.
  DashboardFeed feed;
  const FixedSnapshot snapshot("{\"mode\":\"report\"}");
  DashboardServer server(feed, snapshot);
  ASSERT_TRUE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(client.Get("/snapshot.json")->body, "{\"mode\":\"report\"}");

  std::string stream;
  std::atomic<bool> seen{false};
  // A page that has not had its snapshot yet drops what is published: publish until seen.
  std::thread publisher([&] {
    while (!seen) {
      feed.publish({"state", "{\"apps\":[]}", true});
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  httplib::Client reader("127.0.0.1", server.port());
  (void)reader.Get("/feed", [&](const char* data, std::size_t length) {
    stream.append(data, length);
    seen = stream.find("event: state") != std::string::npos;
    return !seen;  // enough: stop reading
  });
  seen = true;
  publisher.join();
  EXPECT_TRUE(stream.starts_with("retry: 2000\nevent: snapshot\ndata: {\"mode\":\"report\"}\n\n"))
      << stream;
  EXPECT_NE(stream.find("event: state\ndata: {\"apps\":[]}\n\n"), std::string::npos) << stream;
  server.stop();
}

}  // namespace
}  // namespace mepsim::dashboard
