#pragma once
// Runs one scenario on a topology of its own (fresh servers, fresh folders: nothing leaks
// from one scenario to the next), step by step on the virtual clock, then judges the run
// with the procedure's rules. Steps stop at the first failure; the rules still run.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "harness/report/run_report.h"
#include "harness/scenario/scenario.h"
#include "sim/core/clock.h"

namespace mepsim::runner {

// What a terminal or a log shows while a scenario runs.
struct StepProgress {
  const scenario::Scenario* scenario = nullptr;
  std::size_t index = 0;  // 0-based
  std::size_t count = 0;
  const report::StepResult* result = nullptr;  // null when the step starts
};

struct RunnerOptions {
  std::optional<std::uint64_t> seed;  // --seed: wins over the scenario's own
  std::uint64_t run_seed = 0;         // a scenario without a seed derives its own from it
  // 0: waits take no real time. X > 0: the virtual clock runs X times faster than real
  // time during waits (the data plane — a load — then has real time to run).
  double time_scale = 0;
  std::filesystem::path mepsim_binary;    // for scalingo steps
  std::optional<std::string> web_binary;  // default: mepsim-web next to mepsim
  std::optional<std::string> mysql_url;   // attach instead of starting a server
  std::optional<std::string> redis_url;
  std::function<void(const StepProgress&)> on_progress;
};

// The seed a scenario runs with: --seed, else its header's, else drawn from the run's seed
// and its name (so that filtering or sharding a library never changes a scenario's seed).
std::uint64_t scenario_seed(const scenario::Scenario& scenario, const RunnerOptions& options);

report::ScenarioReport run_scenario(const scenario::Scenario& scenario,
                                    const RunnerOptions& options, Clock& real_clock);

}  // namespace mepsim::runner
