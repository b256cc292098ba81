// Unit tests of what the Sentry fake keeps: issues grouped and counted per release and
// environment, every bound (issues, events per issue, bytes, client reports, releases)
// holding with the oldest going first, release health from session items, and the rate
// limiter's windows on a virtual clock.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "fakes/sentry/issue_store.h"
#include "fakes/sentry/rate_limiter.h"
#include "sim/core/clock.h"

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;
using std::chrono::seconds;

EventSummary summary(const std::string& group, const std::string& release = "1.7.4",
                     const std::string& environment = "production") {
  EventSummary s;
  s.group_key = group;
  s.title = "TypeError: " + group;
  s.culprit = "handler";
  s.release = release;
  s.environment = environment;
  s.event_id = "9ec79c33ec9942ab8353589fcb2e04dc";
  return s;
}

class SentryStoreTest : public ::testing::Test {
 protected:
  VirtualClock clock_{default_scenario_start()};
};

TEST_F(SentryStoreTest, EventsGroupIntoIssuesCountedByReleaseAndEnvironment) {
  // Two events of one group make one issue of count 2; firstSeen/lastSeen follow the clock.
  IssueStore store({});
  const Instant t0 = clock_.now();
  const auto id = store.add_event("histologe", summary("a"), "{}", t0);
  clock_.advance(seconds(30));
  EXPECT_EQ(store.add_event("histologe", summary("a", "1.7.5"), "{}", clock_.now()), id);
  const auto other = store.add_event("histologe", summary("b"), "{}", clock_.now());
  EXPECT_NE(other, id);
  store.add_event("histologe-staging", summary("a"), "{}", clock_.now());
  const auto issue = store.issue(id);
  ASSERT_TRUE(issue.has_value());
  EXPECT_EQ(issue->count, 2u);
  EXPECT_EQ(issue->first_seen, t0);
  EXPECT_EQ(issue->last_seen, t0 + seconds(30));
  EXPECT_EQ(issue->count_by_release.at("1.7.4"), 1u);
  EXPECT_EQ(issue->count_by_release.at("1.7.5"), 1u);
  EXPECT_EQ(issue->count_by_environment.at("production"), 2u);
  EXPECT_EQ(store.issues("histologe", std::nullopt, "").size(), 2u);
  EXPECT_EQ(store.issues("histologe", std::nullopt, "1.7.5").size(), 1u);
  EXPECT_EQ(store.issues("histologe", t0 + seconds(1), "").size(), 2u);
  EXPECT_EQ(store.issues("histologe", t0 + seconds(31), "").size(), 0u);
  EXPECT_EQ(store.issues("histologe-staging", std::nullopt, "").size(), 1u);
  EXPECT_EQ(store.events(id).size(), 2u);
}

TEST_F(SentryStoreTest, BoundsEvictTheOldestFirst) {
  // Issues past their bound go least recently seen first; events per issue oldest first.
  SentryCapacities caps;
  caps.issues_per_project_max = 3;
  caps.events_per_issue_max = 2;
  IssueStore store(caps);
  for (int i = 0; i < 5; ++i) {
    clock_.advance(seconds(1));
    store.add_event("histologe", summary("g" + std::to_string(i)), "{}", clock_.now());
  }
  auto issues = store.issues("histologe", std::nullopt, "");
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues.front().title, "TypeError: g4");
  EXPECT_EQ(issues.back().title, "TypeError: g2");
  for (int i = 0; i < 4; ++i) {
    store.add_event("histologe", summary("g4"), "{\"n\":" + std::to_string(i) + "}", clock_.now());
  }
  const auto events = store.events(issues.front().id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.front().json, "{\"n\":3}");
  EXPECT_EQ(store.issue(issues.front().id)->events_dropped, 3u);
  SentryIngestStats stats;
  store.fill_stats(stats);
  EXPECT_EQ(stats.issues_evicted, 2u);
}

