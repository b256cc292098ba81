// A running load's seconds on the dashboard: the POST body read strictly (every error
// names its field), the merge into bounded rings per load (order, duplicates, stale
// seconds, several loads, the oldest load evicted), the server's POST route (200, 400,
// 403, 404, 413, 415), and a load report's series read for `mepsim report open`.

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/dashboard/dashboard_server.h"
#include "harness/dashboard/live_loads.h"
#include "harness/dashboard/load_report_dashboard.h"
#include "harness/dashboard/load_seconds.h"
#include "harness/dashboard/report_dashboard.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

LoadSecond second_at(std::int64_t n) {
  LoadSecond s;
  s.second = n;
  s.at_ms = 1'000'000 + n * 1000;
  s.requests = 10;
  s.status = {8, 0, 1, 0, 0};
  s.errors = 1;
  s.p50_ms = 2.5;
  s.p90_ms = 7;
  s.p99_ms = 30;
  s.session_losses = n % 2;
  s.phase = "load";
  return s;
}

std::string body_of(const std::vector<LoadSecond>& seconds) {
  json out = json::array();
  for (const auto& s : seconds) out.push_back(load_second_json(s));
  return out.dump();
}

std::string error_of(const std::string& body) {
  auto parsed = parse_load_seconds(body);
  return parsed ? "" : parsed.error().message;
}

TEST(DashboardLoadSeconds, WhatThePosterSendsReadsBack) {
  // load_second_json and parse_load_seconds agree, nulls included.
  auto quiet = second_at(3);
  quiet.p50_ms = quiet.p90_ms = quiet.p99_ms = std::nullopt;
  quiet.lost_writes = 0;
  quiet.at_ms = 1'795'000'000'000;  // a unix time of today, in milliseconds
  const std::vector<LoadSecond> seconds = {second_at(2), quiet};
  auto parsed = parse_load_seconds(body_of(seconds));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed.value(), seconds);
}

TEST(DashboardLoadSeconds, EveryErrorNamesItsField) {
  // Missing, unknown, mistyped and out-of-range fields are refused with their path.
  const auto with = [](const char* key, const json& value) {
    json item = load_second_json(second_at(1));
    item[key] = value;
    return json::array({load_second_json(second_at(0)), item}).dump();
  };
  json missing = load_second_json(second_at(1));
  missing.erase("p99_ms");
  EXPECT_EQ(error_of(json::array({missing}).dump()), "seconds[0].p99_ms: missing");
  EXPECT_EQ(error_of(with("colour", "red")), "seconds[1].colour: unknown field");
  EXPECT_EQ(error_of(with("requests", "12")), "seconds[1].requests: an integer is expected");
  EXPECT_EQ(error_of(with("requests", -1)), "seconds[1].requests: out of range");
  EXPECT_EQ(error_of(with("at_ms", 1e300)), "seconds[1].at_ms: an integer is expected");
  EXPECT_EQ(error_of(with("at_ms", std::uint64_t{1} << 63)), "seconds[1].at_ms: out of range");
  EXPECT_EQ(error_of(with("p90_ms", -3.0)), "seconds[1].p90_ms: out of range");
  EXPECT_EQ(error_of(with("p50_ms", "fast")),
            "seconds[1].p50_ms: a number of milliseconds or null");
  EXPECT_EQ(error_of(with("status", json{{"2xx", 1}})), "seconds[1].status.3xx: missing");
  EXPECT_EQ(error_of(with("status", json{{"200", 1}})),
            "seconds[1].status.200: not a status class (2xx, 3xx, 4xx, 5xx, other)");
  EXPECT_EQ(error_of(with("phase", "a\nb")),
            "seconds[1].phase: at most 64 printable ASCII characters");
  EXPECT_EQ(error_of(with("phase", std::string(65, 'p'))),
            "seconds[1].phase: at most 64 printable ASCII characters");
  EXPECT_EQ(error_of(with("lost_writes", 1.5)), "seconds[1].lost_writes: an integer is expected");
  EXPECT_EQ(error_of("{\"second\": 1}"), "body: a JSON array of seconds is expected");
  EXPECT_EQ(error_of("[1,"), "body: not JSON");
  EXPECT_EQ(error_of("[]"), "body: 1 to 600 seconds per post");
  EXPECT_EQ(error_of("[3]"), "seconds[0]: an object is expected");
}

