#pragma once
// Sentry, faked: ingestion (envelope and legacy store endpoints, the three auth forms,
// chunked and gzip bodies, rate limits per category) and the part of Sentry's web API
// that users' scripts and the scenarios read (issues of a project, events of an issue),
// so that @sentry/node, the web container's own reporter and plain fetch scripts work
// against it unchanged (FACTS.md "Sentry ingestion").
//
// Stricter than the real service: a malformed envelope is a 400 naming the reason and
// the byte offset, where Relay would often drop it silently. Everything it keeps is
// bounded (SentryCapacities). Control-plane time (firstSeen, rate-limit windows,
// statsPeriod) comes from `control_clock`, handler latency from `latency_clock`,
// randomness (DSN keys, the API token, event ids it makes up) only from its Rng.
//
// Thread-safety: requests run on the server's threads; the store locks itself, so the
// query accessors may be called from any thread while it serves. start() and stop()
// belong to the owner's thread.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::sentry {

// Sentry's data categories, as rate limits and client reports name them.
// https://develop.sentry.dev/sdk/rate-limiting/#definitions
inline constexpr const char* kCategories[] = {"default", "error", "transaction", "session",
                                              "attachment"};

// One configured limit: past `items_per_window` items of `category` within a window of
// `window_s` control-plane seconds, items of that category are answered 429 until the
// window ends. 0 items refuses every item of the category for the whole window (the
// window then starts with the first refused item).
struct RateLimitRule {
  std::string project_slug;  // "" : every project
  std::string category;      // one of kCategories
  std::uint32_t items_per_window = 0;
  std::int64_t window_s = 60;
};

// Bounds of everything the fake keeps; past them the oldest goes first (issues: the
// least recently seen; events: the oldest of the issue) and a counter says how many.
struct SentryCapacities {
  std::size_t issues_per_project_max = 1'000;
  std::size_t events_per_issue_max = 100;
  // A stored event's JSON past this is kept cut to its summary fields.
  std::size_t event_json_bytes_max = 16 * 1024;
  std::size_t client_reports_per_project_max = 1'000;
  std::size_t releases_per_project_max = 256;  // release health rows, releases per issue
  // Everything above together, in payload bytes (events' JSON and strings, plus a fixed
  // overhead per record): past it the oldest events go, then the least recently seen
  // issues. This is the store's memory bound; stats().stored_bytes witnesses it.
  std::size_t store_bytes_max = 64 << 20;
  std::size_t items_per_envelope_max = 100;  // more: 400
  // Body as received (compressed or not): 413 past it. The inflated body: 413 past it.
  std::size_t body_bytes_max = 1 << 20;
  std::size_t inflated_bytes_max = 8 << 20;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
};

struct SentryFakeOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free one; port() tells which
  std::string organization = "mtes-mct";
  // One project per app of the profile, each with its own DSN key; ids 1, 2, 3… in order.
  std::vector<std::string> projects = {"histologe", "histologe-staging", "histologe-demo"};
  // The bearer token of the web API (/api/0/…); "" draws one ("sntrys_…") from the Rng.
  std::string auth_token;
  std::vector<RateLimitRule> rate_limits;
  // firstSeen/lastSeen, rate-limit windows, statsPeriod; null: the latency clock.
  const Clock* control_clock = nullptr;
  // Handler latency (real time); null: an unscaled RealClock of the fake's own.
  Clock* latency_clock = nullptr;
  Chaos* chaos = nullptr;  // null: no chaos; operations "envelope", "store", "api"
  int threads = 8;
  SentryCapacities capacities;
  // Where a new issue is published (data plane: real traffic decides when it comes), as
  // `sentry.issue.created` {project, issue, title, culprit, level, release, environment}
  // at its firstSeen: rule R11 reads it. Null: nowhere.
  EventLog* events = nullptr;
};

