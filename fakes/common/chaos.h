#pragma once
// The chaos layer every fake shares (FoundationDB's MockS3ServerChaos): per fake and per
// operation, latency, an error status with a probability, 429 with Retry-After, a
// connection reset, a malformed body, an outage window. Separate from the fakes' strict
// validation: a fake is correct first, and chaos is added on top, by name.
//
// Every draw comes from the seeded Rng the layer is given, so that the same seed and
// the same requests give the same faults. Policies change at runtime (admin API,
// scenario steps); the faults a run actually used are counted by name
// ("sentry.envelope.error_status") for its report.
//
// Thread-safety: every member locks; fakes call decide() from their server threads.

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim::fakes {

enum class LatencyShape { none, fixed, uniform, lognormal };

struct LatencyPolicy {
  LatencyShape shape = LatencyShape::none;
  double fixed_ms = 0;              // fixed
  double min_ms = 0, max_ms = 0;    // uniform
  double median_ms = 0, sigma = 0;  // lognormal: exp(mu) = median
};

// What one operation of one fake suffers. Probabilities are in [0, 1].
struct ChaosPolicy {
  LatencyPolicy latency;
  double error_probability = 0;
  int error_status = 500;
  double rate_limit_probability = 0;
  int retry_after_s = 60;
  double reset_probability = 0;      // the connection is closed without an answer
  double malformed_probability = 0;  // 200 with a body the client cannot parse
  // Every request in [from, until) of the control-plane clock is answered 503.
  std::optional<Instant> outage_from;
  std::optional<Instant> outage_until;
};

// What to do to one request, drawn from the policy. `fault` names what was drawn
// ("latency", "error_status", "rate_limit", "reset", "malformed", "outage"), empty when
// nothing but latency applies.
struct ChaosDecision {
  Duration delay{};
  enum class Kind { pass, error_status, rate_limit, reset, malformed, outage } kind = Kind::pass;
  int status = 0;
  int retry_after_s = 0;
};

// "error_status", "rate_limit"…: the name faults_used() and the journal give a kind.
const char* to_string(ChaosDecision::Kind kind);

// Policies as JSON (the admin API's and the scenarios' shape):
//   {"latency":{"shape":"lognormal","median_ms":80,"sigma":0.5},
//    "error":{"probability":0.1,"status":502},
//    "rate_limit":{"probability":0.05,"retry_after_s":30},
//    "reset":{"probability":0.01}, "malformed":{"probability":0.01},
//    "outage":{"from":"2026-11-26T10:00:00Z","until":"…"}}
// Unknown keys and out-of-range values are errors naming the field.
Result<ChaosPolicy> chaos_policy_from_json(const nlohmann::json& body);
nlohmann::json to_json(const ChaosPolicy& policy);

class Chaos {
 public:
  // `rng` is this layer's own stream (`run_rng.fork("chaos")`); `clock` is the
  // control-plane clock outage windows are read on.
  Chaos(Rng rng, const Clock& clock);

  // "*" as the operation applies to every operation of that fake without its own policy.
  void set(const std::string& fake, const std::string& operation, ChaosPolicy policy);
  void clear(const std::string& fake, const std::string& operation);
  void clear_all();
  std::map<std::string, ChaosPolicy> policies() const;  // keyed "fake.operation"

  // One draw per request; no policy means pass with no delay and no draw at all, so
  // that a run without chaos draws nothing and keeps other streams' sequences.
  ChaosDecision decide(const std::string& fake, const std::string& operation);

  // "sentry.envelope.rate_limit" → how many requests suffered it.
  std::map<std::string, std::uint64_t> faults_used() const;

 private:
  mutable std::mutex mutex_;
  Rng rng_;
  const Clock& clock_;
  std::map<std::string, ChaosPolicy> policies_;
  std::map<std::string, std::uint64_t> used_;
};

}  // namespace mepsim::fakes
