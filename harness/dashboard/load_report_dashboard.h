#pragma once
// The dashboard of a finished load (`mepsim load --json F`, then `mepsim report open F`):
// the page's load charts drawn from the report's per-second series, as a running load's
// posted seconds are drawn live, with its maintenance toggles marked. {"mode": "report",
// "header", "state": null, "scenarios": [{"name", "description", "timeline": [],
// "violations": [], "charts": [], "note", "markers", "loads": [{"name", "seconds"}],
// "measurements"}]}. The axis is the load's own: seconds since its start.

#include <string>
#include <string_view>
#include <vector>

#include "harness/dashboard/live_loads.h"
#include "sim/core/result.h"

namespace mepsim::dashboard {

// A load report tells itself by its run histogram (as `mepsim report merge` does).
bool is_load_report(const nlohmann::json& document);

// The report's series as points (t_s: the second), strictly read: invalid_input naming
// the field ("series[3].p99_ms: …"). Each second's phase is the last begun by its end.
Result<std::vector<LoadPoint>> load_report_points(const nlohmann::json& load_report);

Result<std::string> load_report_snapshot_json(const nlohmann::json& load_report);

}  // namespace mepsim::dashboard
