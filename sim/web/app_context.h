#pragma once
// What every handler of the app shares: its configuration, clock, caches, session store,
// rate limiter, third parties, metrics; and each thread's own MySQL and Redis
// connections, opened on first use and reopened after a failure (a container survives
// its datastores restarting, as PHP-FPM workers do).

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/datastore/redis_connection.h"
#include "sim/web/app_cache.h"
#include "sim/web/app_database.h"
#include "sim/web/geocoder.h"
#include "sim/web/mailer.h"
#include "sim/web/rate_limiter.h"
#include "sim/web/sentry_reporter.h"
#include "sim/web/session_store.h"
#include "sim/web/web_config.h"
#include "sim/web/web_metrics.h"

namespace mepsim::web {

// How long a request waits for a datastore before answering 503.
inline constexpr Duration kDatastoreTimeout = std::chrono::milliseconds(1000);

class AppContext {
 public:
  AppContext(WebConfig config, Clock& clock, std::vector<std::string> route_labels);

  const WebConfig& config() const { return config_; }
  Instant now() const { return clock_.now(); }
  WebMetrics& metrics() { return metrics_; }
  SessionStore& sessions() { return sessions_; }
  AppCache& app_cache() { return app_cache_; }
  const AppCache& app_cache() const { return app_cache_; }
  SystemCache& system_cache() { return system_cache_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  const Geocoder& geocoder() const { return geocoder_; }
  const Mailer& mailer() const { return mailer_; }
  SentryReporter& sentry() { return *sentry_; }

  // This thread's connections; `unavailable` when the server does not answer.
  Result<RedisConnection*> redis();
  Result<AppDatabase*> database();
  // After a datastore error: this thread opens a new connection next time.
  void forget_database();
  // Counts the statements the thread's database sent since the last call.
  void account_database_queries();
  // The scope ("all", a territory id) of sessions seen by this process, so that a route's
  // cache keys can be read in the session's round trip. Bounded: cleared when full.
  std::optional<std::string> scope_of_session(const std::string& session_id);
  void remember_scope(const std::string& session_id, const std::string& scope);
  // This thread's data-plane random stream (planted route faults).
  Rng& rng();

 private:
  struct PerThread;
  PerThread& per_thread();

  WebConfig config_;
  Clock& clock_;
  WebMetrics metrics_;
  SessionStore sessions_;
  AppCache app_cache_;
  SystemCache system_cache_;
  RateLimiter rate_limiter_;
  Geocoder geocoder_;
  Mailer mailer_;
  std::unique_ptr<SentryReporter> sentry_;
  static constexpr std::size_t kSessionScopesMax = 65'536;
  std::mutex scopes_mutex_;
  std::unordered_map<std::string, std::string> scopes_;
};

}  // namespace mepsim::web
