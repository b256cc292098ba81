#pragma once
// The loads a scenario starts and stops by name (`load: {start: {name: mix, …}}`), on the
// load generator of harness/load, aimed at an app's router. Their reports feed `expect:
// {load: …}`, the run report's series and its charts.

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/run_report.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace mepsim::load {
class LoadGenerator;
}

namespace mepsim::runner {

class LoadSet {
 public:
  // A scenario runs at most this many loads at once: each holds connections and threads.
  static constexpr std::size_t kLoadsMax = 8;

  explicit LoadSet(RunContext& ctx);
  ~LoadSet();
  LoadSet(const LoadSet&) = delete;
  LoadSet& operator=(const LoadSet&) = delete;

  StepOutcome start(const scenario::LoadStart& start);
  StepOutcome stop(const std::string& name);
  void stop_all();

  // Whether a load still running aims at `app`.
  bool runs_on(const std::string& app) const;
  // A restart of `app` while loads run on it: their phases bracket it and each records
  // the toggle with its time-to-effect (load::ToggleObserver). `restart` must return once
  // the platform has replaced the containers (`restart -s`).
  StepOutcome around_restart(const std::string& app, const std::function<StepOutcome()>& restart);

  // A fault step while loads run: each `fault.injected` it publishes opens a phase
  // `fault-N` on the running loads; a `fault.healed` that leaves none open starts
  // `heal-N`. A kill has no heal step: the faults left open close at convergence.
  StepOutcome around_fault(const std::function<StepOutcome()>& fault);
  // A `converged:` wait held: the faults are over, the loads count in `converged-N`.
  void mark_converged();
  // Faults injected so far in the run, loads or not.
  int faults_injected() const { return faults_injected_; }

  // The writes load `name` had accepted so far that MySQL lacks (ctx.lost_writes_now).
  Result<std::int64_t> lost_writes_now(const std::string& name);

  std::optional<nlohmann::json> report_json(const std::string& name) const;
  std::vector<report::LoadSummary> summaries() const;
  // The first load's per-second series, on the scenario's data-plane axis.
  std::vector<report::SecondSample> series() const;

 private:
  struct Running {
    std::unique_ptr<load::LoadGenerator> generator;
    double started_t_s = 0;                      // since the set was made
    std::optional<nlohmann::json> final_report;  // once stopped, lost writes checked
  };
  RunContext& ctx_;
  Instant origin_;
  std::vector<std::pair<std::string, Running>> loads_;  // in start order
  void mark_phase(const std::string& phase);

  int toggles_ = 0;
  int faults_injected_ = 0;
  int faults_open_ = 0;
  int heals_ = 0;
};

// Over a scenario's load reports: the requests counted in `fault-N` phases, that is sent
// while a fault was active.
std::int64_t requests_during_faults(const std::vector<report::LoadSummary>& loads);

// The app a `scalingo … restart -s` line restarts and waits for; none for other lines.
std::optional<std::string> synchronous_restart_of(const std::vector<std::string>& args);

StepOutcome run_load_step(const scenario::LoadStep& step, RunContext& ctx, LoadSet& loads);

}  // namespace mepsim::runner
