// `mepsim load`'s poster of seconds to the dashboard: what it sends reaches a dashboard's
// POST route; a dashboard that is gone or refuses costs counted drops and one warning,
// never an error; the queue is bounded; a closed second becomes the dashboard's shape.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "harness/cli/load_dashboard.h"
#include "harness/dashboard/dashboard_server.h"
#include "harness/dashboard/report_dashboard.h"
#include "harness/load/dashboard_poster.h"

namespace mepsim::load {
namespace {

using dashboard::LoadSecond;

class CountingSink final : public dashboard::LoadSecondsSink {
 public:
  std::size_t add_load_seconds(const std::string& name,
                               const std::vector<LoadSecond>& seconds) override {
    std::lock_guard lock(mutex);
    last_name = name;
    for (const auto& s : seconds) received.push_back(s.second);
    return seconds.size();
  }
  std::mutex mutex;
  std::string last_name;
  std::vector<std::int64_t> received;
};

std::vector<LoadSecond> seconds_from(std::int64_t first, std::int64_t count) {
  std::vector<LoadSecond> out;
  for (std::int64_t n = first; n < first + count; ++n) {
    LoadSecond s;
    s.second = n;
    s.at_ms = 1'000 * n;
    s.phase = "load";
    out.push_back(s);
  }
  return out;
}

DashboardPosterOptions options_for(std::uint16_t port) {
  DashboardPosterOptions o;
  o.dashboard_url = "http://127.0.0.1:" + std::to_string(port) + "/";
  o.load_name = "histologe-7";
  o.retry_wait = std::chrono::milliseconds(50);
  return o;
}

// A port nothing listens on: a dashboard's, once it stopped.
std::uint16_t closed_port() {
  dashboard::DashboardFeed feed;
  const dashboard::FixedSnapshot snapshot("{}");
  dashboard::DashboardServer server(feed, snapshot);
  EXPECT_TRUE(server.start());
  const auto port = server.port();
  server.stop();
  return port;
}

TEST(LoadDashboardPoster, SecondsReachTheDashboard) {
  // Offered seconds arrive in order under the load's name; finish() reports them posted.
  dashboard::DashboardFeed feed;
  const dashboard::FixedSnapshot snapshot("{}");
  CountingSink sink;
  dashboard::DashboardServer server(feed, snapshot, {}, &sink);
  ASSERT_TRUE(server.start());
  RealClock clock;
  int warnings = 0;
  auto poster = DashboardPoster::start(options_for(server.port()), clock,
                                       [&](const std::string&) { ++warnings; });
  ASSERT_TRUE(poster) << poster.error().message;
  poster.value()->offer(seconds_from(0, 3));
  poster.value()->offer(seconds_from(3, 2));
  const auto counts = poster.value()->finish();
  EXPECT_EQ(counts.offered, 5);
  EXPECT_EQ(counts.posted, 5);
  EXPECT_EQ(counts.dropped, 0);
  EXPECT_EQ(warnings, 0);
  std::lock_guard lock(sink.mutex);
  EXPECT_EQ(sink.last_name, "histologe-7");
  EXPECT_EQ(sink.received, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  server.stop();
}

TEST(LoadDashboardPoster, ADashboardGoneCostsCountedDropsAndOneWarning) {
  // Nothing listens: the seconds are kept for another try within the queue's bound, the
  // oldest pushed out past it, the rest dropped at the end; one warning, no error.
  RealClock clock;
  std::atomic<int> warnings{0};
  auto options = options_for(closed_port());
  options.queue_seconds_max = 10;
  auto poster = DashboardPoster::start(options, clock, [&](const std::string&) { ++warnings; });
  ASSERT_TRUE(poster);
  for (std::int64_t n = 0; n < 25; n += 5) poster.value()->offer(seconds_from(n, 5));
  const auto counts = poster.value()->finish();
  EXPECT_EQ(counts.offered, 25);
  EXPECT_EQ(counts.posted, 0);
  EXPECT_EQ(counts.dropped, 25);
  EXPECT_GE(counts.posts_failed, 1);
  EXPECT_FALSE(counts.last_error.empty());
  EXPECT_EQ(warnings.load(), 1);
}

TEST(LoadDashboardPoster, RefusedSecondsAreNotSentAgain) {
  // A dashboard that refuses (404: a finished report's) drops the batch at once.
  dashboard::DashboardFeed feed;
  const dashboard::FixedSnapshot snapshot("{}");
  dashboard::DashboardServer server(feed, snapshot);
  ASSERT_TRUE(server.start());
  RealClock clock;
  auto options = options_for(server.port());
  options.seconds_per_post_max = 4;
  auto poster = DashboardPoster::start(options, clock, nullptr);
  ASSERT_TRUE(poster);
  poster.value()->offer(seconds_from(0, 4));
  const auto counts = poster.value()->finish();
  EXPECT_EQ(counts.dropped, 4);
  EXPECT_EQ(counts.posts_failed, 1);
  EXPECT_NE(counts.last_error.find("HTTP 404"), std::string::npos) << counts.last_error;
  server.stop();
}

TEST(LoadDashboardPoster, BadSettingsAreRefused) {
  // A URL that is not plain HTTP, or a name the dashboard would refuse.
  RealClock clock;
  auto options = options_for(1);
  options.dashboard_url = "https://127.0.0.1:1/";
  EXPECT_FALSE(DashboardPoster::start(options, clock, nullptr));
  options = options_for(1);
  options.load_name = "a/b";
  EXPECT_FALSE(DashboardPoster::start(options, clock, nullptr));
}

TEST(LoadDashboardPoster, AClosedSecondInTheDashboardsShape) {
  // Codes by class, transport errors apart, no percentiles without an answer, at_ms from
  // the load's start, the phase kept.
  SecondSummary s;
  s.second = 4;
  s.requests = 6;
  s.status = {{200, 2}, {302, 1}, {503, 1}, {0, 2}};
  s.errors = 2;
  s.p50_ms = 1.5;
  s.p90_ms = 3;
  s.p99_ms = 9;
  s.session_losses = 1;
  s.phase = "toggle-1-maintenance";
  const Instant start{std::chrono::seconds(1'000)};
  const auto second = load_second_of(s, start, 0);
  EXPECT_EQ(second.at_ms, 1'004'000);
  EXPECT_EQ(second.status, (std::array<std::int64_t, 5>{2, 1, 0, 1, 0}));
  EXPECT_EQ(second.errors, 2);
  EXPECT_EQ(second.p99_ms, 9.0);
  EXPECT_EQ(second.lost_writes, 0);
  EXPECT_EQ(second.phase, "toggle-1-maintenance");

  SecondSummary unanswered;
  unanswered.requests = 3;
  unanswered.status = {{0, 3}};
  unanswered.errors = 3;
  EXPECT_FALSE(load_second_of(unanswered, start, std::nullopt).p50_ms.has_value());
  EXPECT_EQ(default_dashboard_name("histologe", 42), "histologe-42");
  EXPECT_EQ(default_dashboard_name("", 42), "load-42");
}

TEST(LoadDashboardPoster, OnlyALoadOnAnAppOfTheTopologyPosts) {
  // The env file's dashboard is used when the target is one of its APP_URL_*, and the
  // load is named after that app; another target, or no dashboard, posts nothing.
  std::map<std::string, std::string> env = {{"APP_URL_HISTOLOGE", "http://127.0.0.1:4001"},
                                            {"APP_URL_HISTOLOGE_STAGING", "http://127.0.0.1:4002"},
                                            {"MEPSIM_DASHBOARD_URL", "http://127.0.0.1:4999/"}};
  const auto target = load_cli::dashboard_target_for(env, "http://127.0.0.1:4002/");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->url, "http://127.0.0.1:4999/");
  EXPECT_EQ(target->app, "histologe-staging");
  EXPECT_FALSE(load_cli::dashboard_target_for(env, "http://127.0.0.1:5000"));
  env.erase("MEPSIM_DASHBOARD_URL");
  EXPECT_FALSE(load_cli::dashboard_target_for(env, "http://127.0.0.1:4001"));
}

}  // namespace
}  // namespace mepsim::load
