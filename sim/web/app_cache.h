#pragma once
// The app's two caches (FACTS.md): `cache.app` in Redis, shared by the containers and
// kept across deploys, with tags a write invalidates; and `cache.system` in the process,
// which a restart loses. The release's cache namespace prefixes every Redis key, so a
// release with a new namespace starts cold.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/result.h"
#include "sim/datastore/redis_connection.h"
#include "sim/web/web_metrics.h"

namespace mepsim::web {

// Replies to GETs sent earlier in the same round trip as the session (key → reply): a
// lookup finding all its keys here costs no round trip of its own.
using Prefetched = std::map<std::string, Result<std::string>>;

struct CacheRead {
  std::string value;
  bool hit = false;
};

class AppCache {
 public:
  AppCache(std::string cache_namespace, WebMetrics& metrics)
      : namespace_(std::move(cache_namespace)), metrics_(metrics) {}

  // The item if it is there and none of its tags was invalidated since it was stored
  // (one round trip); else computes it, stores it for `ttl_s` and says miss. A Redis
  // failure is not the page's failure: the value is computed and not stored, as Symfony's
  // cache does when its adapter fails.
  Result<CacheRead> get(RedisConnection* redis, const std::string& key, int ttl_s,
                        const std::vector<std::string>& tags,
                        const std::function<Result<std::string>()>& compute,
                        const Prefetched* prefetched = nullptr);
  // Every item carrying one of `tags` reads as a miss from now on.
  Result<void> invalidate(RedisConnection& redis, const std::vector<std::string>& tags);

  std::string item_key(const std::string& key) const { return namespace_ + ":" + key; }
  std::string tag_key(const std::string& tag) const { return namespace_ + ":tag:" + tag; }

 private:
  std::string namespace_;
  WebMetrics& metrics_;
};

// The per-process pool: what a container builds once and keeps until it stops (compiled
// templates, metadata). Thread-safe; bounded by the number of distinct keys the code
// uses, which is fixed.
class SystemCache {
 public:
  explicit SystemCache(WebMetrics& metrics) : metrics_(metrics) {}
  CacheRead get(const std::string& key, const std::function<std::string()>& build);

 private:
  WebMetrics& metrics_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> items_;
};

}  // namespace mepsim::web
