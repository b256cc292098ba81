// Unit tests of `mepsim report merge` on load reports (harness/report/load_merge.h): the
// reports of two machines sharing a run merge into that run's figures — its percentiles
// exactly, from the added histograms — and a bad field is named with its file.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "harness/load/load_report.h"
#include "harness/report/report_merge.h"
#include "sim/core/rng.h"

namespace mepsim::report {
namespace {

using load::LoadReport;
using load::SecondBin;
using load::SecondSummary;
using nlohmann::json;
using scenario::UserClass;

struct Exchange {
  UserClass user_class;
  std::string route;
  int status;
  Duration latency;
  std::int64_t second;
};

// 6000 exchanges over 15 s: log-normal latencies from 0.2 ms to seconds, a few errors.
std::vector<Exchange> recorded_exchanges() {
  Rng rng(20261127);
  std::vector<Exchange> out;
  const UserClass classes[] = {UserClass::anonymous, UserClass::partner, UserClass::admin};
  const char* routes[] = {"/", "/connexion", "/bo"};
  for (int i = 0; i < 6000; ++i) {
    const double ms = std::exp(rng.normal(1.5, 1.2));
    const int status = rng.chance(0.02) ? 503 : (rng.chance(0.1) ? 302 : 200);
    out.push_back(
        {classes[i % 3], routes[(i / 3) % 3], status,
         std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms)),
         i / 400});
  }
  return out;
}

// The report of a machine that made `mine` of the exchanges, as the generator builds it:
// tallies per group and a summary per second.
LoadReport machine_report(const std::vector<Exchange>& all, bool (*mine)(std::size_t),
                          double duration_s) {
  LoadReport r;
  r.name = "bo-under-load";
  r.app = "histologe";
  r.target_url = "http://127.0.0.1:40000";
  r.rate_per_s = 200;
  r.connections = 16;
  r.duration_s = duration_s;
  std::map<std::int64_t, SecondBin> seconds;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!mine(i)) continue;
    const auto& e = all[i];
    r.total.add_answer(e.status, e.latency);
    r.per_class[e.user_class].add_answer(e.status, e.latency);
    r.per_route[e.route].add_answer(e.status, e.latency);
    auto& bin = seconds[e.second];
    bin.second = e.second;
    bin.tally.add_answer(e.status, e.latency);
    bin.cache.hits += e.route == "/bo" ? 1 : 0;
  }
  r.total.add_error("timeout");
  for (const auto& [second, bin] : seconds) r.series.push_back(SecondSummary::of(bin));
  r.sessions.logins_ok = mine(0) ? 3 : 4;
  r.writes.accepted = mine(0) ? 10 : 12;
  r.writes.lost = 0;
  return r;
}

bool even(std::size_t i) {
  return i % 2 == 0;
}
bool odd(std::size_t i) {
  return i % 2 == 1;
}
bool every(std::size_t) {
  return true;
}

Result<MergedReport> merge_machines(const LoadReport& a, const LoadReport& b) {
  return merge_reports({{"a.json", load::to_json(a).dump(2)}, {"b.json", load::to_json(b).dump()}});
}

TEST(LoadMerge, TwoHalvesGiveTheWholeRunsPercentiles) {
  // Two machines each made every other exchange of one run: merged, their reports give
  // the whole run's latency figures, histogram and counts, exactly.
  const auto exchanges = recorded_exchanges();
  LoadReport whole = machine_report(exchanges, every, 15.0);
  whole.total.add_error("timeout");  // each machine had one
  const LoadReport a = machine_report(exchanges, even, 15.0);
  const LoadReport b = machine_report(exchanges, odd, 14.5);
  auto merged = merge_machines(a, b);
  ASSERT_TRUE(merged) << merged.error().message;
  ASSERT_EQ(merged->kind, ReportKind::load);
  const json& m = merged->json;
  const json w = load::to_json(whole);
  for (const char* key : {"p50", "p90", "p99", "p999", "max", "mean", "count"}) {
    EXPECT_EQ(m["latency_ms"][key], w["latency_ms"][key]) << key;
  }
  EXPECT_EQ(m["latency_histogram"], w["latency_histogram"]);
  for (const char* key : {"requests", "status", "errors", "error_rate", "rps", "duration_s"}) {
    EXPECT_EQ(m[key], w[key]) << key;
  }
  EXPECT_GT(m["latency_ms"]["p99"].get<double>(), m["latency_ms"]["p50"].get<double>());
  EXPECT_EQ(m["merge"]["files"], json({"a.json", "b.json"}));
}

