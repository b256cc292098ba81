// Unit tests of the load generator's users against a small in-process app that answers
// like the replica (login, back-office, reports, API token, maintenance logouts):
// sessions kept and lost, phases, cache ratio, writes, the R10 events and the report's
// JSON; and the bounds of the series and the events.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "harness/load/exchange_events.h"
#include "harness/load/load_generator.h"
#include "harness/load/load_series.h"
#include "sim/web/http_server.h"

namespace mepsim::load {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

// Answers like the replica's routes, with a switch for maintenance mode.
class FakeApp {
 public:
  FakeApp() {
    auto server = web::HttpServer::listen(io_, {"127.0.0.1", 0, 1 << 20},
                                          [this](const web::Request& r) { return handle(r); });
    EXPECT_TRUE(server) << server.error().message;
    server_ = std::move(server.value());
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~FakeApp() {
    server_->close();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  std::atomic<bool> maintenance{false};

 private:
  web::Response reply(const web::Request& r, int status, std::string body = "") {
    web::Response response(static_cast<http::status>(status), r.version());
    response.body() = std::move(body);
    return response;
  }
  web::Response redirect(const web::Request& r, const std::string& to) {
    auto response = reply(r, 302);
    response.set(http::field::location, to);
    return response;
  }
  // The session's email, or "" when the cookie names none.
  std::string session_of(const web::Request& r) {
    const std::string cookie(r[http::field::cookie]);
    const auto at = cookie.find("PHPSESSID=");
    if (at == std::string::npos) return "";
    const std::string id = cookie.substr(at + 10, cookie.find(';', at) - at - 10);
    std::lock_guard lock(mutex_);
    const auto found = sessions_.find(id);
    return found == sessions_.end() ? "" : found->second;
  }

  web::Response handle(const web::Request& r) {
    const std::string path(r.target());
    const bool post = r.method() == http::verb::post;
    if (post && path == "/connexion") {
      const std::string body = r.body();
      const auto at = body.find("email=") + 6;
      const std::string email = body.substr(at, body.find('&') - at);
      std::lock_guard lock(mutex_);
      const std::string id = "s" + std::to_string(++next_id_);
      sessions_[id] = email;
      auto response = redirect(r, "/bo");
      response.set(http::field::set_cookie, "PHPSESSID=" + id + "; path=/; httponly");
      return response;
    }
    if (path == "/api/login") return reply(r, 200, R"({"token":"tok"})");
    if (path.starts_with("/api/") && path != "/api/doc") {
      if (maintenance) return reply(r, 503, R"({"message":"Maintenance en cours"})");
      if (std::string(r[http::field::authorization]) != "Bearer tok") return reply(r, 401);
      if (post) return reply(r, 201, R"({"uuid":"a-)" + next() + R"(","reference":"2026-A"})");
      return reply(r, 200, "[]");
    }
    const std::string email = session_of(r);
    if (maintenance && !email.empty() && !email.starts_with("admin-01"))
      return redirect(r, "/logout");
    if (path.starts_with("/signalement-draft/")) {
      if (maintenance) return redirect(r, "/");
      if (path.ends_with("/new")) return reply(r, 201, R"({"uuid":"d-)" + next() + R"("})");
      const std::string n = next();
      return reply(r, 201,
                   R"({"uuid":"r-)" + n + R"(","reference":"2026-)" + n + R"(","code_suivi":"c)" +
                       n + R"("})");
    }
    if (path.starts_with("/bo")) {
      if (email.empty()) return redirect(r, "/connexion");
      auto response = reply(r, 200, "<h1>bo</h1>");
      response.set("X-Cache", std::stoi(next()) % 2 == 0 ? "hit" : "miss");
      return response;
    }
    auto response = reply(r, 200, "<h1>page</h1>");
    if (path == "/") response.set("X-Cache", "hit");
    return response;
  }
  std::string next() {
    std::lock_guard lock(mutex_);
    return std::to_string(++next_id_);
  }

