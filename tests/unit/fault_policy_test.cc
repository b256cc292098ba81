// Unit tests of the network fault policy (sim/net/fault_policy.h) and of the scenario's
// `fault: {network: …}` step: fields parsed strictly with the bad one named (and placed at
// its `file:line:col` in a scenario), and the seeded decisions replayed by the same seed.

#include "sim/net/fault_policy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/scenario/scenario_parser.h"
#include "sim/core/rng.h"

namespace mepsim {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string error_of(const json& body) {
  auto policy = fault_policy_from_json(body);
  return policy ? std::string("no error") : policy.error().message;
}

TEST(FaultPolicy, EveryFieldParsesAndRoundTrips) {
  // Each field of the JSON form lands in its member, and to_json gives the same document back.
  const json body = {{"latency_ms", 200},         {"jitter_ms", 50},
                     {"bandwidth_kbps", 512},     {"reset_probability", 0.25},
                     {"reset_after_bytes", 4096}, {"blackhole", true},
                     {"slow_close_ms", 1500},     {"direction", "to_client"}};
  auto policy = fault_policy_from_json(body);
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_EQ(policy->latency_ms, 200u);
  EXPECT_EQ(policy->jitter_ms, 50u);
  EXPECT_EQ(policy->bandwidth_kbps, 512u);
  EXPECT_DOUBLE_EQ(policy->reset_probability, 0.25);
  EXPECT_EQ(policy->reset_after_bytes, 4096u);
  EXPECT_TRUE(policy->blackhole);
  EXPECT_EQ(policy->slow_close_ms, 1500u);
  EXPECT_EQ(policy->direction, FaultDirection::to_client);
  EXPECT_EQ(to_json(*policy), body);
  EXPECT_EQ(fault_names(*policy),
            (std::vector<std::string>{"latency", "bandwidth", "reset", "blackhole", "slow_close"}));
}

TEST(FaultPolicy, EmptyObjectIsPassThrough) {
  // No field: pass-through both ways, no fault named, an empty JSON form.
  auto policy = fault_policy_from_json(json::object());
  ASSERT_TRUE(policy);
  EXPECT_TRUE(policy->pass_through());
  EXPECT_TRUE(policy->pass_through(FaultDirection::to_server));
  EXPECT_TRUE(fault_names(*policy).empty());
  EXPECT_EQ(to_json(*policy), json::object());
}

TEST(FaultPolicy, BadFieldsAreNamed) {
  // An unknown field, a wrong type, a value out of range, a fraction where a whole number
  // goes, and jitter above latency are each refused naming the field.
  EXPECT_EQ(error_of({{"latency", 200}}).rfind("latency: unknown field", 0), 0u)
      << error_of({{"latency", 200}});
  EXPECT_EQ(error_of({{"latency_ms", "200"}}).rfind("latency_ms: must be a whole number", 0), 0u);
  EXPECT_EQ(error_of({{"latency_ms", -1}}).rfind("latency_ms:", 0), 0u);
  EXPECT_EQ(error_of({{"latency_ms", 600001}}).rfind("latency_ms:", 0), 0u);
  EXPECT_EQ(error_of({{"slow_close_ms", 1.5}}).rfind("slow_close_ms:", 0), 0u);
  EXPECT_EQ(error_of({{"bandwidth_kbps", 0}}).rfind("bandwidth_kbps:", 0), 0u);
  EXPECT_EQ(error_of({{"reset_probability", 1.5}}).rfind("reset_probability: must be a number", 0),
            0u);
  EXPECT_EQ(error_of({{"blackhole", 1}}).rfind("blackhole: must be true or false", 0), 0u);
  EXPECT_EQ(error_of({{"direction", "up"}}).rfind("direction: must be one of", 0), 0u);
  EXPECT_EQ(
      error_of({{"latency_ms", 10}, {"jitter_ms", 20}}).rfind("jitter_ms: must not exceed", 0), 0u);
  EXPECT_EQ(error_of(json::array()).rfind("policy: must be a JSON object", 0), 0u);
}

TEST(FaultPolicy, DirectionLimitsDelaysToOneWay) {
  // Latency on the way to the client leaves the way to the server a plain copy; a reset or a
  // blackhole takes the whole connection whatever the direction.
  FaultPolicy policy;
  policy.latency_ms = 100;
  policy.direction = FaultDirection::to_client;
  EXPECT_TRUE(policy.pass_through(FaultDirection::to_server));
  EXPECT_FALSE(policy.pass_through(FaultDirection::to_client));
  FaultPolicy blackhole;
  blackhole.blackhole = true;
  blackhole.direction = FaultDirection::to_client;
  EXPECT_FALSE(blackhole.pass_through(FaultDirection::to_server));
}

TEST(FaultPolicy, SameSeedSameDraws) {
  // The decision functions draw only from the Rng given: two streams of the same seed give
  // the same delays and resets, another seed other ones, and every delay is in range.
  FaultPolicy policy;
  policy.latency_ms = 200;
  policy.jitter_ms = 50;
  policy.reset_probability = 0.5;
  auto draws = [&](std::uint64_t seed) {
    Rng rng(seed);
    std::vector<std::int64_t> out;
    for (int i = 0; i < 64; ++i) {
      const auto delay = draw_delay(policy, rng);
      EXPECT_GE(delay, 150ms);
      EXPECT_LE(delay, 250ms);
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
      out.push_back(draw_reset(policy, rng) ? 1 : 0);
    }
    return out;
  };
  EXPECT_EQ(draws(7), draws(7));
  EXPECT_NE(draws(7), draws(8));
}

TEST(FaultPolicy, CertainDecisionsDrawNothing) {
  // Without jitter the delay is the latency and without a probability strictly between 0
  // and 1 the reset is decided without a draw: the stream is left as it was.
  FaultPolicy policy;
  policy.latency_ms = 30;
  policy.reset_probability = 1;
  Rng used(3);
  Rng untouched(3);
  EXPECT_EQ(draw_delay(policy, used), 30ms);
  EXPECT_TRUE(draw_reset(policy, used));
  EXPECT_EQ(used.next_u64(), untouched.next_u64());
}

TEST(FaultPolicy, TransmissionTimeFollowsBandwidth) {
  // 1000 bytes at 8 kbit/s take one second; unlimited takes nothing.
  FaultPolicy policy;
  EXPECT_EQ(transmission_time(policy, 1000), Duration::zero());
  policy.bandwidth_kbps = 8;
  EXPECT_EQ(transmission_time(policy, 1000), 1s);
}

// ------------------------------------------------------------------ the scenario step

std::vector<std::string> step_errors(const std::string& step) {
  const auto outcome =
      scenario::parse_scenario("name: t\ndescription: d\nsteps:\n" + step, "t.yaml");
  std::vector<std::string> out;
  for (const auto& error : outcome.errors) out.push_back(error.str());
  return out;
}

TEST(NetworkFaultStep, ParsesPolicyAndHeal) {
  // A network step gives the link and its whole policy; heal: true gives pass-through.
  const auto outcome = scenario::parse_scenario(
      "name: t\ndescription: d\nsteps:\n"
      "  - fault: {network: {link: mysql, latency_ms: 200, jitter_ms: 50}}\n"
      "  - fault: {network: {link: redis, reset_probability: 1}}\n"
      "  - fault: {network: {link: mysql, heal: true}}\n",
      "t.yaml");
  ASSERT_TRUE(outcome.scenario) << (outcome.errors.empty() ? "" : outcome.errors[0].str());
  const auto& steps = outcome.scenario->steps;
  ASSERT_EQ(steps.size(), 3u);
  const auto& latency =
      std::get<scenario::NetworkFault>(std::get<scenario::FaultStep>(steps[0].body).action);
  EXPECT_EQ(latency.link, "mysql");
  EXPECT_EQ(latency.policy.latency_ms, 200u);
  EXPECT_EQ(latency.policy.jitter_ms, 50u);
  EXPECT_FALSE(latency.heal);
  EXPECT_EQ(steps[0].description, R"(fault network mysql {"jitter_ms":50,"latency_ms":200})");
  const auto& reset =
      std::get<scenario::NetworkFault>(std::get<scenario::FaultStep>(steps[1].body).action);
  EXPECT_DOUBLE_EQ(reset.policy.reset_probability, 1.0);
  const auto& heal =
      std::get<scenario::NetworkFault>(std::get<scenario::FaultStep>(steps[2].body).action);
  EXPECT_TRUE(heal.heal);
  EXPECT_TRUE(heal.policy.pass_through());
  EXPECT_EQ(steps[2].description, "fault network mysql heal");
}

TEST(NetworkFaultStep, MistakesArePlacedAndNamed) {
  // An unknown field at its key, a bad value at the value, an unknown link, a policy field
  // beside heal, a step setting nothing and jitter above latency: each one error, placed.
  EXPECT_EQ(step_errors("  - fault: {network: {link: mysql, latncy_ms: 200}}\n"),
            std::vector<std::string>{"t.yaml:4:36: fault network latncy_ms: unknown field "
                                     "(known: latency_ms, jitter_ms, bandwidth_kbps, "
                                     "reset_probability, reset_after_bytes, blackhole, "
                                     "slow_close_ms, direction)"});
  auto bad_value = step_errors("  - fault: {network: {link: redis, latency_ms: soon}}\n");
  ASSERT_EQ(bad_value.size(), 1u);
  EXPECT_EQ(bad_value[0].rfind("t.yaml:4:48: fault network latency_ms: must be a whole", 0), 0u)
      << bad_value[0];
  auto link = step_errors("  - fault: {network: {link: postgres, latency_ms: 1}}\n");
  ASSERT_EQ(link.size(), 1u);
  EXPECT_EQ(link[0].rfind("t.yaml:4:29:", 0), 0u) << link[0];
  auto beside_heal =
      step_errors("  - fault: {network: {link: redis, heal: true, blackhole: true}}\n");
  ASSERT_EQ(beside_heal.size(), 1u);
  EXPECT_NE(beside_heal[0].find("'blackhole' cannot go with 'heal: true'"), std::string::npos)
      << beside_heal[0];
  auto nothing = step_errors("  - fault: {network: {link: redis}}\n");
  ASSERT_EQ(nothing.size(), 1u);
  EXPECT_NE(nothing[0].find("sets no fault"), std::string::npos) << nothing[0];
  auto jitter = step_errors("  - fault: {network: {link: redis, latency_ms: 5, jitter_ms: 9}}\n");
  ASSERT_EQ(jitter.size(), 1u);
  EXPECT_NE(jitter[0].find("jitter_ms: must not exceed latency_ms (5)"), std::string::npos)
      << jitter[0];
}

}  // namespace
}  // namespace mepsim
