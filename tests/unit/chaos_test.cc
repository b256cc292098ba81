// Unit tests of fakes/common/chaos.h: policies from JSON (strict, naming the bad field),
// deterministic draws from the seed, outage windows on the control clock, fault counts.

#include "fakes/common/chaos.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;
using Kind = ChaosDecision::Kind;

ChaosPolicy policy_of(const json& body) {
  auto policy = chaos_policy_from_json(body);
  EXPECT_TRUE(policy.ok()) << (policy.ok() ? "" : policy.error().message);
  return policy.ok() ? *policy : ChaosPolicy{};
}

std::string error_of(const json& body) {
  auto policy = chaos_policy_from_json(body);
  return policy.ok() ? "accepted" : policy.error().message;
}

std::vector<Kind> kinds_drawn(std::uint64_t seed, int count) {
  VirtualClock clock(default_scenario_start());
  Chaos chaos(Rng(seed).fork("chaos"), clock);
  chaos.set("brevo", "*",
            policy_of({{"error", {{"probability", 0.2}, {"status", 502}}},
                       {"rate_limit", {{"probability", 0.2}}},
                       {"reset", {{"probability", 0.1}}},
                       {"malformed", {{"probability", 0.1}}},
                       {"latency", {{"shape", "lognormal"}, {"median_ms", 5}, {"sigma", 0.5}}}}));
  std::vector<Kind> kinds;
  for (int i = 0; i < count; ++i) kinds.push_back(chaos.decide("brevo", "send_email").kind);
  return kinds;
}

// A full policy reads back to the same JSON it came from.
TEST(ChaosPolicy, RoundTripsThroughJson) {
  const json body = {
      {"latency", {{"shape", "uniform"}, {"min_ms", 10}, {"max_ms", 20}}},
      {"error", {{"probability", 0.1}, {"status", 502}}},
      {"rate_limit", {{"probability", 0.05}, {"retry_after_s", 30}}},
      {"reset", {{"probability", 0.01}}},
      {"malformed", {{"probability", 0.02}}},
      {"outage", {{"from", "2026-11-26T10:00:00Z"}, {"until", "2026-11-26T10:05:00Z"}}}};
  const auto policy = policy_of(body);
  EXPECT_EQ(policy.error_status, 502);
  EXPECT_EQ(policy.retry_after_s, 30);
  ASSERT_TRUE(policy.outage_from.has_value());
  EXPECT_EQ(format_iso8601(*policy.outage_from), "2026-11-26T10:00:00.000Z");
  const json back = to_json(policy);
  EXPECT_EQ(back["latency"], body["latency"]);
  EXPECT_EQ(back["error"], body["error"]);
  EXPECT_EQ(back["rate_limit"], body["rate_limit"]);
  EXPECT_EQ(back["outage"]["until"], "2026-11-26T10:05:00.000Z");
  EXPECT_EQ(to_json(policy_of(back)), back);
}

// Bad input is refused with the field it is about, never accepted with a default.
TEST(ChaosPolicy, RejectsBadFieldsByName) {
  EXPECT_EQ(error_of({{"errors", {{"probability", 0.1}}}}), "errors: unknown field");
  EXPECT_EQ(error_of({{"error", {{"probability", 1.5}}}}),
            "error.probability: must be between 0 and 1");
  EXPECT_EQ(error_of({{"error", {{"status", 502}}}}), "error.probability: is required");
  EXPECT_EQ(error_of({{"error", {{"probability", 0.1}, {"status", 200}}}}),
            "error.status: must be between 400 and 599");
  EXPECT_EQ(error_of({{"reset", {{"probability", "0.1"}}}}), "reset.probability: must be a number");
  EXPECT_EQ(error_of({{"reset", {{"probability", 0.1}, {"when", 1}}}}),
            "reset.when: unknown field");
  EXPECT_EQ(error_of({{"latency", {{"shape", "gaussian"}}}}),
            "latency.shape: must be one of none, fixed, uniform, lognormal");
  EXPECT_EQ(error_of({{"latency", {{"shape", "uniform"}, {"min_ms", 30}, {"max_ms", 20}}}}),
            "latency.max_ms: must not be less than min_ms");
  EXPECT_EQ(error_of({{"outage", {{"from", "yesterday"}}}}),
            "outage.from: must be a UTC time like 2026-11-26T10:00:00Z");
  EXPECT_EQ(
      error_of({{"outage", {{"from", "2026-11-26T10:00:00Z"}, {"until", "2026-11-26T09:00:00Z"}}}}),
      "outage.until: must be later than from");
  EXPECT_EQ(error_of(json::array()), "policy: must be an object");
  EXPECT_EQ(error_of(json::object()), "accepted");
}

