#include "harness/load/exchange_events.h"

namespace mepsim::load {

void ExchangeEvents::publish(Instant at, const VirtualUser& user, std::string_view method,
                             std::string_view path, int status, Outcome outcome, bool maintenance) {
  if (log_ == nullptr) return;
  // Claim a slot first: shards publish concurrently and the bound must hold exactly.
  auto n = published_.load(std::memory_order_relaxed);
  do {
    if (n >= kPublishedMax) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  } while (!published_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
  log_->publish(at, Plane::data, "users", "http.exchange",
                {{"app", app_},
                 {"class", class_name(user.user_class)},
                 {"role", user.account != nullptr ? user.account->role : ""},
                 {"method", std::string(method)},
                 {"path", std::string(path)},
                 {"status", std::to_string(status)},
                 {"outcome", outcome_name(outcome)},
                 {"maintenance", maintenance ? "1" : "0"}});
}

}  // namespace mepsim::load