  boost::asio::io_context io_;
  std::unique_ptr<web::HttpServer> server_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::map<std::string, std::string> sessions_;
  std::uint64_t next_id_ = 0;
};

TEST(LoadApp, MixedUsersThroughAMaintenanceWindow) {
  // Before, during and after maintenance: non-admins are logged out during it (expected),
  // log in again after; admins keep their session; nothing is lost unexpectedly; each
  // phase has its own counts; reports are accepted, refused in maintenance, and every
  // login and submission is an event carrying the maintenance flag.
  FakeApp app;
  RealClock clock;
  EventLog log;
  LoadOptions o;
  o.target_url = app.url();
  o.rate_per_s = 120;
  o.connections = 8;
  o.password = "pw";
  o.mix_percent = {{UserClass::anonymous, 40},
                   {UserClass::usager, 10},
                   {UserClass::partner, 25},
                   {UserClass::admin, 15},
                   {UserClass::api, 10}};
  o.initial_phase = "before";
  o.think_time = 100ms;  // eight users a class: each logs in, then works
  auto started = LoadGenerator::start(o, clock, &log);
  ASSERT_TRUE(started) << started.error().message;
  auto& gen = *started.value();
  clock.sleep(1200ms);
  app.maintenance = true;
  gen.set_maintenance_expected(true);
  gen.mark_phase("during");
  clock.sleep(1200ms);
  app.maintenance = false;
  gen.set_maintenance_expected(false);
  gen.mark_phase("after");
  clock.sleep(1200ms);
  gen.stop();
  const auto r = gen.report();
  const auto json = to_json(r);

  EXPECT_EQ(r.sessions.unexpected_losses, 0) << json.dump(1);
  EXPECT_GT(r.sessions.expected_logouts, 0);
  EXPECT_GT(r.sessions.relogins, 0);
  ASSERT_TRUE(r.sessions_per_class.contains(UserClass::admin));
  EXPECT_EQ(r.sessions_per_class.at(UserClass::admin).expected_logouts, 0);
  EXPECT_EQ(r.sessions_per_class.at(UserClass::admin).unexpected_losses, 0);
  ASSERT_EQ(r.per_phase.size(), 3u);
  for (const auto& phase : r.per_phase) {
    EXPECT_GT(phase.tally.requests, 50) << phase.name;
    EXPECT_NEAR(phase.duration_s, 1.2, 0.3) << phase.name;
  }
  EXPECT_GT(r.per_phase[1].tally.status.at(503), 0) << "the API in maintenance";
  EXPECT_GT(r.cache.hits, 0);
  EXPECT_GT(r.cache.hit_ratio(), 0.0);
  EXPECT_GT(r.writes.accepted, 0);
  EXPECT_GT(r.writes.refused, 0);
  EXPECT_EQ(r.writes.failed, 0);
  EXPECT_EQ(r.accepted_writes->size(), static_cast<std::size_t>(r.writes.accepted));
  EXPECT_EQ(r.total.errors.size(), 0u) << json.dump(1);
  for (const auto c : kAllClasses) EXPECT_GT(r.per_class.at(c).requests, 0) << class_name(c);

  int logins = 0, refused_in_maintenance = 0, events = 0;
  for (const auto& e : log.retained()) {
    if (e.component != "users") continue;
    ++events;
    EXPECT_EQ(e.plane, Plane::data);
    EXPECT_EQ(e.name, "http.exchange");
    EXPECT_EQ(e.field("app"), "histologe");
    if (e.field("outcome") == "login_ok") {
      ++logins;
      EXPECT_NE(e.field("role"), "");
    }
    if (e.field("outcome") == "submission_refused" && e.field("maintenance") == "1") {
      ++refused_in_maintenance;
    }
    EXPECT_NE(e.field("outcome"), "") << e.field("path");
  }
  EXPECT_GT(logins, 0);
  EXPECT_GT(refused_in_maintenance, 0);
  EXPECT_EQ(r.events_published, events);
  EXPECT_EQ(r.events_dropped, 0);

  // The JSON the scenario runner and `mepsim load` read.
  for (const char* key :
       {"requests", "duration_s", "rps", "latency_ms", "status", "errors", "per_class", "per_phase",
        "per_route", "sessions", "cache", "writes", "series"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  for (const char* p : {"p50", "p90", "p99", "p999", "max"})
    EXPECT_TRUE(json["latency_ms"].contains(p));
  EXPECT_TRUE(json["per_phase"]["during"]["latency_ms"].contains("p99"));
  EXPECT_TRUE(json["per_class"]["admin"].contains("status"));
  EXPECT_TRUE(json["writes"]["lost"].is_null()) << "not checked yet";
  EXPECT_GT(json["cache"]["hit_ratio"].get<double>(), 0);
  EXPECT_GE(r.series.size(), 3u);
  EXPECT_EQ(to_series(r).size(), r.series.size());
  std::int64_t in_series = 0;
  for (const auto& s : r.series) in_series += s.requests;
  EXPECT_EQ(in_series + r.series_late, r.total.requests) << "every exchange in one second";
}

TEST(LoadSeries, TheRingKeepsTheLastHour) {
  // 4000 seconds pushed: the last 3600 stay, the oldest left and were counted.
  SeriesRing ring;
  for (std::int64_t s = 0; s < 4000; ++s) {
    SecondSummary summary;
    summary.second = s;
    ring.push(summary);
  }
  EXPECT_EQ(ring.seconds().size(), SeriesRing::kSecondsMax);
  EXPECT_EQ(ring.seconds().front().second, 400);
  EXPECT_EQ(ring.evicted(), 400);
}

TEST(LoadSeries, LiveBinsAreReusedAndLateRecordsCounted) {
  // A shard's bins cycle over 8 seconds; a record for a closed second is counted late; a
  // bin reused before its second was closed is counted as overwritten.
  auto bins = std::make_unique<SecondBins>();
  ASSERT_NE(bins->bin_for(3, 0), nullptr);
  bins->bin_for(3, 0)->tally.add_answer(200, 1ms);
  EXPECT_EQ(bins->find(3)->tally.requests, 1);
  EXPECT_EQ(bins->bin_for(2, 3), nullptr);
  EXPECT_EQ(bins->late(), 1);
  EXPECT_NE(bins->bin_for(11, 2), nullptr);  // second 3's bin, and 3 was never closed
  EXPECT_EQ(bins->overwritten(), 1);
  EXPECT_EQ(bins->find(3), nullptr);
  EXPECT_EQ(bins->bin_for(11, 2)->tally.requests, 0);
  EXPECT_NE(bins->bin_for(19, 12), nullptr);  // second 11 was closed: a plain reuse
  EXPECT_EQ(bins->overwritten(), 1);
}

TEST(LoadEvents, BoundedPerRun) {
  // Past 10,000 events the rest are counted, not published.
  EventLog log;
  ExchangeEvents events(&log, "histologe");
  VirtualUser user;
  for (int i = 0; i < 10'005; ++i) {
    events.publish(Instant{}, user, "POST", "/connexion", 302, Outcome::login_ok, false);
  }
  EXPECT_EQ(events.published(), ExchangeEvents::kPublishedMax);
  EXPECT_EQ(events.dropped(), 5);
  EXPECT_EQ(log.published_count(), static_cast<std::uint64_t>(ExchangeEvents::kPublishedMax));
}

}  // namespace
}  // namespace mepsim::load
