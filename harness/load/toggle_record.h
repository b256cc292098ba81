#pragma once
// What a maintenance toggle did to a running load: the restart that applied it, when it
// took effect everywhere, and — read from the load's own counts — the errors while it
// went on and how the cache came back. Kept by the generator, reported with its run.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/load/load_series.h"

namespace mepsim::load {

struct ToggleRecord {
  std::string mode;                // what the app serves after it: live, banner, maintenance
  std::string phase;               // the load's phase while it went on ("toggle-1-maintenance")
  double restart_at_s = 0;         // the restart call, since the load's start
  std::optional<double> effect_s;  // from the restart call to every container serving `mode`
  std::string error;               // why no effect was seen, or why the restart failed
};

// The cache hit ratio over the seconds before the restart call, and how long after the
// effect it took to be back to 90% of it. Absent when the load saw no cache answers
// before, or never recovered within the series.
struct CacheRecovery {
  std::optional<double> ratio_before;
  std::optional<double> recovery_s;
};
CacheRecovery cache_recovery(const std::vector<SecondSummary>& series, const ToggleRecord& toggle);

}  // namespace mepsim::load
