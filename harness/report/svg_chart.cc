#include "harness/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/report/markup_escape.h"

namespace mepsim::report {
namespace {

constexpr double kWidth = 960, kHeight = 300;
constexpr double kLeft = 64, kRight = 20, kTop = 34, kBottom = 40;
constexpr double kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;
// Marker labels longer than this many characters are cut; the full one is in the tooltip.
constexpr std::size_t kLabelCharsMax = 32;

struct Scale {
  double x_min = 0, x_max = 1, y_max = 1;
  double x(double v) const { return kLeft + (v - x_min) / (x_max - x_min) * kPlotWidth; }
  double y(double v) const { return kTop + kPlotHeight - v / y_max * kPlotHeight; }
};

// The cumulative tops of stacked series, or each series' own values; NaN stays NaN unstacked.
std::vector<std::vector<double>> plotted_values(const Chart& chart) {
  std::vector<std::vector<double>> out;
  std::vector<double> base(chart.x.size(), 0.0);
  for (const auto& s : chart.series) {
    std::vector<double> values(chart.x.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < chart.x.size() && i < s.values.size(); ++i) values[i] = s.values[i];
    if (chart.stacked) {
      for (std::size_t i = 0; i < values.size(); ++i) {
        base[i] += std::isfinite(values[i]) ? values[i] : 0.0;
        values[i] = base[i];
      }
    }
    out.push_back(std::move(values));
  }
  return out;
}

Scale make_scale(const Chart& chart, const std::vector<std::vector<double>>& values) {
  Scale scale;
  std::vector<double> xs = chart.x;
  for (const auto& m : chart.markers) xs.push_back(m.x);
  if (!xs.empty()) {
    scale.x_min = *std::min_element(xs.begin(), xs.end());
    scale.x_max = *std::max_element(xs.begin(), xs.end());
  }
  if (!(scale.x_max > scale.x_min)) scale.x_max = scale.x_min + 1;
  double top = 0;
  for (const auto& series : values) {
    for (const double v : series) {
      if (std::isfinite(v)) top = std::max(top, v);
    }
  }
  const double step = nice_step(top > 0 ? top : 1, 5);
  scale.y_max = std::max(step, std::ceil(top / step) * step);
  return scale;
}

std::string cut_label(const std::string& label) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    // Counts UTF-8 lead bytes only, so a cut never splits a character.
    if ((static_cast<unsigned char>(label[i]) & 0xC0) != 0x80 && ++chars > kLabelCharsMax) {
      return label.substr(0, i) + "…";
    }
  }
  return label;
}

std::string axes(const Chart& chart, const Scale& scale) {
  std::string out = "<g class=\"axes\" font-size=\"11\" fill=\"#4b5563\">";
  const double y_step = nice_step(scale.y_max, 5);
  for (double v = 0; v <= scale.y_max + y_step / 2; v += y_step) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"#e5e7eb\"/><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>",
        kLeft, scale.y(v), kLeft + kPlotWidth, scale.y(v), kLeft - 6, scale.y(v) + 4, v);
  }
  const double x_step = nice_step(scale.x_max - scale.x_min, 8);
  for (double v = std::ceil(scale.x_min / x_step) * x_step; v <= scale.x_max + x_step / 1e6;
       v += x_step) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#9ca3af\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:g} s</text>",
        scale.x(v), kTop + kPlotHeight, kTop + kPlotHeight + 5, kTop + kPlotHeight + 18, v);
  }
  out += fmt::format(
      "<text class=\"unit\" transform=\"translate(14 {:.1f}) rotate(-90)\" "
      "text-anchor=\"middle\">{}</text>",
      kTop + kPlotHeight / 2, escape_markup(chart.unit));
  out += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#6b7280\"/>",
      kLeft, kTop + kPlotHeight, kLeft + kPlotWidth);
  return out + "</g>";
}

std::string line_series(const ChartSeries& s, const std::vector<double>& values,
                        const std::vector<double>& x, const Scale& scale) {
  std::string out;
  std::string points;
  std::size_t count = 0;
  const auto flush = [&] {
    if (count > 0) {
      out += fmt::format(
          "<polyline class=\"series\" data-series=\"{}\" fill=\"none\" stroke=\"{}\" "
          "stroke-width=\"{}\" points=\"{}\"/>",
          escape_attribute(s.name), escape_attribute(s.color), count > 1 ? 1.8 : 4.0, points);
    }
    points.clear();
    count = 0;
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      flush();
      continue;
    }
    points += fmt::format("{}{:.1f},{:.1f}", count ? " " : "", scale.x(x[i]), scale.y(values[i]));
    // A lone point still shows: a polyline of one point draws nothing, so it gets a twin.
    if (++count == 1 && (i + 1 == values.size() || !std::isfinite(values[i + 1]))) {
      points += fmt::format(" {:.1f},{:.1f}", scale.x(x[i]) + 0.5, scale.y(values[i]));
    }
  }
  flush();
  return out;
}

