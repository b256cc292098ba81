#pragma once
// `mepsim load --preset maintenance-toggle`: the maintenance-toggle load test against a
// running `mepsim up`. While the mixed load runs on the app, each cycle sets the banner,
// then maintenance, then lifts both, each by its variables through the Scalingo API and a
// restart, as the procedure does; every toggle is bracketed by a ToggleObserver (phase,
// time to effect), with `hold` of load between toggles.

#include <functional>
#include <string>

#include "harness/load/load_generator.h"
#include "harness/scalingo_cli/api_client.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::load_cli {

struct TogglePreset {
  std::string app = "histologe";
  int cycles = 2;  // banner, maintenance, live: three toggles each
  Duration hold = std::chrono::seconds(10);
  std::uint16_t router_port = 0;
};

// Runs the cycles; stops early (without error) when `stop_requested` says so. An error
// when the API refuses a change: the toggles made so far stay in the load's report.
Result<void> run_toggle_preset(const TogglePreset& preset, load::LoadGenerator& load,
                               scalingo_cli::ApiClient& api, Clock& clock,
                               const std::function<bool()>& stop_requested);

}  // namespace mepsim::load_cli
