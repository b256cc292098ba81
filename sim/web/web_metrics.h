#pragma once
// A container's counters, scraped at /metrics in Prometheus' text format. They sit on the
// measured data plane: every counter is a relaxed atomic in a fixed-size table, so that
// counting a request costs an increment and never a lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace mepsim::web {

enum class CachePool { app, system };

class WebMetrics {
 public:
  // The route labels, by route index; "unmatched" is added last for requests no route took.
  explicit WebMetrics(std::vector<std::string> route_labels);
  std::size_t unmatched_route() const { return route_labels_.size() - 1; }

  void count_request(std::size_t route, int status);
  void count_cache(CachePool pool, bool hit);
  void count_session_read() { session_reads_.fetch_add(1, std::memory_order_relaxed); }
  void count_session_write() { session_writes_.fetch_add(1, std::memory_order_relaxed); }
  void count_mysql_queries(std::uint64_t n) {
    mysql_queries_.fetch_add(n, std::memory_order_relaxed);
  }
  // One round trip to Redis carrying `n` commands (a pipeline or a single command).
  void count_redis_commands(std::uint64_t n) {
    redis_commands_.fetch_add(n, std::memory_order_relaxed);
    redis_round_trips_.fetch_add(1, std::memory_order_relaxed);
  }
  void count_sentry_event() { sentry_events_.fetch_add(1, std::memory_order_relaxed); }

  std::uint64_t requests(std::size_t route, int status) const;
  std::uint64_t cache(CachePool pool, bool hit) const;

  // `gauges`: name → value lines the caller adds (uptime, version).
  std::string render(const std::string& version) const;

 private:
  // The statuses the app answers; any other is counted under "other".
  static constexpr std::array<int, 14> kStatuses = {200, 201, 204, 302, 400, 401, 403,
                                                    404, 405, 413, 422, 429, 500, 503};
  static constexpr std::size_t kStatusSlots = kStatuses.size() + 1;
  static std::size_t status_slot(int status);

  std::vector<std::string> route_labels_;
  std::vector<std::atomic<std::uint64_t>> requests_;   // route × status slot
  std::array<std::atomic<std::uint64_t>, 4> cache_{};  // pool × hit
  std::atomic<std::uint64_t> session_reads_{0};
  std::atomic<std::uint64_t> session_writes_{0};
  std::atomic<std::uint64_t> mysql_queries_{0};
  std::atomic<std::uint64_t> redis_commands_{0};
  std::atomic<std::uint64_t> redis_round_trips_{0};
  std::atomic<std::uint64_t> sentry_events_{0};
};

}  // namespace mepsim::web
