#pragma once
// The charts of a scenario's measured traffic, each with the scenario's markers: throughput,
// latency percentiles, status codes by class, and the cache hit ratio when it was measured.

#include <vector>

#include "harness/report/run_report.h"
#include "harness/report/svg_chart.h"

namespace mepsim::report {

// data-chart ids "throughput", "latency", "status" (and "cache"); none without a series.
std::vector<Chart> series_charts(const ScenarioReport& scenario);

}  // namespace mepsim::report