std::string area_series(const ChartSeries& s, const std::vector<double>& tops,
                        const std::vector<double>& bottoms, const std::vector<double>& x,
                        const Scale& scale) {
  std::string d;
  for (std::size_t i = 0; i < x.size(); ++i) {
    d += fmt::format("{}{:.1f},{:.1f} ", i ? "L" : "M", scale.x(x[i]), scale.y(tops[i]));
  }
  for (std::size_t i = x.size(); i-- > 0;) {
    d += fmt::format("L{:.1f},{:.1f} ", scale.x(x[i]), scale.y(bottoms[i]));
  }
  return fmt::format(
      "<path class=\"series area\" data-series=\"{}\" fill=\"{}\" fill-opacity=\"0.85\" "
      "stroke=\"none\" d=\"{}Z\"/>",
      escape_attribute(s.name), escape_attribute(s.color), d);
}

std::string data(const Chart& chart, const std::vector<std::vector<double>>& values,
                 const Scale& scale) {
  std::string out = "<g class=\"data\">";
  std::vector<double> bottoms(chart.x.size(), 0.0);
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    if (!chart.stacked) {
      out += line_series(chart.series[k], values[k], chart.x, scale);
    } else if (!chart.x.empty()) {
      out += area_series(chart.series[k], values[k], bottoms, chart.x, scale);
      bottoms = values[k];
    }
  }
  return out + "</g>";
}

std::string markers(const Chart& chart, const Scale& scale) {
  std::string out = "<g class=\"markers\" font-size=\"11\">";
  for (std::size_t i = 0; i < chart.markers.size(); ++i) {
    const ChartMarker& m = chart.markers[i];
    const double x = scale.x(m.x);
    // Labels take turns over three rows, so neighbouring markers do not print over each other.
    const double label_y = kTop + 12 + static_cast<double>(i % 3) * 13;
    const bool right_half = x > kLeft + kPlotWidth * 0.7;
    out += fmt::format(
        "<line class=\"marker\" data-kind=\"{0}\" data-t=\"{1:.3f}\" data-label=\"{2}\" "
        "x1=\"{3:.1f}\" y1=\"{4:.1f}\" x2=\"{3:.1f}\" y2=\"{5:.1f}\" stroke=\"{6}\" "
        "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>{7}</title></line>"
        "<text class=\"marker-label\" data-kind=\"{0}\" x=\"{8:.1f}\" y=\"{9:.1f}\" "
        "text-anchor=\"{10}\" fill=\"{6}\">{11}</text>",
        escape_attribute(m.kind), m.x, escape_attribute(m.label), x, kTop, kTop + kPlotHeight,
        escape_attribute(m.color), escape_markup(m.kind + ": " + m.label),
        right_half ? x - 4 : x + 4, label_y, right_half ? "end" : "start",
        escape_markup(cut_label(m.label)));
  }
  return out + "</g>";
}

std::string legend(const Chart& chart) {
  std::string out = "<g class=\"legend\" font-size=\"12\">";
  double x = kWidth - kRight - 96.0 * static_cast<double>(chart.series.size());
  for (const auto& s : chart.series) {
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"10\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"20\">{}</text>",
        x, escape_attribute(s.color), x + 17, escape_markup(s.name));
    x += 96;
  }
  return out + "</g>";
}

}  // namespace

double nice_step(double span, int count) {
  if (!(span > 0) || count < 1) return 1;
  const double rough = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * power >= rough) return m * power;
  }
  return 10 * power;
}

std::string render_svg_chart(const Chart& chart) {
  const auto values = plotted_values(chart);
  const Scale scale = make_scale(chart, values);
  std::string out = fmt::format(
      "<svg class=\"chart\" data-chart=\"{0}\" viewBox=\"0 0 {1} {2}\" width=\"100%\" role=\"img\" "
      "font-family=\"system-ui, "
      "sans-serif\"><title>{3} ({4})</title>"
      "<text class=\"chart-title\" x=\"{5}\" y=\"20\" font-size=\"14\" font-weight=\"600\" "
      "fill=\"#111827\">{3} <tspan fill=\"#6b7280\" font-weight=\"400\">({4})</tspan></text>",
      escape_attribute(chart.id), kWidth, kHeight, escape_markup(chart.title),
      escape_markup(chart.unit), kLeft);
  out += axes(chart, scale);
  out += data(chart, values, scale);
  out += markers(chart, scale);
  out += legend(chart);
  return out + "</svg>";
}

}  // namespace mepsim::report
