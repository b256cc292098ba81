// Unit tests of harness/load/load_generator.h against small in-process HTTP servers: the
// open loop keeps its rate, latency counts from the intended send time (a stalled server
// inflates the latency of every request queued behind it), the closed loop runs flat
// out, stop is bounded, and the options are checked before anything starts.

#include "harness/load/load_generator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "harness/load/arrival_schedule.h"
#include "sim/web/http_server.h"

namespace mepsim::load {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

// An HTTP server on loopback answering with `handler`, on `threads` threads.
class TestServer {
 public:
  explicit TestServer(web::Handler handler, int threads = 1) {
    auto server = web::HttpServer::listen(io_, {"127.0.0.1", 0, 1 << 20}, std::move(handler));
    EXPECT_TRUE(server) << server.error().message;
    if (!server) return;
    server_ = std::move(server.value());
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~TestServer() {
    if (server_) server_->close();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<web::HttpServer> server_;
  std::vector<std::thread> threads_;
};

web::Response ok(const web::Request& r, std::string body = "ok") {
  web::Response response(http::status::ok, r.version());
  response.set(http::field::content_type, "text/plain");
  response.body() = std::move(body);
  return response;
}

LoadOptions fixed_path_options(const std::string& url) {
  LoadOptions o;
  o.target_url = url;
  o.fixed_path = "/hello";
  return o;
}

std::unique_ptr<LoadGenerator> start(LoadOptions options, Clock& clock) {
  auto gen = LoadGenerator::start(std::move(options), clock, nullptr);
  EXPECT_TRUE(gen) << gen.error().message;
  return gen ? std::move(gen.value()) : nullptr;
}

// Waits (bounded) for the duration to elapse, then stops.
LoadReport run_to_end(LoadGenerator& gen, RealClock& clock, Duration limit = 20s) {
  const Instant deadline = clock.now() + limit;
  while (!gen.finished() && clock.now() < deadline) clock.sleep(20ms);
  EXPECT_TRUE(gen.finished()) << "the duration never ended";
  gen.stop();
  return gen.report();
}

TEST(LoadSchedule, ConstantAndRampingArrivals) {
  // k/R for a constant rate; a ramp 50 → 150 over 2 s sends 75 then 125, 200 in all.
  const ArrivalSchedule constant(100, std::nullopt, 1s);
  EXPECT_EQ(constant.offset_of(0), Duration::zero());
  EXPECT_EQ(constant.offset_of(50), Duration(500ms));
  EXPECT_FALSE(constant.offset_of(100)) << "nothing at or past the duration";
  const ArrivalSchedule ramp(50, 150, 2s);
  int first = 0, second = 0;
  for (std::uint64_t k = 0; auto t = ramp.offset_of(k); ++k) (*t < 1s ? first : second) += 1;
  EXPECT_NEAR(first, 75, 1);
  EXPECT_NEAR(second, 125, 1);
  EXPECT_DOUBLE_EQ(ramp.peak_rate_per_s(), 150);
  const ArrivalSchedule down(150, 50, 2s);
  int all = 0;
  for (std::uint64_t k = 0; down.offset_of(k); ++k) ++all;
  EXPECT_NEAR(all, 200, 1);
}

TEST(LoadGenerator, OpenLoopKeepsItsRateOnKeepAliveConnections) {
  // 200 requests a second for 1.5 s against a prompt server: ~300 requests, all 200,
  // in a per-second series, few connections, latencies of a loopback.
  std::atomic<int> served{0};
  TestServer server([&](const web::Request& r) {
    ++served;
    return ok(r);
  });
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 200;
  o.duration = 1500ms;
  o.connections = 8;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  const auto report = run_to_end(*gen, clock);
  EXPECT_NEAR(static_cast<double>(report.total.requests), 300, 30);
  EXPECT_EQ(report.total.status.at(200), report.total.requests);
  EXPECT_EQ(served.load(), report.total.requests);
  EXPECT_LT(report.total.latency.percentile_ms(50), 50);
  EXPECT_GE(report.series.size(), 1u);
  EXPECT_EQ(report.per_route.at("/hello").requests, report.total.requests);
  EXPECT_FALSE(report.running);
}

TEST(LoadGenerator, StalledServerInflatesTheLatencyOfQueuedRequests) {
  // The server stops for 1 s once. Requests meant to leave during the stall wait, and
  // their latency counts from when they were meant to leave: about 100 of 250 are over
  // 200 ms. A generator suffering coordinated omission would show ~4 slow requests.
  std::atomic<bool> stalled{false};
  RealClock server_clock;
  const Instant stall_at = server_clock.now() + 700ms;
  TestServer server([&](const web::Request& r) {
    if (server_clock.now() >= stall_at && !stalled.exchange(true)) server_clock.sleep(1s);
    return ok(r);
  });
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 100;
  o.duration = 2500ms;
  o.connections = 4;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  const auto report = run_to_end(*gen, clock);
  ASSERT_TRUE(stalled.load());
  EXPECT_GT(report.total.latency.percentile_ms(75), 200) << nlohmann::json(to_json(report)).dump();
  EXPECT_GT(report.total.latency.max_ms(), 900);
  EXPECT_GT(report.backlog_max, 50) << "the arrivals queued behind the stall";
}

TEST(LoadGenerator, LatencyOfASlowServerIsMeasured) {
  // A server taking 20 ms: the median is at least that, and not much more.
  TestServer server(
      [](const web::Request& r) {
        RealClock().sleep(20ms);
        return ok(r);
      },
      4);
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 50;
  o.duration = 1s;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  const auto report = run_to_end(*gen, clock);
  EXPECT_GE(report.total.latency.percentile_ms(50), 20);
  EXPECT_LT(report.total.latency.percentile_ms(50), 150);
}

TEST(LoadGenerator, ClosedLoopRunsAsFastAsItGoes) {
  // N connections back to back: far more than an open loop's 20/s, never a backlog.
  TestServer server([](const web::Request& r) { return ok(r); });
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.closed = true;
  o.connections = 4;
  o.duration = 700ms;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  const auto report = run_to_end(*gen, clock);
  EXPECT_GT(report.total.requests, 200);
  EXPECT_LE(report.backlog_max, 4);
  EXPECT_EQ(report.total.status.at(200), report.total.requests);
  EXPECT_EQ(to_json(report).at("mode"), "closed");
}

TEST(LoadGenerator, ShardsShareTheRateAndMergeTheirCounts) {
  // Two threads at 100/s each for 1.5 s: 300 in all, one series, a report callable
  // while they run.
  TestServer server([](const web::Request& r) { return ok(r); }, 2);
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 200;
  o.threads = 2;
  o.connections = 8;
  o.duration = 1500ms;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  clock.sleep(700ms);
  const auto midway = gen->report();
  EXPECT_TRUE(midway.running);
  EXPECT_GT(midway.total.requests, 80);
  const auto report = run_to_end(*gen, clock);
  EXPECT_NEAR(static_cast<double>(report.total.requests), 300, 30);
  std::int64_t in_series = 0;
  for (const auto& s : report.series) in_series += s.requests;
  EXPECT_EQ(in_series + report.series_late, report.total.requests);
}

TEST(LoadGenerator, StopIsBoundedIdempotentAndCountsWhatItCut) {
  // A server that hangs: stop() returns after the grace, twice is fine, the exchanges
  // cut count as "stopped", and no duration means running until told.
  TestServer server(
      [](const web::Request& r) {
        RealClock().sleep(1500ms);
        return ok(r);
      },
      2);
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 50;
  o.connections = 2;
  o.stop_grace = 200ms;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  clock.sleep(300ms);
  EXPECT_FALSE(gen->finished());
  const Instant before = clock.now();
  gen->stop();
  gen->stop();
  EXPECT_LT(clock.now() - before, 1s);
  const auto report = gen->report();
  EXPECT_EQ(report.total.errors.at("stopped"), 2);
  EXPECT_GT(report.unsent_at_stop, 0);
}

TEST(LoadGenerator, ClosedSecondsCarryTheirPhase) {
  // Each closed second names the phase in effect when it ended (a mark 1.2 s in leaves
  // second 0 in the first phase); closed_seconds_after gives those after a second.
  TestServer server([](const web::Request& r) { return ok(r); });
  RealClock clock;
  auto o = fixed_path_options(server.url());
  o.rate_per_s = 50;
  auto gen = start(o, clock);
  ASSERT_TRUE(gen);
  clock.sleep(1200ms);
  gen->mark_phase("toggle");
  clock.sleep(1500ms);
  gen->stop();
  const auto all = gen->closed_seconds_after(-1);
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(all.front().second, 0);
  EXPECT_EQ(all.front().phase, "load");
  EXPECT_EQ(all.back().phase, "toggle");
  const auto later = gen->closed_seconds_after(0);
  ASSERT_EQ(later.size(), all.size() - 1);
  EXPECT_EQ(later.front().second, 1);
}

TEST(LoadGenerator, OptionsAreCheckedFirst) {
  // Each mistake is refused with the option's name; nothing starts.
  RealClock clock;
  const auto refused = [&](LoadOptions o, const std::string& word) {
    auto gen = LoadGenerator::start(std::move(o), clock, nullptr);
    ASSERT_FALSE(gen) << word;
    EXPECT_EQ(gen.error().code, ErrorCode::invalid_input);
    EXPECT_NE(gen.error().message.find(word), std::string::npos) << gen.error().message;
  };
  LoadOptions base;
  base.target_url = "http://127.0.0.1:9";
  base.password = "p";
  auto o = base;
  o.target_url = "https://example.org";
  refused(o, "target_url");
  o = base;
  o.mix_percent = {{UserClass::anonymous, 50}, {UserClass::admin, 40}};
  refused(o, "mix");
  o = base;
  o.ramp_to_rate_per_s = 100;
  refused(o, "ramp_to");
  o = base;
  o.rate_per_s = 0;
  refused(o, "rate");
  o = base;
  o.mix_percent = {{UserClass::admin, 100}};
  o.accounts.clear();
  refused(o, "admin");
  RealClock fast(20);
  auto scaled = LoadGenerator::start(base, fast, nullptr);
  ASSERT_FALSE(scaled);
  EXPECT_NE(scaled.error().message.find("scale"), std::string::npos);
}

}  // namespace
}  // namespace mepsim::load
