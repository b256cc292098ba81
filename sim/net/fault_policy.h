#pragma once
// What a network link suffers (FaultProxy): latency with jitter, a bandwidth limit,
// connection resets, a blackhole, a slow close. A default FaultPolicy is pass-through.
//
// As JSON (scenario steps and tests), every field optional, units last:
//   {"latency_ms": 200, "jitter_ms": 50, "bandwidth_kbps": 512,
//    "reset_probability": 0.5, "reset_after_bytes": 4096,
//    "blackhole": true, "slow_close_ms": 2000, "direction": "to_client"}
// `direction` ("both", "to_server", "to_client") limits latency, bandwidth and slow close to
// one way; resets and the blackhole take the whole connection. Unknown fields and values out
// of range are errors reading "field: message".
//
// The decision functions draw from the Rng they are given, and only from it: the same seed
// gives the same decisions, whatever the proxy's threads do.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim {

enum class FaultDirection { both, to_server, to_client };

struct FaultPolicy {
  static constexpr std::uint32_t kDelayMsMax = 600'000;  // ten minutes: longer is a blackhole

  std::uint32_t latency_ms = 0;         // added to each chunk, on top of what the link takes
  std::uint32_t jitter_ms = 0;          // each chunk's delay is latency ± a uniform draw of this
  std::uint64_t bandwidth_kbps = 0;     // 0: unlimited
  double reset_probability = 0;         // per new connection: reset at once
  std::uint64_t reset_after_bytes = 0;  // 0: never; else reset once this many went through
  bool blackhole = false;               // nothing goes through, nothing answers
  std::uint32_t slow_close_ms = 0;      // the FIN waits this long after the peer's
  FaultDirection direction = FaultDirection::both;

  bool applies_to(FaultDirection way) const {
    return direction == FaultDirection::both || direction == way;
  }
  // Nothing to do on the way `way`: the proxy's plain copy loop, no timer.
  bool pass_through(FaultDirection way) const;
  bool pass_through() const { return *this == FaultPolicy{}; }
  bool operator==(const FaultPolicy&) const = default;
};

// One field of the JSON form into `policy`; "field: message" when unknown or out of range.
Result<void> set_fault_policy_field(FaultPolicy& policy, std::string_view field,
                                    const nlohmann::json& value);
// What no single field can say (jitter above latency).
Result<void> check_fault_policy(const FaultPolicy& policy);
Result<FaultPolicy> fault_policy_from_json(const nlohmann::json& body);
nlohmann::json to_json(const FaultPolicy& policy);
// The faults a policy sets, by name: "latency", "bandwidth", "reset", "blackhole",
// "slow_close". Empty for pass-through.
std::vector<std::string> fault_names(const FaultPolicy& policy);
const char* to_string(FaultDirection direction);

// Whether a new connection is reset at once; draws only when 0 < probability < 1.
bool draw_reset(const FaultPolicy& policy, Rng& rng);
// A chunk's added delay: latency ± jitter (uniform, whole milliseconds), never negative.
// Draws only when there is jitter.
Duration draw_delay(const FaultPolicy& policy, Rng& rng);
// How long `bytes` take at the policy's bandwidth; zero when unlimited.
Duration transmission_time(const FaultPolicy& policy, std::size_t bytes);

}  // namespace mepsim
