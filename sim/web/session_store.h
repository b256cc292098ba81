#pragma once
// Sessions in Redis as the real app keeps them (FACTS.md): key `sf_s<id>`, TTL 1440 s
// renewed on every request that reads the session, cookie PHPSESSID. The value carries
// the release's session format: a release with a new format cannot read older sessions,
// and their users are logged out, as a changed serialisation would do.

#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/redis_connection.h"
#include "sim/web/app_cache.h"
#include "sim/web/session_user.h"
#include "sim/web/web_metrics.h"

namespace mepsim::web {

inline constexpr const char* kSessionCookie = "PHPSESSID";
inline constexpr const char* kSessionKeyPrefix = "sf_s";
inline constexpr int kSessionTtlS = 1440;

class SessionStore {
 public:
  SessionStore(int format, WebMetrics& metrics) : format_(format), metrics_(metrics) {}

  // Reads the session and renews its TTL in one round trip, with the GETs of `also_get`
  // in the same pipeline (their replies go to `prefetched`). Empty when there is none, it
  // expired, or another release's format wrote it. A Redis failure is an error.
  Result<std::optional<SessionUser>> load(RedisConnection& redis, const std::string& id,
                                          const std::vector<std::string>& also_get = {},
                                          Prefetched* prefetched = nullptr);
  // A new session for `user` under a new id (the old one, if any, is deleted: a login
  // never keeps the id the visitor came with). Returns the new id.
  Result<std::string> open(RedisConnection& redis, const SessionUser& user, Instant now,
                           const std::string& previous_id);
  Result<void> destroy(RedisConnection& redis, const std::string& id);

  static std::string key(const std::string& id) { return kSessionKeyPrefix + id; }
  static bool is_session_id(const std::string& id);
  std::string encode(const SessionUser& user, Instant now) const;
  std::optional<SessionUser> decode(const std::string& value) const;

 private:
  int format_;
  WebMetrics& metrics_;
};

}  // namespace mepsim::web
