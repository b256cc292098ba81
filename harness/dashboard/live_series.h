#pragma once
// The live charts of `mepsim up`'s dashboard: every second, each running web container's
// counters (`GET /metrics`) are read, and what changed since the last reading becomes one
// point per chart — throughput by app, responses by status class, session reads and writes,
// cache hit ratios — with the deployments, restarts and toggles marked. A load run from
// `mepsim load` is another process: it posts its own seconds (latencies, session losses),
// which live_loads.h keeps and the page draws with these marks. Memory is fixed: the last
// kSecondsKept points and kMarkersKept marks.

#include <cstddef>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/rehearsal/container_metrics.h"
#include "harness/report/run_report.h"

namespace mepsim {
class Topology;
}  // namespace mepsim

namespace mepsim::dashboard {

struct ContainerReading {
  std::string app;
  std::string container;  // the platform's container id: a restarted one is another
  ContainerFigures figures;
};

// Every app's running web containers, read now (each at most 1 s); those that do not
// answer are left out.
std::vector<ContainerReading> read_web_containers(Topology& topology);

// One point of the live charts: rates over the interval since the reading before.
struct LivePoint {
  double t_s = 0;                                 // real seconds since the dashboard started
  std::map<std::string, double> requests_per_s;   // by app
  std::map<std::string, double> responses_per_s;  // by status class: "2xx"… "other"
  double session_reads_per_s = 0;
  double session_writes_per_s = 0;
  double app_cache_hit_ratio = -1;  // -1: no lookup in the interval
  double system_cache_hit_ratio = -1;
};

class LiveSeries {
 public:
  static constexpr std::size_t kSecondsKept = 600;  // ten minutes on screen
  static constexpr std::size_t kMarkersKept = 200;

  // The readings taken at `t_s`; the first call only sets the baseline. A container not
  // read before counts from zero once the baseline is set (it started since).
  void add_readings(double t_s, const std::vector<ContainerReading>& readings);
  // A deployment, restart, toggle… at `marker.t_s` on the same axis.
  void add_marker(report::Marker marker);

  const std::deque<LivePoint>& points() const { return points_; }
  // {"charts": [chart_json…], "note"}: empty charts before the second reading.
  nlohmann::json charts_json() const;
  // [{"t_s", "kind", "label", "color"}]: every mark kept, for charts drawn by the page.
  nlohmann::json markers_json() const;

 private:
  std::map<std::string, ContainerFigures> last_;  // by container, as last read
  bool baseline_set_ = false;
  double last_t_s_ = 0;
  std::deque<LivePoint> points_;        // at most kSecondsKept
  std::deque<report::Marker> markers_;  // at most kMarkersKept
};

// "2xx", "3xx", "4xx", "5xx" or "other" for a status label of /metrics.
std::string status_class(const std::string& status_label);

}  // namespace mepsim::dashboard