TEST(DashboardLoadSeconds, LoadNames) {
  // Names go in a URL path and on the page: a short set of characters only.
  EXPECT_TRUE(valid_load_name("histologe-4242"));
  EXPECT_TRUE(valid_load_name("toggle_test.2"));
  EXPECT_FALSE(valid_load_name(""));
  EXPECT_FALSE(valid_load_name("a/b"));
  EXPECT_FALSE(valid_load_name("<script>"));
  EXPECT_FALSE(valid_load_name(std::string(65, 'a')));
}

TEST(DashboardLiveLoads, SecondsInOrderWhateverTheyCameIn) {
  // Out-of-order seconds are put in order; one posted again replaces the one held; each
  // sits on the dashboard's axis (its at_ms minus the dashboard's start).
  LiveLoads loads(1'000.0);
  auto merged = loads.merge("a", {second_at(3), second_at(1)});
  EXPECT_EQ(merged.kept.size(), 2u);
  loads.merge("a", {second_at(2)});
  auto again = second_at(3);
  again.lost_writes = 0;
  merged = loads.merge("a", {again});
  EXPECT_EQ(merged.kept.size(), 1u);
  const auto points = loads.points("a");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].second.second, 1);
  EXPECT_EQ(points[1].second.second, 2);
  EXPECT_EQ(points[2].second, again);
  EXPECT_DOUBLE_EQ(points[0].t_s, 1.0);  // at_ms 1'001'000 is 1 s after the start
  EXPECT_EQ(loads.loads_json().at(0).at("seconds").at(2).at("lost_writes"), 0);
  EXPECT_FALSE(loads.loads_json().at(0).at("seconds").at(0).contains("at_ms"));
}

TEST(DashboardLiveLoads, TheRingKeepsTheLastSeconds) {
  // Past kSecondsKept the oldest go; a second older than a full ring's oldest is stale.
  LiveLoads loads(0);
  std::vector<LoadSecond> seconds;
  for (std::int64_t n = 0; n < 700; ++n) seconds.push_back(second_at(n));
  loads.merge("a", seconds);
  auto points = loads.points("a");
  ASSERT_EQ(points.size(), LiveLoads::kSecondsKept);
  EXPECT_EQ(points.front().second.second, 100);
  EXPECT_EQ(points.back().second.second, 699);
  const auto merged = loads.merge("a", {second_at(50), second_at(150)});
  EXPECT_EQ(merged.stale, 1u);
  EXPECT_EQ(merged.kept.size(), 1u);
  EXPECT_EQ(loads.points("a").size(), LiveLoads::kSecondsKept);
}

TEST(DashboardLiveLoads, LoadsApartAndTheOldestEvicted) {
  // Two loads keep their own seconds; past kLoadsKept the one that posted least recently
  // gives its place and is named as evicted.
  LiveLoads loads(0);
  loads.merge("a", {second_at(1)});
  loads.merge("b", {second_at(1), second_at(2)});
  EXPECT_EQ(loads.points("a").size(), 1u);
  EXPECT_EQ(loads.points("b").size(), 2u);
  for (std::size_t i = 2; i < LiveLoads::kLoadsKept; ++i) {
    loads.merge("load-" + std::to_string(i), {second_at(0)});
  }
  loads.merge("a", {second_at(2)});  // b is now the least recent
  const auto merged = loads.merge("newcomer", {second_at(0)});
  ASSERT_EQ(merged.evicted, std::vector<std::string>{"b"});
  EXPECT_EQ(loads.size(), LiveLoads::kLoadsKept);
  EXPECT_TRUE(loads.points("b").empty());
  EXPECT_EQ(loads.points("a").size(), 2u);
  EXPECT_EQ(loads.loads_json().back().at("name"), "newcomer");
}

class RecordingSink final : public LoadSecondsSink {
 public:
  std::size_t add_load_seconds(const std::string& name,
                               const std::vector<LoadSecond>& seconds) override {
    std::lock_guard lock(mutex);
    names.push_back(name);
    received += seconds.size();
    return seconds.size();
  }
  std::mutex mutex;
  std::vector<std::string> names;
  std::size_t received = 0;
};

