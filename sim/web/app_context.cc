#include "sim/web/app_context.h"

#include <optional>

namespace mepsim::web {

struct AppContext::PerThread {
  const AppContext* owner = nullptr;
  std::optional<RedisConnection> redis;
  std::optional<AppDatabase> database;
  std::uint64_t queries_counted = 0;
  std::optional<Rng> rng;
};

namespace {

MailerDsn mailer_dsn_or_off(const std::string& text) {
  auto dsn = parse_mailer_dsn(text);
  return dsn ? dsn.value() : MailerDsn{};
}

std::optional<SentryDsn> sentry_dsn_or_off(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto dsn = parse_sentry_dsn(text);
  if (!dsn) return std::nullopt;
  return dsn.value();
}

}  // namespace

AppContext::AppContext(WebConfig config, Clock& clock, std::vector<std::string> route_labels)
    : config_(std::move(config)),
      clock_(clock),
      metrics_(std::move(route_labels)),
      sessions_(config_.release.session_format, metrics_),
      app_cache_(config_.release.cache_namespace, metrics_),
      system_cache_(metrics_),
      rate_limiter_(config_.rate_limits, metrics_),
      geocoder_(config_.geocoding_url, config_.third_party_timeout),
      mailer_(mailer_dsn_or_off(config_.mailer_dsn), config_.third_party_timeout),
      sentry_(std::make_unique<SentryReporter>(sentry_dsn_or_off(config_.sentry_dsn),
                                               config_.third_party_timeout)) {}

AppContext::PerThread& AppContext::per_thread() {
  // One slot per thread; a second AppContext in the same process (tests) resets it.
  thread_local PerThread slot;
  if (slot.owner != this) slot = PerThread{this, {}, {}, 0, {}};
  return slot;
}

Result<RedisConnection*> AppContext::redis() {
  PerThread& t = per_thread();
  if (!t.redis || !t.redis->usable()) {
    t.redis.reset();
    auto opened = RedisConnection::open(config_.redis, kDatastoreTimeout);
    if (!opened) return opened.error();
    t.redis.emplace(std::move(opened.value()));
  }
  return &*t.redis;
}

Result<AppDatabase*> AppContext::database() {
  PerThread& t = per_thread();
  if (!t.database) {
    auto opened = AppDatabase::open(config_.database, kDatastoreTimeout);
    if (!opened) return opened.error();
    t.database.emplace(std::move(opened.value()));
    t.queries_counted = 0;
  }
  return &*t.database;
}

void AppContext::forget_database() {
  account_database_queries();
  per_thread().database.reset();
}

void AppContext::account_database_queries() {
  PerThread& t = per_thread();
  if (!t.database) return;
  const std::uint64_t sent = t.database->queries();
  metrics_.count_mysql_queries(sent - t.queries_counted);
  t.queries_counted = sent;
}

std::optional<std::string> AppContext::scope_of_session(const std::string& session_id) {
  std::lock_guard lock(scopes_mutex_);
  const auto found = scopes_.find(session_id);
  if (found == scopes_.end()) return std::nullopt;
  return found->second;
}

void AppContext::remember_scope(const std::string& session_id, const std::string& scope) {
  std::lock_guard lock(scopes_mutex_);
  if (scopes_.size() >= kSessionScopesMax) scopes_.clear();
  scopes_.insert_or_assign(session_id, scope);
}

Rng& AppContext::rng() {
  PerThread& t = per_thread();
  if (!t.rng) t.rng.emplace(Rng::fresh_seed());
  return *t.rng;
}

}  // namespace mepsim::web
