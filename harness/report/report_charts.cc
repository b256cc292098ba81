#include "harness/report/report_charts.h"

#include <algorithm>
#include <limits>

#include "harness/report/report_timeline.h"

namespace mepsim::report {
namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct StatusClass {
  const char* name;
  const char* color;
  int low, high;  // codes [low, high]; the last class takes every other code
};
constexpr StatusClass kStatusClasses[] = {{"2xx", "#16a34a", 200, 299},
                                          {"3xx", "#2563eb", 300, 399},
                                          {"4xx", "#d97706", 400, 499},
                                          {"5xx", "#dc2626", 500, 599},
                                          {"errors", "#4c1d95", 0, 0}};

std::size_t status_class(int code) {
  for (std::size_t k = 0; k + 1 < std::size(kStatusClasses); ++k) {
    if (code >= kStatusClasses[k].low && code <= kStatusClasses[k].high) return k;
  }
  return std::size(kStatusClasses) - 1;  // transport errors (0) and anything odd
}

Chart base_chart(const ScenarioReport& s, const char* id, const char* title, const char* unit) {
  Chart chart{id, title, unit, false, {}, {}, {}};
  for (const auto& sample : s.series) chart.x.push_back(sample.t_s);
  for (const auto& m : s.markers) {
    chart.markers.push_back({m.t_s, m.kind, m.label, std::string(kind_color(m.kind))});
  }
  return chart;
}

Chart throughput(const ScenarioReport& s) {
  Chart chart = base_chart(s, "throughput", "Throughput", "requests/s");
  ChartSeries requests{"requests/s", "#0f766e", {}};
  for (const auto& sample : s.series)
    requests.values.push_back(static_cast<double>(sample.requests));
  chart.series.push_back(std::move(requests));
  return chart;
}

Chart latency(const ScenarioReport& s) {
  Chart chart = base_chart(s, "latency", "Latency percentiles", "ms");
  ChartSeries p50{"p50", "#2563eb", {}}, p90{"p90", "#d97706", {}}, p99{"p99", "#dc2626", {}};
  for (const auto& sample : s.series) {
    // A second without requests has no latency: the line breaks rather than dips to 0.
    const bool measured = sample.requests > 0;
    p50.values.push_back(measured ? sample.p50_ms : kNoValue);
    p90.values.push_back(measured ? sample.p90_ms : kNoValue);
    p99.values.push_back(measured ? sample.p99_ms : kNoValue);
  }
  chart.series = {std::move(p50), std::move(p90), std::move(p99)};
  return chart;
}

Chart status_codes(const ScenarioReport& s) {
  Chart chart = base_chart(s, "status", "Responses by status class", "responses/s");
  chart.stacked = true;
  for (const auto& c : kStatusClasses) {
    chart.series.push_back({c.name, c.color, std::vector<double>(s.series.size(), 0.0)});
  }
  for (std::size_t i = 0; i < s.series.size(); ++i) {
    for (const auto& [code, count] : s.series[i].status) {
      chart.series[status_class(code)].values[i] += static_cast<double>(count);
    }
  }
  return chart;
}

Chart cache_hits(const ScenarioReport& s) {
  Chart chart = base_chart(s, "cache", "Cache hit ratio", "ratio");
  ChartSeries ratio{"hit ratio", "#7c3aed", {}};
  for (const auto& sample : s.series) {
    ratio.values.push_back(sample.cache_hit_ratio >= 0 ? sample.cache_hit_ratio : kNoValue);
  }
  chart.series.push_back(std::move(ratio));
  return chart;
}

}  // namespace

std::vector<Chart> series_charts(const ScenarioReport& s) {
  if (s.series.empty()) return {};
  std::vector<Chart> charts = {throughput(s), latency(s), status_codes(s)};
  const bool cache_measured =
      std::any_of(s.series.begin(), s.series.end(),
                  [](const SecondSample& x) { return x.cache_hit_ratio >= 0; });
  if (cache_measured) charts.push_back(cache_hits(s));
  return charts;
}

}  // namespace mepsim::report
