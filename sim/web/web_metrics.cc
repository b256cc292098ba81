#include "sim/web/web_metrics.h"

#include <fmt/format.h>

namespace mepsim::web {

WebMetrics::WebMetrics(std::vector<std::string> route_labels)
    : route_labels_(std::move(route_labels)) {
  route_labels_.emplace_back("unmatched");
  requests_ = std::vector<std::atomic<std::uint64_t>>(route_labels_.size() * kStatusSlots);
}

std::size_t WebMetrics::status_slot(int status) {
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) return i;
  }
  return kStatuses.size();
}

void WebMetrics::count_request(std::size_t route, int status) {
  if (route >= route_labels_.size()) route = unmatched_route();
  requests_[route * kStatusSlots + status_slot(status)].fetch_add(1, std::memory_order_relaxed);
}

void WebMetrics::count_cache(CachePool pool, bool hit) {
  const std::size_t slot = (pool == CachePool::app ? 0u : 2u) + (hit ? 1u : 0u);
  cache_[slot].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t WebMetrics::requests(std::size_t route, int status) const {
  if (route >= route_labels_.size()) return 0;
  return requests_[route * kStatusSlots + status_slot(status)].load(std::memory_order_relaxed);
}

std::uint64_t WebMetrics::cache(CachePool pool, bool hit) const {
  const std::size_t slot = (pool == CachePool::app ? 0u : 2u) + (hit ? 1u : 0u);
  return cache_[slot].load(std::memory_order_relaxed);
}

std::string WebMetrics::render(const std::string& version) const {
  std::string out;
  out += "# HELP mepsim_web_requests_total Requests answered, by route and status.\n";
  out += "# TYPE mepsim_web_requests_total counter\n";
  for (std::size_t r = 0; r < route_labels_.size(); ++r) {
    for (std::size_t s = 0; s < kStatusSlots; ++s) {
      const auto n = requests_[r * kStatusSlots + s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other";
      out += fmt::format("mepsim_web_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         route_labels_[r], status, n);
    }
  }
  out += "# HELP mepsim_web_cache_requests_total Cache lookups, by pool and result.\n";
  out += "# TYPE mepsim_web_cache_requests_total counter\n";
  for (const char* pool : {"app", "system"}) {
    for (const char* result : {"miss", "hit"}) {
      const std::size_t slot =
          (std::string_view(pool) == "app" ? 0u : 2u) + (std::string_view(result) == "hit");
      out += fmt::format("mepsim_web_cache_requests_total{{pool=\"{}\",result=\"{}\"}} {}\n", pool,
                         result, cache_[slot].load(std::memory_order_relaxed));
    }
  }
  const auto counter = [&out](const char* name, const char* help,
                              const std::atomic<std::uint64_t>& value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, help, name, name,
                       value.load(std::memory_order_relaxed));
  };
  counter("mepsim_web_session_reads_total", "Sessions read from Redis.", session_reads_);
  counter("mepsim_web_session_writes_total", "Sessions written to Redis.", session_writes_);
  counter("mepsim_web_mysql_queries_total", "Statements sent to MySQL.", mysql_queries_);
  counter("mepsim_web_redis_commands_total", "Commands sent to Redis.", redis_commands_);
  counter("mepsim_web_redis_round_trips_total", "Round trips to Redis (pipelines count once).",
          redis_round_trips_);
  counter("mepsim_web_sentry_events_total", "Errors reported to Sentry.", sentry_events_);
  out += fmt::format(
      "# HELP mepsim_web_info The release this container runs.\n# TYPE mepsim_web_info gauge\n"
      "mepsim_web_info{{version=\"{}\"}} 1\n",
      version);
  return out;
}

}  // namespace mepsim::web
