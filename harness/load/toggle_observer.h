#pragma once
// Brackets a restart that changes what the app serves (banner, maintenance) while a load
// runs on it: the load's phase becomes "toggle-N-<mode>" from the restart call until every
// container serves the new mode, then "after-toggle-N"; the load learns when maintenance is
// expected (non-admins sent to /logout then are not losses); the toggle is recorded with
// its time-to-effect. Used by the scenario runner and `mepsim load --preset`.
//
//   ToggleObserver toggle(load, clock, ServedMode::maintenance, 1);
//   auto restarted = restart();            // variables set, then restart
//   toggle.finish(probe_options, restarted);

#include <string>

#include "harness/load/load_generator.h"
#include "harness/load/mode_probe.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::load {

class ToggleObserver {
 public:
  // Marks the phase; the load is told a switch is under way (entering maintenance, some
  // containers serve it as soon as they are replaced; leaving it, some still do).
  ToggleObserver(LoadGenerator& load, Clock& clock, ServedMode mode, int index);
  // Waits for the effect (unless the restart failed), records the toggle, marks the
  // after-phase, and tells the load the mode is in effect everywhere.
  ToggleRecord finish(const ModeProbeOptions& probe, const Result<void>& restarted);

 private:
  LoadGenerator& load_;
  Clock& clock_;
  ServedMode mode_;
  int index_;
  Instant restart_at_;
  std::string phase_;
};

}  // namespace mepsim::load
