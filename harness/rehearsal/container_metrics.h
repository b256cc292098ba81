#pragma once
// The session and cache figures of a rehearsal, read from each app's running web containers
// (`GET /metrics` on the container's own port, Prometheus text: sim/web/web_metrics.h).
// A container keeps its counters in memory: a restart or a deployment starts them again at
// zero, so the figures cover the containers serving at the moment they are read.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mepsim {

class Topology;

struct ContainerFigures {
  std::uint64_t requests = 0;  // the app's routes; health checks and scrapes left out
  std::uint64_t session_reads = 0;
  std::uint64_t session_writes = 0;  // sessions opened (logins) and destroyed (logouts)
  std::uint64_t app_cache_hits = 0;
  std::uint64_t app_cache_misses = 0;
  std::uint64_t system_cache_hits = 0;
  std::uint64_t system_cache_misses = 0;
  // `requests` by the status label ("200", "503"…, "other"), for the dashboard's charts.
  std::map<std::string, std::uint64_t> requests_by_status;

  ContainerFigures& operator+=(const ContainerFigures& other);
};

// The figures of one /metrics page; lines it does not know are skipped.
ContainerFigures parse_container_metrics(std::string_view prometheus_text);

// {"requests", "sessions": {"reads", "writes"}, "cache": {"app"|"system": {"hits",
// "misses", "hit_ratio"}}}; hit_ratio is null before the first lookup.
nlohmann::json figures_json(const ContainerFigures& figures);

// Every app's web containers, read now (each at most 1 s): {"source", "apps": {app:
// figures + "containers", "unreachable"}, "total": figures}.
nlohmann::json measure_web_containers(Topology& topology);

}  // namespace mepsim
