#pragma once
// Configured rate limits per project and data category, on the control-plane clock. A
// refused item is answered as Relay does: 429 (or 200 when only part of the envelope was
// refused) with `Retry-After` and `X-Sentry-Rate-Limits: <retry_after_s>:<category>:project`
// (https://develop.sentry.dev/sdk/rate-limiting/).
//
// Thread-safety: every member locks.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "fakes/sentry/sentry_fake.h"
#include "sim/core/clock.h"

namespace mepsim::fakes::sentry {

class RateLimiter {
 public:
  explicit RateLimiter(std::vector<RateLimitRule> rules);

  void set_rules(std::vector<RateLimitRule> rules);

  // 0 when one more item of `category` for `project_slug` may pass at `now` (and counts
  // it); else the seconds until its window ends (at least 1).
  std::int64_t admit(const std::string& project_slug, const std::string& category, Instant now);

 private:
  struct Window {
    Instant start{};
    std::uint32_t items = 0;
    bool open = false;
  };
  std::mutex mutex_;
  std::vector<RateLimitRule> rules_;
  // Keyed by (project, category): at most projects × categories entries.
  std::map<std::pair<std::string, std::string>, Window> windows_;
};

// "60:error:project, 30:session:project", from (category, retry_after_s) pairs.
std::string rate_limits_header(const std::map<std::string, std::int64_t>& retry_after_by_category);

}  // namespace mepsim::fakes::sentry
