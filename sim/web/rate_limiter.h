#pragma once
// The app's rate limits (FACTS.md): the API at 60 requests a minute per client address,
// the public forms at 10 per 20 minutes, 5 failed logins a minute per address and email.
// Fixed windows counted in Redis, so that every container of the app shares them.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/redis_connection.h"
#include "sim/web/web_metrics.h"

namespace mepsim::web {

struct RateLimitPolicy {
  std::string id;  // "api", "form", "login"
  int limit = 0;
  int window_s = 0;
};

inline const RateLimitPolicy kApiLimit{"api", 60, 60};
inline const RateLimitPolicy kFormLimit{"form", 10, 1200};
inline const RateLimitPolicy kLoginLimit{"login", 5, 60};

struct RateLimitDecision {
  bool accepted = true;
  int limit = 0;
  int remaining = 0;
  std::int64_t reset_unix_s = 0;  // end of the window
  int retry_after_s = 0;          // when refused
  // X-RateLimit-Limit, -Remaining, -Reset (and Retry-After when refused).
  std::vector<std::pair<std::string, std::string>> headers() const;
};

class RateLimiter {
 public:
  RateLimiter(bool enabled, WebMetrics& metrics) : enabled_(enabled), metrics_(metrics) {}
  // Counts one hit against `subject` (an address, "address|email") and decides.
  Result<RateLimitDecision> consume(RedisConnection& redis, const RateLimitPolicy& policy,
                                    const std::string& subject, Instant now);
  // Decides without counting: a login is refused once the failures reached the limit.
  Result<RateLimitDecision> peek(RedisConnection& redis, const RateLimitPolicy& policy,
                                 const std::string& subject, Instant now);

 private:
  RateLimitDecision decide(const RateLimitPolicy& policy, std::int64_t count,
                           std::int64_t window_start_s, std::int64_t now_s) const;
  bool enabled_;
  WebMetrics& metrics_;
};

}  // namespace mepsim::web