// An issue as the web API shows it: events grouped by fingerprint, else exception type
// and top in-app frame, else message.
struct SentryIssue {
  std::string id;  // numeric string, "1", "2"… over the fake's life
  std::string project_slug;
  std::string title;    // "TypeError: x is undefined", or the message
  std::string culprit;  // the top in-app frame's function (or module), or the transaction
  std::string level;    // of the latest event
  std::string status = "unresolved";
  Instant first_seen{};
  Instant last_seen{};
  std::uint64_t count = 0;
  std::map<std::string, std::uint64_t> count_by_release;      // "" : no release
  std::map<std::string, std::uint64_t> count_by_environment;  // "" : no environment
  std::uint64_t events_dropped = 0;                           // past events_per_issue_max
};

struct SentryStoredEvent {
  std::string event_id;  // 32 hex digits
  std::string issue_id;
  std::string project_slug;
  Instant received{};
  std::string release;
  std::string environment;
  std::string level;
  std::string platform;
  std::string message;  // the event's message, or "Type: value"
  std::map<std::string, std::string> tags;
  std::string json;  // the event payload as received, or its summary past the bound
};

// Crash-free rate per release, from `session` and `sessions` items.
struct SentryReleaseHealth {
  std::string release;
  std::uint64_t sessions = 0;  // sessions that ended (or aggregates' totals)
  std::uint64_t crashed = 0;
  std::uint64_t errored = 0;
  std::uint64_t abnormal = 0;
  double crash_free_rate() const {
    return sessions == 0 ? 1.0 : 1.0 - static_cast<double>(crashed) / static_cast<double>(sessions);
  }
};

struct SentryDiscardedEvents {
  std::string reason;  // "ratelimit_backoff", "queue_overflow", …
  std::string category;
  std::uint64_t quantity = 0;
};

struct SentryClientReport {
  std::string project_slug;
  Instant received{};
  std::vector<SentryDiscardedEvents> discarded;
};

// What came in, by outcome and item type, for reports and benchmarks.
struct SentryIngestStats {
  std::uint64_t envelopes_accepted = 0;
  std::uint64_t requests_refused_auth = 0;  // 401/403
  std::uint64_t requests_malformed = 0;     // 400/413
  std::uint64_t items_rate_limited = 0;     // items refused with a 429
  std::map<std::string, std::uint64_t> items_by_type;
  std::uint64_t issues_evicted = 0;
  std::uint64_t events_evicted = 0;
  std::uint64_t client_reports_evicted = 0;
  // What the store holds, in bytes of payload (events' JSON, strings): the memory bound's
  // witness. Never above stored_bytes_max().
  std::size_t stored_bytes = 0;
  std::size_t stored_bytes_max = 0;
};

class SentryFake {
 public:
  // `rng` should be the fake's own stream (`run_rng.fork("sentry")`).
  SentryFake(Rng rng, SentryFakeOptions options);
  ~SentryFake();  // stops the server
  SentryFake(const SentryFake&) = delete;
  SentryFake& operator=(const SentryFake&) = delete;

  // Binds, then serves on background threads. An address that cannot be bound is
  // `unavailable`; calling it twice is `conflict`.
  Result<void> start();
  void stop();  // idempotent

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  // "http://<key>@127.0.0.1:PORT/<id>"; "" for a project the fake does not have.
  std::string dsn(const std::string& project_slug) const;
  std::string project_id(const std::string& project_slug) const;  // "" when unknown
  const std::string& organization() const;
  const std::string& auth_token() const;  // the web API's bearer token
  RequestJournal& journal();

  // Replaces the rate limits (scenario steps); windows already running are forgotten.
  void set_rate_limits(std::vector<RateLimitRule> rules);

  // Issues of a project seen at or after `since` (all when absent), of `release` when it
  // is not empty; most recently seen first.
  std::vector<SentryIssue> issues(const std::string& project_slug,
                                  std::optional<Instant> since = std::nullopt,
                                  const std::string& release = "") const;
  std::optional<SentryIssue> issue(const std::string& issue_id) const;
  std::vector<SentryStoredEvent> events(const std::string& issue_id) const;  // newest first
  std::vector<SentryReleaseHealth> release_health(const std::string& project_slug) const;
  std::vector<SentryClientReport> client_reports(const std::string& project_slug) const;
  SentryIngestStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::sentry
