#include "harness/cli/up_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <cstring>

#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/cli/shutdown_signal.h"
#include "harness/dashboard/live_dashboard.h"
#include "harness/rehearsal/rehearsal_monitor.h"
#include "harness/rehearsal/rehearsal_report.h"

#ifndef MEPSIM_VERSION
#define MEPSIM_VERSION "dev"
#endif

namespace mepsim {

using cli::say;
CLI::App* add_up_command(CLI::App& app, UpOptions& options) {
  auto* up = app.add_subcommand(
      "up",
      "Stand up the local topology (MariaDB, Redis, the apps behind their routers…), "
      "write the env file, print "
      "'mepsim: ready' and run until SIGINT or SIGTERM");
  add_up_flags(*up, options);
  return up;
}

void add_up_flags(CLI::App& up, UpOptions& options) {
  up.add_option("--env-file", options.env_file,
                "Where to write the KEY=value env file, once everything is ready")
      ->capture_default_str();
  up.add_option("--mysql-url", options.topology.mysql_url,
                "Use this MySQL/MariaDB (mysql://user:pass@host:port/db) instead of starting one");
  up.add_option("--redis-url", options.topology.redis_url,
                "Use this Redis (redis://[:pass@]host:port/N) instead of starting one");
  up.add_option("--mariadbd", options.topology.mariadbd_program,
                "MariaDB (or MySQL 8) server binary: a name on PATH or a path")
      ->capture_default_str();
  up.add_option("--redis-server", options.topology.redis_server_program,
                "Redis server binary: a name on PATH or a path")
      ->capture_default_str();
  up.add_option("--seed", options.seed, "Seed of the run (default: a fresh one, printed)");
  up.add_option("--time-scale", options.topology.time_scale,
                "Run the platform's clock this many times faster than real time (60: a "
                "3-minute deployment takes 3 s)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  up.add_option("--profile", options.topology.profile_path,
                "Platform profile YAML (default: the built-in scenarios/profiles/histologe.yaml)");
  up.add_option("--web-binary", options.topology.web_binary,
                "The web container's program (default: mepsim-web next to mepsim)");
  up.add_flag("--network-faults", options.topology.network_faults,
              "Put a fault proxy (pass-through until told otherwise) on each link from the web "
              "containers to MySQL, Redis and the third parties' fakes");
}

UpSession::UpSession(const UpOptions& options, std::uint64_t seed)
    : options_(options), rng_(seed) {}

Result<std::unique_ptr<UpSession>> UpSession::start(const UpOptions& options) {
  const std::uint64_t seed = options.seed.value_or(Rng::fresh_seed());
  say("seed {}", seed);
  std::unique_ptr<UpSession> session(new UpSession(options, seed));
  auto topology = Topology::start(options.topology, session->clock_, session->rng_, session->log_);
  if (!topology) return topology.error();
  session->topology_ = std::move(topology.value());
  for (const auto& endpoint : session->topology_->endpoints()) {
    say("{:<6} {}  ({})", endpoint.name, endpoint.url_display, endpoint.origin);
  }
  RehearsalMonitorOptions monitor;
  monitor.seed = seed;
  monitor.tool_version = MEPSIM_VERSION;
  monitor.time_scale = options.topology.time_scale;
  session->monitor_ =
      std::make_unique<RehearsalMonitor>(*session->topology_, session->log_, session->clock_,
                                         monitor, [](const std::string& line) { say("{}", line); });
  session->monitor_->start();
  dashboard::LiveDashboardOptions live;
  live.seed = seed;
  live.tool_version = MEPSIM_VERSION;
  live.time_scale = options.topology.time_scale;
  live.branches = {monitor.rules.production_branch, monitor.rules.staging_branch};
  session->dashboard_ = std::make_unique<dashboard::LiveDashboard>(
      *session->topology_, session->log_, session->clock_, *session->monitor_,
      secrets_of(session->topology_->env()), live);
  if (auto started = session->dashboard_->start(); !started) return started.error();
  say("{:<6} {}  ({})", "dashboard", session->dashboard_->url(),
      "the live page of the topology, the timeline and the procedure's violations");
  if (auto written = write_env_file(options.env_file, session->env()); !written) {
    return written.error();
  }
  session->env_written_ = true;
  say("env file {}", options.env_file);
  say("ready");
  return session;
}

UpSession::~UpSession() {
  stop();
}

EnvEntries UpSession::env() const {
  auto entries = topology_ ? topology_->env() : EnvEntries{};
  if (dashboard_) entries.emplace_back("MEPSIM_DASHBOARD_URL", dashboard_->url());
  return entries;
}

void UpSession::stop() {
  if (stopped_ || !topology_) return;
  stopped_ = true;
  if (dashboard_) dashboard_->stop();
  if (monitor_) monitor_->stop();
  topology_->stop();
  std::error_code ignored;
  // The file names servers that are gone now: a stale one would mislead whoever sources it.
  if (env_written_) std::filesystem::remove(options_.env_file, ignored);
  say("stopped");
  say("fingerprint {}", log_.fingerprint());
}

int run_up(const UpOptions& options) {
  auto session = UpSession::start(options);
  if (!session) {
    fmt::print(stderr, "mepsim: error: {}\n", session.error().message);
    return exit_code_for(session.error());
  }
  const int signal_number = wait_for_shutdown_signal();
  const char* signal_name = sigabbrev_np(signal_number);
  say("SIG{} received, stopping", signal_name != nullptr ? signal_name : "?");
  session.value()->stop();
  return exit_code::ok;
}

}  // namespace mepsim
