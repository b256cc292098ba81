#pragma once
// A small SVG chart for the HTML report: lines or stacked areas over seconds, with marks
// (deployments, toggles, faults) as labelled vertical lines. Colours are attributes, not
// stylesheet rules, so a chart does not depend on the page around it. It is written for
// inline use in HTML, hence without an xmlns: the page names no URL at all.
//
//   <svg class="chart" data-chart="latency" …>
//     <polyline class="series" data-series="p99" …/>
//     <line class="marker" data-kind="deployment" data-t="12.000" …/>

#include <string>
#include <vector>

namespace mepsim::report {

struct ChartSeries {
  std::string name;            // "p99": the legend and data-series
  std::string color;           // "#2563eb"
  std::vector<double> values;  // one per x; NaN where the second has no value (a gap)
};

struct ChartMarker {
  double x = 0;
  std::string kind;   // "deployment"…: data-kind
  std::string label;  // "histologe 1.7.4 success"
  std::string color;
};

struct Chart {
  std::string id;         // data-chart: "throughput"
  std::string title;      // "Throughput"
  std::string unit;       // "requests/s": the y axis
  bool stacked = false;   // series are areas, each above the one before
  std::vector<double> x;  // seconds since the data-plane start
  std::vector<ChartSeries> series;
  std::vector<ChartMarker> markers;
};

// The chart as one <svg> element; every text in it escaped.
std::string render_svg_chart(const Chart& chart);

// A round step for about `count` ticks over [0, span]: 1, 2 or 5 times a power of ten.
double nice_step(double span, int count);

}  // namespace mepsim::report
