#include "sim/web/rate_limiter.h"

#include <fmt/format.h>

#include <charconv>

namespace mepsim::web {
namespace {

std::string window_key(const RateLimitPolicy& policy, const std::string& subject,
                       std::int64_t window_start_s) {
  return fmt::format("rate_limit:{}:{}:{}", policy.id, subject, window_start_s);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> RateLimitDecision::headers() const {
  std::vector<std::pair<std::string, std::string>> out = {
      {"X-RateLimit-Limit", std::to_string(limit)},
      {"X-RateLimit-Remaining", std::to_string(remaining)},
      {"X-RateLimit-Reset", std::to_string(reset_unix_s)}};
  if (!accepted) out.emplace_back("Retry-After", std::to_string(retry_after_s));
  return out;
}

RateLimitDecision RateLimiter::decide(const RateLimitPolicy& policy, std::int64_t count,
                                      std::int64_t window_start_s, std::int64_t now_s) const {
  RateLimitDecision d;
  d.limit = policy.limit;
  d.reset_unix_s = window_start_s + policy.window_s;
  d.accepted = !enabled_ || count <= policy.limit;
  d.remaining = static_cast<int>(std::max<std::int64_t>(0, policy.limit - count));
  d.retry_after_s = static_cast<int>(std::max<std::int64_t>(1, d.reset_unix_s - now_s));
  return d;
}

Result<RateLimitDecision> RateLimiter::consume(RedisConnection& redis,
                                               const RateLimitPolicy& policy,
                                               const std::string& subject, Instant now) {
  const std::int64_t now_s = unix_seconds(now);
  if (!enabled_) return decide(policy, 0, now_s - now_s % policy.window_s, now_s);
  const std::int64_t start = now_s - now_s % policy.window_s;
  const std::string key = window_key(policy, subject, start);
  auto replies = redis.pipeline({{"INCR", key}, {"EXPIRE", key, std::to_string(policy.window_s)}});
  metrics_.count_redis_commands(2);
  if (!replies) return replies.error();
  if (!replies.value()[0]) return replies.value()[0].error();
  std::int64_t count = 0;
  const std::string& text = replies.value()[0].value();
  std::from_chars(text.data(), text.data() + text.size(), count);
  return decide(policy, count, start, now_s);
}

Result<RateLimitDecision> RateLimiter::peek(RedisConnection& redis, const RateLimitPolicy& policy,
                                            const std::string& subject, Instant now) {
  const std::int64_t now_s = unix_seconds(now);
  const std::int64_t start = now_s - now_s % policy.window_s;
  if (!enabled_) return decide(policy, 0, start, now_s);
  auto reply = redis.command({"GET", window_key(policy, subject, start)});
  metrics_.count_redis_commands(1);
  std::int64_t count = 0;
  if (reply) {
    std::from_chars(reply->data(), reply->data() + reply->size(), count);
  } else if (reply.error().code != ErrorCode::not_found) {
    return reply.error();
  }
  // The next attempt would be number count + 1.
  return decide(policy, count + 1, start, now_s);
}

}  // namespace mepsim::web
