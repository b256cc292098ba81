#pragma once
// The data-plane events the procedure's rules read (R10: who could log in or submit a
// form while maintenance was on): one "users"/"http.exchange" event per login attempt
// and per form submission, never per page view. Bounded per run; the rest are counted.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/load/load_options.h"
#include "harness/load/virtual_user.h"
#include "sim/core/event_log.h"

namespace mepsim::load {

class ExchangeEvents {
 public:
  // 10k events: a few MB of the event log's 200k, whatever the run's length.
  static constexpr std::int64_t kPublishedMax = 10'000;

  ExchangeEvents(EventLog* log, std::string app) : log_(log), app_(std::move(app)) {}

  // Fields: app, class, role ("" anonymous), method, path, status (0: no answer),
  // outcome, maintenance ("1"/"0", what the caller said was in effect).
  void publish(Instant at, const VirtualUser& user, std::string_view method, std::string_view path,
               int status, Outcome outcome, bool maintenance);

  std::int64_t published() const { return published_.load(std::memory_order_relaxed); }
  std::int64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  EventLog* log_;
  std::string app_;
  std::atomic<std::int64_t> published_{0};
  std::atomic<std::int64_t> dropped_{0};
};

}  // namespace mepsim::load
