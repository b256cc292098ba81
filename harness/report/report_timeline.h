#pragma once
// What a scenario's timeline shows: its markers (the runner's own marks) and the events of
// kinds a reader of a release cares about (deployments, restarts, variable changes,
// maintenance and banner toggles, faults), in time order.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/report/run_report.h"

namespace mepsim::report {

struct TimelineEntry {
  Instant at{};
  // "deployment", "restart", "variables", "maintenance", "banner", "fault", "operation",
  // "run", "review-app", "event".
  std::string kind;
  std::string label;      // "histologe 1.7.4 success"
  std::string source;     // "marker", or the event's "component/name"
  std::uint64_t seq = 0;  // the event's; 0 for a marker
};

// The entry an event makes, or nothing for an event the timeline leaves out.
std::optional<TimelineEntry> timeline_entry(const Event& event);

// Markers and recognised events, by time (markers first at the same instant).
std::vector<TimelineEntry> timeline_entries(const ScenarioReport& scenario);

// The colour of a kind, the same on the timeline and on the charts' markers.
std::string_view kind_color(std::string_view kind);

// The timeline as an SVG strip and an ordered list, for the HTML page; `id` is the list's.
// At most kTimelineShownMax entries are listed; the rest are counted.
constexpr std::size_t kTimelineShownMax = 2'000;
std::string timeline_html(const std::vector<TimelineEntry>& entries, const std::string& id);

}  // namespace mepsim::report
