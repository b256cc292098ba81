#pragma once
// What a review app gets besides its containers under `mepsim up`, as its Scalingo
// add-ons would give it: a MySQL database and a Redis database of its own on the shared
// servers (DATABASE_URL, REDIS_URL), migrated and loaded with the fixtures of its parent's
// serving release before its first deployment; both removed when it is destroyed. Plugged
// into the platform as its app-lifecycle hooks, which run under the platform's lock.

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform.h"
#include "sim/platform/source_provider.h"

namespace mepsim {

class ReviewAppDatastores {
 public:
  // Redis has 16 databases; those in `redis_dbs_taken` (the profile apps') are not given.
  // Everything passed by reference outlives this object.
  ReviewAppDatastores(MysqlUrl mysql, RedisUrl redis, std::set<int> redis_dbs_taken,
                      platform::ContainerRuntime& runtime, platform::SourceProvider& source,
                      std::string fixture_password);

  // The hooks to give Platform::set_lifecycle_hooks; they call back into `platform`.
  platform::Platform::AppLifecycleHooks hooks(platform::Platform& platform);

 private:
  Result<std::map<std::string, std::string>> provide(platform::Platform& platform,
                                                     const platform::App& review_app);
  void remove(const platform::App& review_app);

  MysqlUrl mysql_;
  RedisUrl redis_;
  platform::ContainerRuntime& runtime_;
  platform::SourceProvider& source_;
  std::string fixture_password_;
  std::mutex mutex_;
  std::set<int> redis_dbs_taken_;
  std::map<std::string, int> redis_db_by_app_;  // review apps only, at most 16 entries
};

}  // namespace mepsim
