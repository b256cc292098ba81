#include "harness/report/report_timeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>

#include "harness/report/instant_text.h"
#include "harness/report/markup_escape.h"

namespace mepsim::report {
namespace {

std::string join_words(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const auto word : words) {
    if (word.empty()) continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

// The names and commands in a platform event's type_data ({"new_vars":["A"],…}), joined.
std::string type_data_text(const std::string& text) {
  const auto data = nlohmann::json::parse(text, nullptr, false);
  if (!data.is_object()) return text;
  std::vector<std::string> parts;
  for (const auto& [key, value] : data.items()) {
    if (value.is_string()) parts.push_back(value.get<std::string>());
    if (!value.is_array()) continue;
    for (const auto& item : value) {
      if (item.is_string()) parts.push_back(item.get<std::string>());
    }
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string fields_text(const Event& e) {
  std::vector<std::string> parts;
  for (const auto& f : e.fields) parts.push_back(f.key + "=" + f.value);
  return fmt::format("{}", fmt::join(parts, " "));
}

// A platform "event.<type>" (the app's Scalingo events): variables, restarts, review apps…
std::optional<TimelineEntry> app_event_entry(const Event& e, std::string_view type) {
  const std::string& app = e.field("app");
  const std::string& data = e.field("type_data");
  if (type == "deployment") return std::nullopt;  // "deployment.status" tells more
  std::string kind = "event";
  if (type.find("variable") != std::string_view::npos) {
    kind = data.find("MAINTENANCE_BANNER") != std::string::npos   ? "banner"
           : data.find("MAINTENANCE_ENABLE") != std::string::npos ? "maintenance"
                                                                  : "variables";
  } else if (type == "restart") {
    kind = "restart";
  } else if (type.find("review_app") != std::string_view::npos) {
    kind = "review-app";
  } else if (type == "run") {
    kind = "run";
  }
  return TimelineEntry{e.at, kind, join_words({app, type, type_data_text(data)}), "", 0};
}

std::optional<TimelineEntry> platform_entry(const Event& e) {
  const std::string& n = e.name;
  const std::string& app = e.field("app");
  if (n.starts_with("deployment.")) {
    const std::string& version = e.field("version");
    return TimelineEntry{e.at, "deployment",
                         join_words({app, version.empty() ? e.field("git_ref") : version,
                                     e.field("status"), e.field("error")}),
                         "", 0};
  }
  if (n.starts_with("operation.")) {
    const std::string& type = e.field("type");
    return TimelineEntry{e.at, type == "restart" ? "restart" : "operation",
                         join_words({app, type, e.field("status"), e.field("error")}), "", 0};
  }
  if (n.starts_with("event.")) return app_event_entry(e, std::string_view(n).substr(6));
  return std::nullopt;
}

std::string svg_strip(const std::vector<TimelineEntry>& entries, std::size_t shown) {
  if (shown == 0) return "";
  constexpr double kWidth = 960, kLeft = 16, kRight = 16;
  const auto first = entries.front().at, last = entries[shown - 1].at;
  const double span_s = std::max(1e-9, std::chrono::duration<double>(last - first).count());
  std::string out = fmt::format(
      "<svg class=\"timeline-strip\" viewBox=\"0 0 {} 28\" width=\"100%\" role=\"img\">"
      "<line x1=\"{}\" y1=\"14\" x2=\"{}\" y2=\"14\" stroke=\"#d1d5db\" stroke-width=\"2\"/>",
      kWidth, kLeft, kWidth - kRight);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& e = entries[i];
    const double t_s = std::chrono::duration<double>(e.at - first).count();
    out += fmt::format(
        "<circle class=\"timeline-point\" data-kind=\"{}\" cx=\"{:.1f}\" cy=\"14\" r=\"5\" "
        "fill=\"{}\" fill-opacity=\"0.8\"><title>{} {}: {}</title></circle>",
        escape_attribute(e.kind), kLeft + t_s / span_s * (kWidth - kLeft - kRight),
        kind_color(e.kind), format_time_of_day(e.at), escape_markup(e.kind),
        escape_markup(e.label));
  }
  return out + "</svg>";
}

}  // namespace

std::optional<TimelineEntry> timeline_entry(const Event& e) {
  std::optional<TimelineEntry> entry;
  if (e.component == "chaos" || e.component == "faults" ||
      e.name.find("fault") != std::string::npos) {
    entry = TimelineEntry{e.at, "fault", join_words({e.name, fields_text(e)}), "", 0};
  } else if (e.component == "platform") {
    entry = platform_entry(e);
  }
  if (entry) {
    entry->source = e.component + "/" + e.name;
    entry->seq = e.seq;
  }
  return entry;
}

std::vector<TimelineEntry> timeline_entries(const ScenarioReport& s) {
  std::vector<TimelineEntry> entries;
  for (const auto& m : s.markers) entries.push_back({m.at, m.kind, m.label, "marker", 0});
  for (const auto& e : s.timeline) {
    if (auto entry = timeline_entry(e)) entries.push_back(std::move(*entry));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
  return entries;
}

std::string_view kind_color(std::string_view kind) {
  static constexpr std::pair<std::string_view, std::string_view> kColors[] = {
      {"deployment", "#2563eb"},  {"restart", "#7c3aed"}, {"variables", "#0891b2"},
      {"maintenance", "#dc2626"}, {"banner", "#d97706"},  {"fault", "#be123c"},
      {"operation", "#4b5563"},   {"run", "#0f766e"},     {"review-app", "#059669"}};
  for (const auto& [name, color] : kColors) {
    if (name == kind) return color;
  }
  return "#6b7280";
}

std::string timeline_html(const std::vector<TimelineEntry>& entries, const std::string& id) {
  if (entries.empty()) {
    return fmt::format("<p class=\"empty\" id=\"{}\">Nothing to show.</p>", escape_attribute(id));
  }
  const std::size_t shown = std::min(entries.size(), kTimelineShownMax);
  std::string out = svg_strip(entries, shown);
  out += fmt::format("<ol class=\"timeline\" id=\"{}\">", escape_attribute(id));
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& e = entries[i];
    const std::string at = format_instant(e.at);
    out += fmt::format(
        "<li class=\"timeline-entry\" data-kind=\"{0}\" data-at=\"{1}\" data-source=\"{2}\" "
        "data-seq=\"{3}\"><time datetime=\"{1}\">{4}</time> <span class=\"kind\" "
        "style=\"background:{5}\">{6}</span> <span class=\"label\">{7}</span></li>",
        escape_attribute(e.kind), at, escape_attribute(e.source), e.seq, format_time_of_day(e.at),
        kind_color(e.kind), escape_markup(e.kind), escape_markup(e.label));
  }
  out += "</ol>";
  if (shown < entries.size()) {
    out += fmt::format("<p class=\"more\">{} more entries not shown.</p>", entries.size() - shown);
  }
  return out;
}

}  // namespace mepsim::report
