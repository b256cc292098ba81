#pragma once
// The dashboard of a finished run: the snapshot the page is given for a run's JSON report
// (`mepsim run --json`, `mepsim rehearsal report`), so that CI's artefacts read the way a
// live rehearsal does. {"mode": "report", "header", "state": null, "scenarios": [{"name",
// "file", "description", "passed", "failure", "steps", "timeline", "violations" (those
// missing too), "charts", "note", "measurements"}]}. The charts are the HTML report's.

#include <cstddef>
#include <string>

#include "harness/dashboard/dashboard_server.h"
#include "harness/report/run_report.h"

namespace mepsim::dashboard {

// A scenario's timeline shown on the page: its last events, the rest counted in the note.
inline constexpr std::size_t kReportTimelineShownMax = 2'000;

std::string report_snapshot_json(const report::RunReport& report);

// A snapshot made once: what `mepsim report open` serves.
class FixedSnapshot final : public SnapshotSource {
 public:
  explicit FixedSnapshot(std::string json) : json_(std::move(json)) {}
  std::string snapshot_json() const override { return json_; }

 private:
  const std::string json_;
};

}  // namespace mepsim::dashboard