// Without a policy nothing is drawn: a run without chaos keeps the stream untouched.
TEST(Chaos, NoPolicyMeansPassAndNoDraw) {
  VirtualClock clock(default_scenario_start());
  Chaos chaos(Rng(7), clock);
  chaos.set("sentry", "envelope", policy_of({{"error", {{"probability", 1}}}}));
  for (int i = 0; i < 10; ++i) {
    const auto decision = chaos.decide("brevo", "send_email");
    EXPECT_EQ(decision.kind, Kind::pass);
    EXPECT_EQ(decision.delay, Duration::zero());
  }
  EXPECT_TRUE(chaos.faults_used().empty());
  const auto forced = chaos.decide("sentry", "envelope");
  EXPECT_EQ(forced.kind, Kind::error_status);
  EXPECT_EQ(forced.status, 500);
}

// The same seed and the same requests give the same faults; another seed other ones.
TEST(Chaos, SameSeedSameDecisions) {
  const auto first = kinds_drawn(42, 200);
  EXPECT_EQ(first, kinds_drawn(42, 200));
  EXPECT_NE(first, kinds_drawn(43, 200));
  // Every kind the policy allows comes out at least once in 200 draws.
  for (Kind kind :
       {Kind::pass, Kind::error_status, Kind::rate_limit, Kind::reset, Kind::malformed}) {
    EXPECT_NE(std::find(first.begin(), first.end(), kind), first.end()) << to_string(kind);
  }
}

// An operation's own policy wins over the fake's "*"; clearing falls back to "*".
TEST(Chaos, OperationPolicyOverridesWildcard) {
  VirtualClock clock(default_scenario_start());
  Chaos chaos(Rng(1), clock);
  chaos.set("github", "*", policy_of({{"error", {{"probability", 1}, {"status", 502}}}}));
  chaos.set("github", "merge",
            policy_of({{"rate_limit", {{"probability", 1}, {"retry_after_s", 9}}}}));
  const auto merge = chaos.decide("github", "merge");
  EXPECT_EQ(merge.kind, Kind::rate_limit);
  EXPECT_EQ(merge.retry_after_s, 9);
  EXPECT_EQ(chaos.decide("github", "tag").status, 502);
  chaos.clear("github", "merge");
  EXPECT_EQ(chaos.decide("github", "merge").kind, Kind::error_status);
  EXPECT_EQ(chaos.policies().size(), 1u);
  chaos.clear_all();
  EXPECT_EQ(chaos.decide("github", "merge").kind, Kind::pass);
  const auto used = chaos.faults_used();
  EXPECT_EQ(used.at("github.merge.rate_limit"), 1u);
  EXPECT_EQ(used.at("github.merge.error_status"), 1u);
  EXPECT_EQ(used.at("github.tag.error_status"), 1u);
}

// An outage answers 503 inside [from, until) of the control clock, and only there.
TEST(Chaos, OutageWindowFollowsTheControlClock) {
  VirtualClock clock(default_scenario_start());  // 2026-01-05T08:00:00Z
  Chaos chaos(Rng(3), clock);
  chaos.set("geocoding", "search",
            policy_of({{"outage",
                        {{"from", "2026-01-05T08:10:00Z"}, {"until", "2026-01-05T08:20:00Z"}}}}));
  EXPECT_EQ(chaos.decide("geocoding", "search").kind, Kind::pass);
  clock.advance(std::chrono::minutes(10));
  const auto down = chaos.decide("geocoding", "search");
  EXPECT_EQ(down.kind, Kind::outage);
  EXPECT_EQ(down.status, 503);
  clock.advance(std::chrono::minutes(10));
  EXPECT_EQ(chaos.decide("geocoding", "search").kind, Kind::pass);
  EXPECT_EQ(chaos.faults_used().at("geocoding.search.outage"), 1u);
}

// Latency shapes draw within their bounds; fixed is exact; delays are counted.
TEST(Chaos, LatencyShapes) {
  VirtualClock clock(default_scenario_start());
  Chaos chaos(Rng(5), clock);
  chaos.set("brevo", "fixed", policy_of({{"latency", {{"shape", "fixed"}, {"fixed_ms", 25}}}}));
  chaos.set("brevo", "uniform",
            policy_of({{"latency", {{"shape", "uniform"}, {"min_ms", 10}, {"max_ms", 20}}}}));
  chaos.set("brevo", "lognormal",
            policy_of({{"latency", {{"shape", "lognormal"}, {"median_ms", 50}, {"sigma", 1}}}}));
  EXPECT_EQ(chaos.decide("brevo", "fixed").delay, std::chrono::milliseconds(25));
  int below_median = 0;
  for (int i = 0; i < 100; ++i) {
    const auto uniform = chaos.decide("brevo", "uniform").delay;
    EXPECT_GE(uniform, std::chrono::milliseconds(10));
    EXPECT_LE(uniform, std::chrono::milliseconds(20));
    const auto lognormal = chaos.decide("brevo", "lognormal").delay;
    EXPECT_GT(lognormal, Duration::zero());
    EXPECT_LE(lognormal, std::chrono::seconds(60));
    if (lognormal < std::chrono::milliseconds(50)) ++below_median;
  }
  EXPECT_GT(below_median, 20);
  EXPECT_LT(below_median, 80);
  EXPECT_EQ(chaos.faults_used().at("brevo.uniform.latency"), 100u);
}

}  // namespace
}  // namespace mepsim::fakes