TEST(DashboardLoadPost, TheRouteChecksEverythingBeforeMerging) {
  // 200 with the count kept; 400 naming the field or the name; 415 without JSON's type;
  // 413 past the bound; 403 for a Host that is not loopback; nothing merged but the good one.
  DashboardFeed feed;
  const FixedSnapshot snapshot("{}");
  RecordingSink sink;
  DashboardServer server(feed, snapshot, {}, &sink);
  ASSERT_TRUE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  const std::string good = body_of({second_at(0), second_at(1)});
  auto ok = client.Post("/load/histologe-1/seconds", good, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body).at("kept"), 2);

  auto bad = client.Post("/load/histologe-1/seconds", "[{\"second\": 1}]", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("seconds[0]."), std::string::npos) << bad->body;
  auto name = client.Post("/load/a%20b/seconds", good, "application/json");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->status, 400);
  EXPECT_NE(name->body.find("name:"), std::string::npos) << name->body;
  auto form = client.Post("/load/x/seconds", good, "text/plain");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto huge =
      client.Post("/load/x/seconds", std::string(kLoadBodyBytesMax + 1, ' '), "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  httplib::Headers rebound = {{"Host", "attacker.example:80"}};
  auto foreign = client.Post("/load/x/seconds", rebound, good, "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);

  std::lock_guard lock(sink.mutex);
  EXPECT_EQ(sink.names, std::vector<std::string>{"histologe-1"});
  EXPECT_EQ(sink.received, 2u);
  server.stop();
}

TEST(DashboardLoadPost, AFinishedReportTakesNoSeconds) {
  // Without a sink (mepsim report open), the route answers 404.
  DashboardFeed feed;
  const FixedSnapshot snapshot("{}");
  DashboardServer server(feed, snapshot);
  ASSERT_TRUE(server.start());
  httplib::Client client("127.0.0.1", server.port());
  auto answer = client.Post("/load/x/seconds", body_of({second_at(0)}), "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 404);
  server.stop();
}

TEST(DashboardLoadReport, SeriesReadForTheSameCharts) {
  // A load report's seconds become the page's points: codes by class, no latency for a
  // second without an answer, the phase begun by each second's end, the lost writes on
  // the last second, and the toggles as marks. A malformed second names its field.
  json report = {
      {"latency_histogram", json::object()},
      {"name", "toggle"},
      {"per_phase", {{"load", {{"start_s", 0.0}}}, {"toggle-1", {{"start_s", 1.4}}}}},
      {"writes", {{"lost", 0}}},
      {"toggles",
       json::array({{{"mode", "maintenance"}, {"phase", "toggle-1"}, {"restart_at_s", 1.4}}})}};
  const auto item = [](int t, json status, double p99) {
    return json{{"t_s", t},      {"requests", 5}, {"status", std::move(status)},
                {"errors", 1},   {"p50_ms", 1.0}, {"p90_ms", 2.0},
                {"p99_ms", p99}, {"max_ms", p99}, {"session_losses", t}};
  };
  report["series"] = json::array({item(0, {{"200", 3}, {"302", 1}, {"0", 1}}, 9.5),
                                  item(1, {{"503", 4}, {"0", 1}}, 12.0), item(2, {{"0", 5}}, 0)});
  auto points = load_report_points(report);
  ASSERT_TRUE(points) << points.error().message;
  ASSERT_EQ(points->size(), 3u);
  const auto& first = points->at(0).second;
  EXPECT_EQ(first.status[0], 3);
  EXPECT_EQ(first.status[1], 1);
  EXPECT_EQ(first.p99_ms, 9.5);
  EXPECT_EQ(first.phase, "load");
  EXPECT_EQ(points->at(1).second.status[3], 4);
  EXPECT_EQ(points->at(1).second.phase, "toggle-1");
  EXPECT_FALSE(points->at(2).second.p99_ms.has_value());
  EXPECT_FALSE(points->at(1).second.lost_writes.has_value());
  EXPECT_EQ(points->at(2).second.lost_writes, 0);
  EXPECT_TRUE(is_load_report(report));

  auto snapshot = load_report_snapshot_json(report);
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  const auto scenario = json::parse(snapshot.value()).at("scenarios").at(0);
  EXPECT_EQ(scenario.at("loads").at(0).at("seconds").size(), 3u);
  EXPECT_EQ(scenario.at("markers").at(0).at("kind"), "maintenance");

  report["series"][1].erase("p90_ms");
  auto broken = load_report_points(report);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message, "series[1].p90_ms: missing");
}

}  // namespace
}  // namespace mepsim::dashboard
