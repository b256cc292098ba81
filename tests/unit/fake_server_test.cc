// Unit tests of fakes/common/fake_server.h and request_journal.h: routes over real HTTP on
// loopback, the fake's error shape for every error (no route, 413, a throwing handler,
// chaos), each chaos fault as a real client sees it, and the journal's redaction.

#include "fakes/common/fake_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;

void teapot_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"code", status}, {"message", message}}.dump(), "application/json");
}

std::vector<FakeRoute> test_routes() {
  return {
      {"POST", R"(/echo)", "echo",
       [](FakeExchange& ex) {
         ex.notes.push_back("echoed");
         ex.res.status = 201;
         ex.res.set_content(ex.req.body, "application/json");
       }},
      {"GET", R"(/hooks/(\w+))", "hook",
       [](FakeExchange& ex) { ex.res.set_content("ok " + ex.param(1), "text/plain"); }, 1},
      {"GET", R"(/boom)", "boom", [](FakeExchange&) { throw std::runtime_error("kaboom"); }},
  };
}

class FakeServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(nullptr); }

  void start(Chaos* chaos) {
    server_.reset();
    FakeServerOptions options;
    options.name = "teapot";
    options.body_bytes_max = 1024;
    options.control_clock = &control_;
    options.latency_clock = &latency_;
    options.chaos = chaos;
    options.error_body = teapot_error;
    server_ = std::make_unique<FakeServer>(std::move(options), test_routes());
    ASSERT_TRUE(server_->start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }

  VirtualClock control_{default_scenario_start()};
  VirtualClock latency_{default_scenario_start()};
  std::unique_ptr<FakeServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

// A route answers; the journal keeps method, path, operation, status, body digest and size,
// and the headers with secret values redacted.
TEST_F(FakeServerTest, RoutesAndJournalsWithSecretsRedacted) {
  const httplib::Headers headers = {
      {"api-key", "xkeysib-secret"},
      {"Authorization", "Bearer abc"},
      {"X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=k123, sentry_client=n/1"},
      {"X-Trace", "t-1"}};
  auto res = client_->Post("/echo?token=tk&page=2", headers, R"({"a":1})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, R"({"a":1})");
  const auto entries = server_->journal().entries();
  ASSERT_EQ(entries.size(), 1u);
  const auto& e = entries[0];
  EXPECT_EQ(e.method, "POST");
  EXPECT_EQ(e.path, "/echo?page=2&token=[redacted]");
  EXPECT_EQ(e.operation, "echo");
  EXPECT_EQ(e.status, 201);
  EXPECT_EQ(e.body_bytes, 7u);
  EXPECT_EQ(e.body_sha256, body_digest(R"({"a":1})"));
  EXPECT_EQ(e.body_sha256.size(), 16u);
  EXPECT_EQ(e.notes, std::vector<std::string>{"echoed"});
  EXPECT_EQ(e.at, default_scenario_start());
  const json as_json = to_json(e);
  EXPECT_EQ(as_json["headers"]["api-key"], "[redacted]");
  EXPECT_EQ(as_json["headers"]["authorization"], "[redacted]");
  EXPECT_EQ(as_json["headers"]["x-sentry-auth"],
            "Sentry sentry_version=7, sentry_key=[redacted], sentry_client=n/1");
  EXPECT_EQ(as_json["headers"]["x-trace"], "t-1");
  const std::string dumped = as_json.dump();
  for (const char* secret : {"xkeysib-secret", "abc", "k123", "=tk"}) {
    EXPECT_EQ(dumped.find(secret), std::string::npos) << secret;
  }
}

// A path capability is journaled as [redacted], never as itself.
TEST_F(FakeServerTest, SecretPathGroupIsRedacted) {
  auto res = client_->Get("/hooks/capability42");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "ok capability42");
  EXPECT_EQ(server_->journal().entries().at(0).path, "/hooks/[redacted]");
}

// No route, a throwing handler and an oversized body all answer in the fake's own shape.
TEST_F(FakeServerTest, ErrorsUseTheFakesErrorBody) {
  auto missing = client_->Get("/nowhere");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["code"], 404);
  auto boom = client_->Get("/boom");
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  EXPECT_EQ(json::parse(boom->body)["message"], "internal error");
  auto big = client_->Post("/echo", std::string(4096, 'x'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(json::parse(big->body)["code"], 413);
  const auto entries = server_->journal().entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].notes, std::vector<std::string>{"no such route"});
  EXPECT_EQ(entries[0].operation, "");
  EXPECT_EQ(entries[1].notes.at(0), "internal error: kaboom");
  EXPECT_EQ(entries[2].status, 413);
  EXPECT_EQ(entries[2].notes, std::vector<std::string>{"rejected by the HTTP server"});
}

