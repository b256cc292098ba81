#include "harness/dashboard/live_series.h"

#include <algorithm>
#include <limits>

#include "harness/dashboard/dashboard_json.h"
#include "harness/report/report_timeline.h"
#include "harness/report/svg_chart.h"
#include "harness/topology/topology.h"
#include "sim/net/http_client.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kAppColors[] = {"#0f766e", "#2563eb", "#d97706",
                                      "#7c3aed", "#db2777", "#65a30d"};
struct StatusClass {
  const char* name;
  const char* color;
};
// The report's colours for the same classes (harness/report/report_charts.cc).
constexpr StatusClass kStatusClasses[] = {{"2xx", "#16a34a"},
                                          {"3xx", "#2563eb"},
                                          {"4xx", "#d97706"},
                                          {"5xx", "#dc2626"},
                                          {"other", "#4c1d95"}};

std::uint64_t grown(std::uint64_t now, std::uint64_t before) {
  return now >= before ? now - before : now;  // less: the counter started again
}

ContainerFigures difference(const ContainerFigures& now, const ContainerFigures& before) {
  ContainerFigures d;
  d.requests = grown(now.requests, before.requests);
  d.session_reads = grown(now.session_reads, before.session_reads);
  d.session_writes = grown(now.session_writes, before.session_writes);
  d.app_cache_hits = grown(now.app_cache_hits, before.app_cache_hits);
  d.app_cache_misses = grown(now.app_cache_misses, before.app_cache_misses);
  d.system_cache_hits = grown(now.system_cache_hits, before.system_cache_hits);
  d.system_cache_misses = grown(now.system_cache_misses, before.system_cache_misses);
  for (const auto& [status, count] : now.requests_by_status) {
    const auto was = before.requests_by_status.find(status);
    d.requests_by_status[status] =
        grown(count, was == before.requests_by_status.end() ? 0 : was->second);
  }
  return d;
}

double ratio(std::uint64_t hits, std::uint64_t misses) {
  const std::uint64_t lookups = hits + misses;
  return lookups == 0 ? -1.0 : static_cast<double>(hits) / static_cast<double>(lookups);
}

double per_s(std::uint64_t count, double interval_s) {
  return static_cast<double>(count) / interval_s;
}

report::Chart base_chart(const std::deque<LivePoint>& points,
                         const std::deque<report::Marker>& markers, const char* id,
                         const char* title, const char* unit) {
  report::Chart chart{id, title, unit, false, {}, {}, {}};
  for (const auto& p : points) chart.x.push_back(p.t_s);
  const double from = points.empty() ? 0 : points.front().t_s;
  for (const auto& m : markers) {
    if (m.t_s < from) continue;
    chart.markers.push_back({m.t_s, m.kind, m.label, std::string(report::kind_color(m.kind))});
  }
  return chart;
}

template <typename Value>
report::ChartSeries series_of(const std::deque<LivePoint>& points, std::string name,
                              std::string color, Value value) {
  report::ChartSeries s{std::move(name), std::move(color), {}};
  for (const auto& p : points) s.values.push_back(value(p));
  return s;
}

double or_gap(double ratio_value) {
  return ratio_value >= 0 ? ratio_value : kNoValue;
}

}  // namespace

std::string status_class(const std::string& label) {
  if (label.size() == 3 && label[0] >= '2' && label[0] <= '5') return label.substr(0, 1) + "xx";
  return "other";
}

std::vector<ContainerReading> read_web_containers(Topology& topology) {
  constexpr auto kScrapeTimeout = std::chrono::seconds(1);
  std::vector<ContainerReading> out;
  for (const auto& app : topology.platform().apps()) {
    auto containers = topology.platform().containers(app.name);
    if (!containers) continue;
    for (const auto& container : containers.value()) {
      if (container.type != "web") continue;
      const auto port = topology.processes().port_of(container.runtime_id);
      if (port == 0) continue;
      HttpExchange scrape;
      scrape.url = {"127.0.0.1", port, "/metrics"};
      scrape.timeout = kScrapeTimeout;
      auto reply = http_exchange(scrape);
      if (!reply || reply->status != 200) continue;
      out.push_back({app.name, container.id, parse_container_metrics(reply->body)});
    }
  }
  return out;
}

