#pragma once
// What a scenario's steps act on and its expectations look at: the topology of this run, its
// event log, the working clone of the origin, the users' cookie jars, the loads running.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/env/env_file.h"
#include "harness/rules/procedure_rules.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim::runner {

class UserAgents;

// How a step or an expectation ended. `message` says what failed, in the scenario's words
// ("histologe's latest deployment is hook-error, expected success"), or what a passing
// step measured ("20 of 20 sessions logged in").
struct StepOutcome {
  bool passed = true;
  std::string message;
  static StepOutcome pass(std::string message = {}) { return {true, std::move(message)}; }
  static StepOutcome fail(std::string message) { return {false, std::move(message)}; }
};

struct RunContext {
  Topology& topology;
  EventLog& log;
  Clock& real_clock;                    // the data plane's time
  std::filesystem::path clone_dir;      // a working clone of the origin
  EnvEntries env;                       // what `mepsim up` would write to its env file
  std::filesystem::path mepsim_binary;  // runs `mepsim scalingo …` for scalingo steps
  std::uint64_t seed = 0;               // the scenario's: loads draw their users from it
  UserAgents* users = nullptr;          // cookie jars and cohorts of this run
  rules::RuleOptions rule_options;      // final=false while the run goes on
  // A load's JSON report (harness/load's to_json) by its step name; null when unknown.
  std::function<std::optional<nlohmann::json>(const std::string& name)> load_report;
  // The writes a running load had accepted so far and MySQL does not hold (a convergence
  // check); an error when the load is unknown or MySQL cannot be asked.
  std::function<Result<std::int64_t>(const std::string& name)> lost_writes_now;
  // Lets the platform and the fakes finish what the last action started: webhooks
  // delivered, the tasks due now run. Steps call it after acting.
  std::function<void()> settle;

  // The env entry `key`, or "" when absent.
  std::string env_value(const std::string& key) const;
  // "http://127.0.0.1:PORT" of the app's router, or "" when it has none.
  std::string app_url(const std::string& app) const;
  VirtualClock& clock() { return topology.platform_clock(); }
};

}  // namespace mepsim::runner