// Chaos: each fault reaches the client as the real failure would, and is journaled.
TEST_F(FakeServerTest, ChaosFaultsAsAClientSeesThem) {
  Chaos chaos(Rng(11), control_);
  start(&chaos);
  auto set = [&](const json& policy) {
    auto parsed = chaos_policy_from_json(policy);
    ASSERT_TRUE(parsed.ok());
    chaos.set("teapot", "echo", *parsed);
  };
  set({{"rate_limit", {{"probability", 1}, {"retry_after_s", 17}}}});
  auto limited = client_->Post("/echo", "{}", "application/json");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "17");
  EXPECT_EQ(json::parse(limited->body)["code"], 429);

  set({{"error", {{"probability", 1}, {"status", 502}}}});
  auto failed = client_->Post("/echo", "{}", "application/json");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 502);

  set({{"malformed", {{"probability", 1}}}});
  auto malformed = client_->Post("/echo", "{}", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 200);
  EXPECT_TRUE(json::parse(malformed->body, nullptr, false).is_discarded());

  set({{"reset", {{"probability", 1}}}});
  auto reset = client_->Post("/echo", "{}", "application/json");
  EXPECT_FALSE(reset) << "a reset must be a transport failure, got status "
                      << (reset ? reset->status : 0);

  set({{"outage", {{"from", "2026-01-01T00:00:00Z"}}}});
  auto down = client_->Post("/echo", "{}", "application/json");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503);

  // Other operations of the fake are untouched.
  auto hook = client_->Get("/hooks/abc");
  ASSERT_TRUE(hook);
  EXPECT_EQ(hook->status, 200);

  const auto entries = server_->journal().entries();
  ASSERT_EQ(entries.size(), 6u);
  std::vector<std::string> faults;
  for (const auto& e : entries) faults.push_back(e.fault);
  EXPECT_EQ(faults, (std::vector<std::string>{"rate_limit", "error_status", "malformed", "reset",
                                              "outage", ""}));
  const auto used = chaos.faults_used();
  EXPECT_EQ(used.at("teapot.echo.reset"), 1u);
  EXPECT_EQ(used.at("teapot.echo.rate_limit"), 1u);
}

// A drawn delay is slept on the latency clock (virtual here, so it takes no real time).
TEST_F(FakeServerTest, LatencyIsSleptOnTheLatencyClock) {
  Chaos chaos(Rng(2), control_);
  start(&chaos);
  auto policy = chaos_policy_from_json({{"latency", {{"shape", "fixed"}, {"fixed_ms", 250}}}});
  ASSERT_TRUE(policy.ok());
  chaos.set("teapot", "*", *policy);
  const Instant before = latency_.now();
  auto res = client_->Post("/echo", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(latency_.now() - before, std::chrono::milliseconds(250));
  const auto entry = server_->journal().entries().at(0);
  EXPECT_DOUBLE_EQ(entry.latency_ms, 250.0);
  EXPECT_EQ(entry.fault, "");
  EXPECT_EQ(entry.notes.back(), "chaos: latency");
}

// A second start is refused; stop is idempotent.
TEST_F(FakeServerTest, StartTwiceIsAConflict) {
  const auto again = server_->start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  server_->stop();
  server_->stop();
  EXPECT_FALSE(client_->Get("/hooks/x"));
}

// entries_since pages by seq; clear keeps seq counting; the oldest go first when full.
TEST(RequestJournal, PagesClearsAndBounds) {
  RequestJournal journal(3);
  for (int i = 0; i < 5; ++i) journal.record(JournalEntry{});
  EXPECT_EQ(journal.dropped_count(), 2u);
  const auto all = journal.entries_since(0, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().seq, 3u);
  const auto page = journal.entries_since(3, 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].seq, 4u);
  EXPECT_TRUE(journal.entries_since(5, 10).empty());
  journal.clear();
  EXPECT_TRUE(journal.entries().empty());
  journal.record(JournalEntry{});
  EXPECT_EQ(journal.entries().at(0).seq, 6u);
  EXPECT_EQ(journal.recorded_count(), 6u);
}

// Header names that look secret are redacted whatever their case; others are kept.
TEST(RequestJournal, HeaderRedaction) {
  for (const char* name :
       {"Authorization", "cookie", "Set-Cookie", "api-key", "X-Hub-Signature-256", "X-Auth-Token",
        "X-Client-Secret", "X-Password", "Proxy-Authorization"}) {
    EXPECT_TRUE(is_secret_header(name)) << name;
  }
  for (const char* name : {"Content-Type", "User-Agent", "Keep-Alive", "X-GitHub-Event"}) {
    EXPECT_FALSE(is_secret_header(name)) << name;
  }
  const auto kept = journal_headers({{"X-Sentry-Auth", "Sentry sentry_key=abc,sentry_version=7"},
                                     {"User-Agent", std::string(500, 'u')}});
  EXPECT_EQ(kept.at(0).second, "Sentry sentry_key=[redacted],sentry_version=7");
  EXPECT_EQ(kept.at(1).second.size(), RequestJournal::kNoteBytesMax);
  EXPECT_EQ(body_digest(""), "");
  EXPECT_EQ(body_digest("abc"), "ba7816bf8f01cfea");  // SHA-256("abc"), FIPS 180-2
}

}  // namespace
}  // namespace mepsim::fakes
