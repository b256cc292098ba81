// Unit tests of the rehearsal by hand's pieces (harness/rehearsal): the web containers'
// figures read from /metrics, the report's one "rehearsal" scenario, the secrets kept out
// of it, the live announcements made once, and the admin API's extra document.

#include "harness/rehearsal/rehearsal_report.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/common/admin_api.h"
#include "fakes/common/chaos.h"
#include "harness/rehearsal/container_metrics.h"
#include "harness/rehearsal/rehearsal_monitor.h"
#include "sim/core/rng.h"
#include "sim/web/web_metrics.h"

namespace mepsim {
namespace {

using nlohmann::json;

// The timeline of a push of main that merges the open review_app PR (R3), then a
// deployment of production, as GitHub and the platform publish them.
std::vector<Event> implicit_merge_timeline(Instant start) {
  EventLog log;
  log.publish(start, Plane::control, "github", "github.push",
              {{"ref", "refs/heads/main"}, {"after", "cccc"}});
  log.publish(start, Plane::control, "github", "github.pull_request.merged",
              {{"number", "1141"},
               {"head", "review_app"},
               {"head_sha", "bbbb"},
               {"base", "main"},
               {"implicit", "true"},
               {"pushed_ref", "refs/heads/main"}});
  log.publish(
      start + std::chrono::minutes(6), Plane::control, "platform", "deployment.status",
      {{"app", "histologe"}, {"deployment", "d-1"}, {"status", "success"}, {"version", "1.7.4"}});
  return log.retained();
}

TEST(RehearsalMetrics, ReadsAWebContainersPage) {
  // A page as mepsim-web renders it gives the app's requests (health checks and scrapes
  // left out), the session counters and each cache pool's hits and misses.
  web::WebMetrics metrics(
      {"GET /", "GET /bo/signalements/{uuid}", "GET /_mepsim/health", "GET /metrics"});
  metrics.count_request(0, 200);
  metrics.count_request(1, 302);
  metrics.count_request(1, 200);
  metrics.count_request(2, 200);
  metrics.count_request(3, 200);
  metrics.count_cache(web::CachePool::app, true);
  metrics.count_cache(web::CachePool::app, true);
  metrics.count_cache(web::CachePool::app, false);
  metrics.count_cache(web::CachePool::system, false);
  metrics.count_session_read();
  metrics.count_session_write();
  metrics.count_session_write();
  const auto figures = parse_container_metrics(metrics.render("1.7.3"));
  EXPECT_EQ(figures.requests, 3u);
  EXPECT_EQ(figures.session_reads, 1u);
  EXPECT_EQ(figures.session_writes, 2u);
  EXPECT_EQ(figures.app_cache_hits, 2u);
  EXPECT_EQ(figures.app_cache_misses, 1u);
  EXPECT_EQ(figures.system_cache_hits, 0u);
  EXPECT_EQ(figures.system_cache_misses, 1u);
}

TEST(RehearsalMetrics, HitRatioIsNullBeforeTheFirstLookup) {
  // A pool nobody looked up has no ratio (null), not a ratio of zero.
  ContainerFigures figures;
  figures.app_cache_hits = 1;
  figures.app_cache_misses = 3;
  const json out = figures_json(figures);
  EXPECT_DOUBLE_EQ(out["cache"]["app"]["hit_ratio"].get<double>(), 0.25);
  EXPECT_TRUE(out["cache"]["system"]["hit_ratio"].is_null());
  EXPECT_EQ(parse_container_metrics("garbage\n# HELP x\nx{a=\"unterminated 3\n").requests, 0u);
}

TEST(RehearsalReport, OneScenarioNamedRehearsalWithItsViolations) {
  // The report holds one scenario, "rehearsal", failed by R3 with the marks placed in real
  // seconds (platform time over the time scale) and the measurements kept.
  const Instant start = default_scenario_start();
  RehearsalInputs in;
  in.seed = 42;
  in.fingerprint = "abc";
  in.timeline = implicit_merge_timeline(start);
  in.measurements = {{"total", {{"requests", 7}}}};
  in.platform_start = start;
  in.time_scale = 60;
  const auto report = rehearsal_report(in);
  ASSERT_EQ(report.scenarios.size(), 1u);
  const auto& s = report.scenarios[0];
  EXPECT_EQ(s.name, "rehearsal");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_FALSE(s.passed);
  ASSERT_FALSE(s.violations.empty());
  EXPECT_EQ(s.violations[0].rule, "R3-review-apps-closed");
  EXPECT_EQ(s.unexpected_violations, std::vector<std::string>{"R3-review-apps-closed"});
  EXPECT_EQ(s.timeline.size(), 3u);
  ASSERT_EQ(s.markers.size(), 1u);
  EXPECT_DOUBLE_EQ(s.markers[0].t_s, 6.0);
  const auto back = report::run_report_from_json(report::to_json(report));
  EXPECT_EQ(back.scenarios.at(0).measurements["total"]["requests"], 7);
}

TEST(RehearsalReport, SecretsOfTheEnvFileAreRedacted) {
  // Tokens, passwords in URLs, DSN keys and webhook ids never reach the report, wherever
  // they appear; short and harmless values stay.
  const EnvEntries env = {{"GITHUB_TOKEN", "ghp_secret_token_1"},
                          {"DATABASE_URL", "mysql://mepsim:db-password-9@127.0.0.1:3306/h"},
                          {"SENTRY_DSN", "http://dsnpublickey@127.0.0.1:9000/1"},
                          {"MATTERMOST_WEBHOOK_URL", "http://127.0.0.1:1/hooks/hookid12345"},
                          {"SCALINGO_REGION", "osc-fr1"},
                          {"MEPSIM_FIXTURE_PASSWORD", "fixture-pass-7"}};
  const auto secrets = secrets_of(env);
  json doc = {{"a", "token ghp_secret_token_1 in text"},
              {"list", {"db-password-9", "dsnpublickey@x", "/hooks/hookid12345"}},
              {"fixture-pass-7", "key with a secret"},
              {"region", "osc-fr1"}};
  redact_secrets(doc, secrets);
  const std::string text = doc.dump();
  for (const char* secret :
       {"ghp_secret_token_1", "db-password-9", "dsnpublickey", "hookid12345", "fixture-pass-7"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
  EXPECT_EQ(doc["a"], "token [redacted] in text");
  EXPECT_EQ(doc["region"], "osc-fr1");
}

TEST(RehearsalMonitor, AnnouncesEachViolationOnce) {
  // A live evaluation finds the same violations on every poll: each is announced the first
  // time only, in the line `mepsim up` prints.
  rules::Violation r3{"R3-review-apps-closed", default_scenario_start(), "PR #1141 merged", {}, {}};
  rules::Violation r1{"R1-ci-gate", default_scenario_start(), "red deployed", {}, {}};
  ViolationTracker tracker;
  EXPECT_EQ(tracker.fresh({r3}).size(), 1u);
  const auto second = tracker.fresh({r3, r1});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].rule, "R1-ci-gate");
  EXPECT_TRUE(tracker.fresh({r3, r1}).empty());
  EXPECT_EQ(violation_line(r3),
            "violation R3-review-apps-closed at 2026-01-05T08:00:00.000Z: PR #1141 merged");
}

TEST(RehearsalAdminApi, ServesRegisteredDocuments) {
  // The admin API serves what the harness registers under /_mepsim/, and 404 for a
  // document gone or never registered.
  RealClock clock;
  fakes::Chaos chaos(Rng(1), clock);
  fakes::AdminApi admin(chaos);
  std::atomic<bool> gone{false};
  admin.register_document("rehearsal/report", [&gone]() -> std::optional<json> {
    if (gone) return std::nullopt;
    return json{{"scenarios", json::array()}};
  });
  ASSERT_TRUE(admin.start().ok());
  httplib::Client client("127.0.0.1", admin.port());
  auto served = client.Get("/_mepsim/rehearsal/report");
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200);
  EXPECT_EQ(json::parse(served->body)["scenarios"], json::array());
  gone = true;
  auto after = client.Get("/_mepsim/rehearsal/report");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 404);
  auto unknown = client.Get("/_mepsim/nothing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace mepsim