void LiveSeries::add_readings(double t_s, const std::vector<ContainerReading>& readings) {
  std::map<std::string, ContainerFigures> read;
  for (const auto& r : readings) read[r.container] = r.figures;
  if (!baseline_set_ || t_s <= last_t_s_) {
    baseline_set_ = true;
    last_ = std::move(read);
    last_t_s_ = t_s;
    return;
  }
  const double interval_s = t_s - last_t_s_;
  LivePoint point;
  point.t_s = t_s;
  ContainerFigures total;
  for (const auto& r : readings) {
    const auto before = last_.find(r.container);
    const auto d =
        difference(r.figures, before == last_.end() ? ContainerFigures{} : before->second);
    point.requests_per_s[r.app] += per_s(d.requests, interval_s);
    total += d;
  }
  for (const auto& c : kStatusClasses) point.responses_per_s[c.name] = 0;
  for (const auto& [status, count] : total.requests_by_status) {
    point.responses_per_s[status_class(status)] += per_s(count, interval_s);
  }
  point.session_reads_per_s = per_s(total.session_reads, interval_s);
  point.session_writes_per_s = per_s(total.session_writes, interval_s);
  point.app_cache_hit_ratio = ratio(total.app_cache_hits, total.app_cache_misses);
  point.system_cache_hit_ratio = ratio(total.system_cache_hits, total.system_cache_misses);
  points_.push_back(std::move(point));
  if (points_.size() > kSecondsKept) points_.pop_front();
  last_ = std::move(read);
  last_t_s_ = t_s;
}

void LiveSeries::add_marker(report::Marker marker) {
  markers_.push_back(std::move(marker));
  if (markers_.size() > kMarkersKept) markers_.pop_front();
}

json LiveSeries::markers_json() const {
  json out = json::array();
  for (const auto& m : markers_) {
    out.push_back({{"t_s", m.t_s},
                   {"kind", m.kind},
                   {"label", cut_utf8(m.label, kFieldBytesMax)},
                   {"color", std::string(report::kind_color(m.kind))}});
  }
  return out;
}

json LiveSeries::charts_json() const {
  json charts = json::array();
  if (!points_.empty()) {
    auto throughput =
        base_chart(points_, markers_, "throughput", "Throughput by app", "requests/s");
    std::vector<std::string> apps;
    for (const auto& p : points_) {
      for (const auto& [app, rate] : p.requests_per_s) {
        if (std::find(apps.begin(), apps.end(), app) == apps.end()) apps.push_back(app);
      }
    }
    for (std::size_t i = 0; i < apps.size(); ++i) {
      throughput.series.push_back(series_of(
          points_, apps[i], kAppColors[i % std::size(kAppColors)], [&](const LivePoint& p) {
            const auto rate = p.requests_per_s.find(apps[i]);
            return rate == p.requests_per_s.end() ? 0.0 : rate->second;
          }));
    }
    charts.push_back(chart_json(throughput));

    auto status =
        base_chart(points_, markers_, "status", "Responses by status class", "responses/s");
    status.stacked = true;
    for (const auto& c : kStatusClasses) {
      status.series.push_back(series_of(points_, c.name, c.color, [&](const LivePoint& p) {
        return p.responses_per_s.at(c.name);
      }));
    }
    charts.push_back(chart_json(status));

    auto sessions = base_chart(points_, markers_, "sessions", "Session reads and writes", "per s");
    sessions.series.push_back(series_of(points_, "reads", "#2563eb",
                                        [](const LivePoint& p) { return p.session_reads_per_s; }));
    sessions.series.push_back(series_of(points_, "writes", "#dc2626",
                                        [](const LivePoint& p) { return p.session_writes_per_s; }));
    charts.push_back(chart_json(sessions));

    auto cache = base_chart(points_, markers_, "cache", "Cache hit ratio", "ratio");
    cache.series.push_back(series_of(points_, "app pool", "#7c3aed", [](const LivePoint& p) {
      return or_gap(p.app_cache_hit_ratio);
    }));
    cache.series.push_back(series_of(points_, "system pool", "#0f766e", [](const LivePoint& p) {
      return or_gap(p.system_cache_hit_ratio);
    }));
    charts.push_back(chart_json(cache));
  }
  return {{"charts", std::move(charts)},
          {"note",
           "Read each second from the web containers' /metrics (the last ten minutes). "
           "Latency percentiles and session losses are the load generator's: a running "
           "mepsim load posts them (Load, below)."}};
}

}  // namespace mepsim::dashboard