TEST(LoadMerge, GroupsMergeExactly) {
  // Per class and route the counts are the whole run's, and so are the percentiles: each
  // group carries its histogram. Only the per-second series stays an upper bound.
  const auto exchanges = recorded_exchanges();
  const json w = load::to_json(machine_report(exchanges, every, 15.0));
  auto merged =
      merge_machines(machine_report(exchanges, even, 15.0), machine_report(exchanges, odd, 15.0));
  ASSERT_TRUE(merged) << merged.error().message;
  const json& m = merged->json;
  for (const char* section : {"per_class", "per_route"}) {
    ASSERT_EQ(m[section].size(), w[section].size()) << section;
    for (const auto& [name, group] : w[section].items()) {
      const json& g = m[section][name];
      EXPECT_EQ(g["requests"], group["requests"]) << section << " " << name;
      EXPECT_EQ(g["status"], group["status"]) << section << " " << name;
      EXPECT_EQ(g["latency_ms"]["count"], group["latency_ms"]["count"]) << name;
      EXPECT_EQ(g["latency_ms"]["max"], group["latency_ms"]["max"]) << name;
      EXPECT_NEAR(g["latency_ms"]["mean"].get<double>(), group["latency_ms"]["mean"].get<double>(),
                  1e-9);
      for (const char* p : {"p50", "p90", "p99", "p999"}) {
        EXPECT_EQ(g["latency_ms"][p], group["latency_ms"][p]) << section << " " << name << " " << p;
      }
    }
  }
  const auto bounded = m["merge"]["percentiles_upper_bound"].get<std::vector<std::string>>();
  EXPECT_EQ(bounded, (std::vector<std::string>{"series"}));
  EXPECT_EQ(m["sessions"]["logins_ok"], 7);
  EXPECT_EQ(m["writes"]["accepted"], 22);
  EXPECT_EQ(m["writes"]["lost"], 0);
}

TEST(LoadMerge, SeriesAlignBySecond) {
  // One machine started later: its seconds add to the other's second by second.
  const auto exchanges = recorded_exchanges();
  const LoadReport a = machine_report(exchanges, even, 15.0);
  LoadReport b = machine_report(exchanges, odd, 15.0);
  b.series.erase(b.series.begin(), b.series.begin() + 5);  // it measured seconds 5–14 only
  b.writes.lost.reset();                                   // and never checked its writes
  auto merged = merge_machines(a, b);
  ASSERT_TRUE(merged) << merged.error().message;
  const json& series = merged->json["series"];
  ASSERT_EQ(series.size(), 15u);
  for (std::size_t t = 0; t < 15; ++t) {
    const auto& sa = a.series[t];
    const std::int64_t from_b = t >= 5 ? b.series[t - 5].requests : 0;
    EXPECT_EQ(series[t]["t_s"], t);
    EXPECT_EQ(series[t]["requests"], sa.requests + from_b) << t;
    EXPECT_GE(series[t]["p99_ms"].get<double>(), sa.p99_ms) << t;
  }
  EXPECT_TRUE(merged->json["writes"]["lost"].is_null());
  const auto& notes = merged->notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "writes.lost: checked on some machines only; unknown for the whole run"),
            notes.end());
  // The HTML model draws the merged series.
  ASSERT_EQ(merged->model.scenarios.size(), 1u);
  EXPECT_EQ(merged->model.scenarios[0].series.size(), 15u);
  EXPECT_NE(to_html(merged->model).find("merged from a.json, b.json"), std::string::npos);
}

TEST(LoadMerge, BadFieldsAreNamedWithTheirFile) {
  // A count of the wrong type, a histogram that does not add up, two modes: refused,
  // naming the file and the field.
  const auto exchanges = recorded_exchanges();
  const json a = load::to_json(machine_report(exchanges, even, 15.0));
  const auto merge_with = [&](const json& b) {
    return merge_reports({{"a.json", a.dump()}, {"b.json", b.dump()}});
  };
  json b = load::to_json(machine_report(exchanges, odd, 15.0));
  b["series"][2]["requests"] = "many";
  auto merged = merge_with(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(merged.error().message, "b.json: field series[2].requests: not an integer but string");

  b = load::to_json(machine_report(exchanges, odd, 15.0));
  b["latency_histogram"]["count"] = 1;
  merged = merge_with(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message,
            "b.json: field latency_histogram: latency histogram: count differs from the "
            "counters' sum");

  b = load::to_json(machine_report(exchanges, odd, 15.0));
  b.erase("per_route");
  merged = merge_with(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message, "b.json: field per_route: missing");

  b = load::to_json(machine_report(exchanges, odd, 15.0));
  b["mode"] = "closed";
  merged = merge_with(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message,
            "b.json: field mode: \"closed\" while a.json is \"open\": merge runs of one mode");

  b = load::to_json(machine_report(exchanges, odd, 15.0));
  b["per_class"]["admin"]["status"]["2xx"] = 3;
  merged = merge_with(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message,
            "b.json: field per_class.admin.status.2xx: not an HTTP status code");
}

}  // namespace
}  // namespace mepsim::report
