#pragma once
// The counts of one group of exchanges (the whole run, a class, a route, a phase, a
// second): how many, their latency histogram, their statuses and transport errors. Every
// part merges exactly, so shards count apart and a report adds them up.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "harness/load/latency_histogram.h"

namespace mepsim::load {

// Status 0 counts exchanges that got no HTTP answer; their kind is in `errors`.
inline constexpr int kTransportErrorStatus = 0;

struct Tally {
  std::int64_t requests = 0;
  LatencyHistogram latency;                                 // answered exchanges only
  std::map<int, std::int64_t> status;                       // bounded by HTTP's 1000 codes
  std::map<std::string, std::int64_t, std::less<>> errors;  // a fixed set of kinds

  void add_answer(int status_code, Duration latency_value) {
    ++requests;
    ++status[status_code];
    latency.record(latency_value);
  }
  void add_error(std::string_view kind) {
    ++requests;
    ++status[kTransportErrorStatus];
    auto found = errors.find(kind);
    if (found == errors.end()) found = errors.emplace(std::string(kind), 0).first;
    ++found->second;
  }
  void merge(const Tally& other) {
    requests += other.requests;
    latency.merge(other.latency);
    for (const auto& [code, n] : other.status) status[code] += n;
    for (const auto& [kind, n] : other.errors) errors[kind] += n;
  }
  bool operator==(const Tally&) const = default;
};

struct SessionCounts {
  std::int64_t logged_in_users = 0;    // users holding a session (or API token) now
  std::int64_t unexpected_losses = 0;  // sent to /connexion or /logout when nothing called for it
  std::int64_t expected_logouts = 0;   // a non-admin sent to /logout while maintenance is on
  std::int64_t relogins = 0;           // logins after a loss of either kind
  std::int64_t logins_ok = 0;
  std::int64_t logins_refused = 0;
  void merge(const SessionCounts& o) {
    logged_in_users += o.logged_in_users;
    unexpected_losses += o.unexpected_losses;
    expected_logouts += o.expected_logouts;
    relogins += o.relogins;
    logins_ok += o.logins_ok;
    logins_refused += o.logins_refused;
  }
};

struct CacheCounts {
  std::int64_t hits = 0;  // answers with X-Cache: hit
  std::int64_t misses = 0;
  void merge(const CacheCounts& o) {
    hits += o.hits;
    misses += o.misses;
  }
  // -1 when no answer said either.
  double hit_ratio() const {
    const auto n = hits + misses;
    return n == 0 ? -1.0 : static_cast<double>(hits) / static_cast<double>(n);
  }
};

struct WriteCounts {
  std::int64_t accepted = 0;         // reports the app answered 2xx with a reference for
  std::int64_t refused = 0;          // reports it refused (4xx, or sent home by maintenance)
  std::int64_t failed = 0;           // 5xx or no answer: whether it was written is unknown
  std::int64_t unrecorded = 0;       // accepted past the bound of the list kept for checking
  std::optional<std::int64_t> lost;  // accepted but missing from MySQL, once checked
  void merge(const WriteCounts& o) {
    accepted += o.accepted;
    refused += o.refused;
    failed += o.failed;
    unrecorded += o.unrecorded;
  }
};

}  // namespace mepsim::load
