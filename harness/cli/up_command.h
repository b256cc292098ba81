#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "harness/env/env_file.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim {

class RehearsalMonitor;
namespace dashboard {
class LiveDashboard;
}  // namespace dashboard

struct UpOptions {
  TopologyOptions topology;
  std::string env_file = ".mepsim/env";
  std::optional<std::uint64_t> seed;
};

// Registers `mepsim up` and its flags on `app`, filling `options` when parsed.
CLI::App* add_up_command(CLI::App& app, UpOptions& options);
// up's flags (--env-file, --seed, --time-scale, the datastores, --profile, --web-binary)
// on another command that stands a topology up the same way (`mepsim shell`).
void add_up_flags(CLI::App& command, UpOptions& options);
// Runs until SIGINT/SIGTERM; returns the process exit code.
int run_up(const UpOptions& options);

// A topology stood up as `mepsim up` does it, saying each stage on stdout ("mepsim: …"):
// the seed first, the endpoints, the live dashboard's URL, the env file, "ready"; then the
// rehearsal monitor announces the procedure's violations as they happen; at stop, the
// fingerprint last.
class UpSession {
 public:
  // Errors are for exit_code_for (what the topology could not start, or the env file).
  static Result<std::unique_ptr<UpSession>> start(const UpOptions& options);
  ~UpSession();  // stops
  UpSession(const UpSession&) = delete;
  UpSession& operator=(const UpSession&) = delete;

  Topology& topology() { return *topology_; }
  RehearsalMonitor& monitor() { return *monitor_; }
  // The topology's entries and MEPSIM_DASHBOARD_URL.
  EnvEntries env() const;
  // The dashboard, the monitor, then the topology; removes the env file, prints the
  // fingerprint. Idempotent.
  void stop();

 private:
  UpSession(const UpOptions& options, std::uint64_t seed);

  UpOptions options_;
  RealClock clock_;
  Rng rng_;
  EventLog log_;
  std::unique_ptr<Topology> topology_;
  std::unique_ptr<RehearsalMonitor> monitor_;
  std::unique_ptr<dashboard::LiveDashboard> dashboard_;
  bool env_written_ = false;
  bool stopped_ = false;
};

}  // namespace mepsim
