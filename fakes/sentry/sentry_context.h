#pragma once
// Internal to the Sentry fake: what its routes share (projects and their keys, the store,
// the rate limiter, counters), and the route tables. Only .cc files of fakes/sentry and
// tests include it: it includes httplib through fake_server.h.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/common/fake_server.h"
#include "fakes/sentry/issue_store.h"
#include "fakes/sentry/rate_limiter.h"
#include "fakes/sentry/sentry_fake.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::sentry {

struct SentryProject {
  std::string slug;
  std::string id;          // "1", "2"…
  std::string public_key;  // 32 hex digits, the DSN's key
};

class SentryContext {
 public:
  SentryContext(Rng rng, SentryFakeOptions options, const Clock& control_clock);

  const SentryFakeOptions options;
  const Clock& control_clock;
  const std::string auth_token;
  std::vector<SentryProject> projects;  // fixed after construction
  IssueStore store;
  RateLimiter limiter;

  const SentryProject* project_by_id(const std::string& id) const;
  const SentryProject* project_by_key(const std::string& key) const;
  const SentryProject* project_by_slug(const std::string& slug) const;
  // 32 hex digits for an event that came without an id.
  std::string new_event_id();

  void count_item(const std::string& type);
  std::atomic<std::uint64_t> envelopes_accepted{0};
  std::atomic<std::uint64_t> requests_refused_auth{0};
  std::atomic<std::uint64_t> requests_malformed{0};
  std::atomic<std::uint64_t> items_rate_limited{0};
  std::map<std::string, std::uint64_t> items_by_type() const;

 private:
  std::mutex rng_mutex_;
  Rng rng_;
  mutable std::mutex items_mutex_;
  // Keyed by item type as sent: bounded by kItemTypesMax, past which "(other)".
  std::map<std::string, std::uint64_t> items_by_type_;
};

inline constexpr std::size_t kItemTypesMax = 32;

std::vector<FakeRoute> ingest_routes(SentryContext& ctx);
std::vector<FakeRoute> web_api_routes(SentryContext& ctx);

// Sentry's error shape: {"detail": message}.
void reply_detail(FakeExchange& ex, int status, const std::string& detail);
void reply_json(FakeExchange& ex, int status, const nlohmann::json& body);

}  // namespace mepsim::fakes::sentry
