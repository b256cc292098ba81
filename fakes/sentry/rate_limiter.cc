#include "fakes/sentry/rate_limiter.h"

#include <fmt/format.h>

#include <algorithm>

namespace mepsim::fakes::sentry {

RateLimiter::RateLimiter(std::vector<RateLimitRule> rules) : rules_(std::move(rules)) {}

void RateLimiter::set_rules(std::vector<RateLimitRule> rules) {
  std::lock_guard lock(mutex_);
  rules_ = std::move(rules);
  windows_.clear();
}

std::int64_t RateLimiter::admit(const std::string& project_slug, const std::string& category,
                                Instant now) {
  std::lock_guard lock(mutex_);
  const auto rule = std::find_if(rules_.begin(), rules_.end(), [&](const RateLimitRule& r) {
    return r.category == category && (r.project_slug.empty() || r.project_slug == project_slug);
  });
  if (rule == rules_.end()) return 0;
  const Duration window_length = std::chrono::seconds(std::max<std::int64_t>(1, rule->window_s));
  Window& window = windows_[{project_slug, category}];
  if (!window.open || now >= window.start + window_length) {
    window = Window{now, 0, true};
  }
  if (window.items < rule->items_per_window) {
    ++window.items;
    return 0;
  }
  const auto left = window.start + window_length - now;
  const auto left_s = std::chrono::ceil<std::chrono::seconds>(left).count();
  return std::max<std::int64_t>(1, left_s);
}

std::string rate_limits_header(const std::map<std::string, std::int64_t>& retry_after_by_category) {
  std::string header;
  for (const auto& [category, retry_after_s] : retry_after_by_category) {
    if (!header.empty()) header += ", ";
    header += fmt::format("{}:{}:project", retry_after_s, category);
  }
  return header;
}

}  // namespace mepsim::fakes::sentry
