#include "sim/web/app_cache.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace mepsim::web {
namespace {

// Stored as {"tags":{"signalement":"3"},"value":"…"}: the tag versions the value was
// computed under, as Symfony's TagAwareAdapter keeps them beside the item.
std::optional<std::string> fresh_value(const std::string& stored,
                                       const std::vector<std::string>& tags,
                                       const std::vector<std::string>& current_versions) {
  const auto json = nlohmann::json::parse(stored, nullptr, false);
  if (!json.is_object() || !json.contains("value") || !json["value"].is_string()) {
    return std::nullopt;
  }
  const auto& stored_tags = json.value("tags", nlohmann::json::object());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (stored_tags.value(tags[i], std::string()) != current_versions[i]) return std::nullopt;
  }
  return json["value"].get<std::string>();
}

// The replies of `commands` (all GETs) if every key was prefetched; else nothing.
std::optional<std::vector<Result<std::string>>> from_prefetched(
    const std::vector<std::vector<std::string>>& commands, const Prefetched* prefetched) {
  if (prefetched == nullptr) return std::nullopt;
  std::vector<Result<std::string>> replies;
  for (const auto& command : commands) {
    const auto found = prefetched->find(command[1]);
    if (found == prefetched->end()) return std::nullopt;
    replies.push_back(found->second);
  }
  return replies;
}

}  // namespace

Result<CacheRead> AppCache::get(RedisConnection* redis, const std::string& key, int ttl_s,
                                const std::vector<std::string>& tags,
                                const std::function<Result<std::string>()>& compute,
                                const Prefetched* prefetched) {
  std::vector<std::string> versions(tags.size(), "0");
  bool redis_ok = redis != nullptr;
  if (redis_ok) {
    std::vector<std::vector<std::string>> commands = {{"GET", item_key(key)}};
    for (const auto& tag : tags) commands.push_back({"GET", tag_key(tag)});
    auto ready = from_prefetched(commands, prefetched);
    if (!ready) metrics_.count_redis_commands(commands.size());
    Result<std::vector<Result<std::string>>> replies =
        ready ? Result<std::vector<Result<std::string>>>(std::move(*ready))
              : redis->pipeline(commands);
    if (replies) {
      for (std::size_t i = 0; i < tags.size(); ++i) {
        if (replies.value()[i + 1]) versions[i] = replies.value()[i + 1].value();
      }
      if (replies.value()[0]) {
        if (auto value = fresh_value(replies.value()[0].value(), tags, versions)) {
          metrics_.count_cache(CachePool::app, true);
          return CacheRead{std::move(*value), true};
        }
      }
    } else {
      redis_ok = false;
    }
  }
  metrics_.count_cache(CachePool::app, false);
  auto computed = compute();
  if (!computed) return computed.error();
  if (redis_ok) {
    nlohmann::json stored = {{"value", computed.value()}, {"tags", nlohmann::json::object()}};
    for (std::size_t i = 0; i < tags.size(); ++i) stored["tags"][tags[i]] = versions[i];
    // A failed store only costs the next reader a miss.
    (void)redis->command({"SETEX", item_key(key), std::to_string(ttl_s), stored.dump()});
    metrics_.count_redis_commands(1);
  }
  return CacheRead{std::move(computed.value()), false};
}

Result<void> AppCache::invalidate(RedisConnection& redis, const std::vector<std::string>& tags) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& tag : tags) commands.push_back({"INCR", tag_key(tag)});
  auto replies = redis.pipeline(commands);
  metrics_.count_redis_commands(commands.size());
  if (!replies) return replies.error();
  for (const auto& reply : replies.value()) {
    if (!reply) return reply.error();
  }
  return {};
}

CacheRead SystemCache::get(const std::string& key, const std::function<std::string()>& build) {
  {
    std::lock_guard lock(mutex_);
    if (const auto found = items_.find(key); found != items_.end()) {
      metrics_.count_cache(CachePool::system, true);
      return CacheRead{found->second, true};
    }
  }
  metrics_.count_cache(CachePool::system, false);
  std::string value = build();
  std::lock_guard lock(mutex_);
  items_.emplace(key, value);
  return CacheRead{std::move(value), false};
}

}  // namespace mepsim::web