TEST_F(SentryStoreTest, StoredBytesStayWithinTheirBound) {
  // The whole store's byte bound holds however many events arrive; big events are cut.
  SentryCapacities caps;
  caps.store_bytes_max = 64 * 1024;
  caps.event_json_bytes_max = 2048;
  IssueStore store(caps);
  const std::string big(10'000, 'x');
  for (int i = 0; i < 500; ++i) {
    store.add_event("histologe", summary("g" + std::to_string(i % 40)),
                    i % 2 == 0 ? "{\"pad\":\"" + std::string(1500, 'y') + "\"}" : big,
                    clock_.now());
    SentryIngestStats stats;
    store.fill_stats(stats);
    ASSERT_LE(stats.stored_bytes, caps.store_bytes_max) << "after event " << i;
  }
  SentryIngestStats stats;
  store.fill_stats(stats);
  EXPECT_GT(stats.events_evicted, 0u);
  for (const auto& issue : store.issues("histologe", std::nullopt, "")) {
    for (const auto& event : store.events(issue.id)) {
      EXPECT_LE(event.json.size(), caps.event_json_bytes_max + 200);
    }
  }
}

TEST_F(SentryStoreTest, ReleasesPerIssueAreBounded) {
  // A release past the bound is counted under "(other)", so counts stay right.
  SentryCapacities caps;
  caps.releases_per_project_max = 2;
  IssueStore store(caps);
  std::string id;
  for (int i = 0; i < 5; ++i) {
    id = store.add_event("histologe", summary("a", "1.0." + std::to_string(i)), "{}", clock_.now());
  }
  const auto issue = store.issue(id);
  EXPECT_EQ(issue->count_by_release.size(), 3u);
  EXPECT_EQ(issue->count_by_release.at(kOtherRelease), 3u);
  EXPECT_EQ(issue->count, 5u);
}

TEST_F(SentryStoreTest, ReleaseHealthFromSessionAndSessions) {
  // One crashed of four sessions is a crash-free rate of 0.75.
  IssueStore store({});
  auto started = read_session(
      {{"sid", "a"}, {"init", true}, {"status", "ok"}, {"attrs", {{"release", "1.7.4"}}}});
  ASSERT_TRUE(started.ok()) << started.error().message;
  store.add_session("histologe", *started);
  auto crashed =
      read_session({{"sid", "a"}, {"status", "crashed"}, {"attrs", {{"release", "1.7.4"}}}});
  ASSERT_TRUE(crashed.ok());
  store.add_session("histologe", *crashed);
  auto aggregates = read_sessions(
      {{"aggregates", {{{"started", "2026-11-26T10:00:00Z"}, {"exited", 2}, {"errored", 1}}}},
       {"attrs", {{"release", "1.7.4"}, {"environment", "production"}}}});
  ASSERT_TRUE(aggregates.ok()) << aggregates.error().message;
  store.add_session("histologe", *aggregates);
  const auto health = store.release_health("histologe");
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].release, "1.7.4");
  EXPECT_EQ(health[0].sessions, 4u);
  EXPECT_EQ(health[0].crashed, 1u);
  EXPECT_EQ(health[0].errored, 1u);
  EXPECT_DOUBLE_EQ(health[0].crash_free_rate(), 0.75);
}

TEST_F(SentryStoreTest, MalformedSessionsAndReportsAreNamed) {
  // What Relay would drop silently, the fake refuses with the field's name.
  EXPECT_NE(read_session({{"status", "ok"}}).error().message.find("attrs.release"),
            std::string::npos);
  EXPECT_NE(read_session({{"status", "weird"}, {"attrs", {{"release", "1"}}}})
                .error()
                .message.find("weird"),
            std::string::npos);
  EXPECT_FALSE(read_sessions({{"attrs", {{"release", "1"}}}}).ok());
  EXPECT_FALSE(
      read_sessions({{"aggregates", {{{"exited", -1}}}}, {"attrs", {{"release", "1"}}}}).ok());
  EXPECT_FALSE(read_client_report({{"discarded_events", {{{"reason", "x"}}}}}).ok());
  EXPECT_FALSE(read_client_report({{"discarded_events", 3}}).ok());
  EXPECT_FALSE(read_client_report(json::array()).ok());
}

TEST_F(SentryStoreTest, ClientReportsAreKeptWithinTheirBound) {
  // The latest reports stay, the oldest go and are counted.
  SentryCapacities caps;
  caps.client_reports_per_project_max = 2;
  IssueStore store(caps);
  for (std::uint64_t i = 1; i <= 3; ++i) {
    auto report = read_client_report(
        {{"timestamp", 1},
         {"discarded_events",
          {{{"reason", "ratelimit_backoff"}, {"category", "error"}, {"quantity", i}}}}});
    ASSERT_TRUE(report.ok()) << report.error().message;
    store.add_client_report("histologe", std::move(report).value(), clock_.now());
  }
  const auto reports = store.client_reports("histologe");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].discarded[0].quantity, 2u);
  EXPECT_EQ(reports[1].discarded[0].reason, "ratelimit_backoff");
  SentryIngestStats stats;
  store.fill_stats(stats);
  EXPECT_EQ(stats.client_reports_evicted, 1u);
}

TEST_F(SentryStoreTest, RateLimiterWindowsOnTheControlClock) {
  // Two errors pass per 60 s window; the third waits out the window's rest; other
  // categories and projects are not affected; a new window lets items through again.
  RateLimiter limiter({{"histologe", "error", 2, 60}});
  EXPECT_EQ(limiter.admit("histologe", "error", clock_.now()), 0);
  clock_.advance(seconds(10));
  EXPECT_EQ(limiter.admit("histologe", "error", clock_.now()), 0);
  EXPECT_EQ(limiter.admit("histologe", "error", clock_.now()), 50);
  EXPECT_EQ(limiter.admit("histologe", "transaction", clock_.now()), 0);
  EXPECT_EQ(limiter.admit("histologe-demo", "error", clock_.now()), 0);
  clock_.advance(seconds(50));
  EXPECT_EQ(limiter.admit("histologe", "error", clock_.now()), 0);
  limiter.set_rules({{"", "session", 0, 30}});
  EXPECT_EQ(limiter.admit("histologe-demo", "session", clock_.now()), 30);
  EXPECT_EQ(limiter.admit("histologe", "error", clock_.now()), 0);
  EXPECT_EQ(rate_limits_header({{"error", 60}, {"session", 30}}),
            "60:error:project, 30:session:project");
}

}  // namespace
}  // namespace mepsim::fakes::sentry
