#include "harness/cli/up_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <cstring>

#include "harness/cli/exit_code.h"
#include "harness/cli/shutdown_signal.h"
#include "sim/core/event_log.h"

namespace mepsim {
namespace {

template <typename... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  // Flushed line by line: scripts wait for "mepsim: ready" on a pipe.
  fmt::print("mepsim: {}\n", fmt::format(format, std::forward<Args>(args)...));
  std::fflush(stdout);
}

}  // namespace

CLI::App* add_up_command(CLI::App& app, UpOptions& options) {
  auto* up = app.add_subcommand(
      "up",
      "Stand up the local topology (MariaDB, Redis, the apps behind their routers…), "
      "write the env file, print "
      "'mepsim: ready' and run until SIGINT or SIGTERM");
  up->add_option("--env-file", options.env_file,
                 "Where to write the KEY=value env file, once everything is ready")
      ->capture_default_str();
  up->add_option("--mysql-url", options.topology.mysql_url,
                 "Use this MySQL/MariaDB (mysql://user:pass@host:port/db) instead of starting one");
  up->add_option("--redis-url", options.topology.redis_url,
                 "Use this Redis (redis://[:pass@]host:port/N) instead of starting one");
  up->add_option("--mariadbd", options.topology.mariadbd_program,
                 "MariaDB (or MySQL 8) server binary: a name on PATH or a path")
      ->capture_default_str();
  up->add_option("--redis-server", options.topology.redis_server_program,
                 "Redis server binary: a name on PATH or a path")
      ->capture_default_str();
  up->add_option("--seed", options.seed, "Seed of the run (default: a fresh one, printed)");
  up->add_option("--time-scale", options.topology.time_scale,
                 "Run the platform's clock this many times faster than real time (60: a "
                 "3-minute deployment takes 3 s)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  up->add_option("--profile", options.topology.profile_path,
                 "Platform profile YAML (default: the built-in scenarios/profiles/histologe.yaml)");
  up->add_option("--web-binary", options.topology.web_binary,
                 "The web container's program (default: mepsim-web next to mepsim)");
  return up;
}

int run_up(const UpOptions& options) {
  const std::uint64_t seed = options.seed.value_or(Rng::fresh_seed());
  say("seed {}", seed);
  RealClock clock;
  Rng rng(seed);
  EventLog log;

  auto topology = Topology::start(options.topology, clock, rng, log);
  if (!topology) {
    fmt::print(stderr, "mepsim: error: {}\n", topology.error().message);
    return exit_code_for(topology.error());
  }
  for (const auto& endpoint : topology.value()->endpoints()) {
    say("{:<6} {}  ({})", endpoint.name, endpoint.url_display, endpoint.origin);
  }
  if (auto written = write_env_file(options.env_file, topology.value()->env()); !written) {
    fmt::print(stderr, "mepsim: error: {}\n", written.error().message);
    return exit_code_for(written.error());
  }
  say("env file {}", options.env_file);
  say("ready");

  const int signal_number = wait_for_shutdown_signal();
  const char* signal_name = sigabbrev_np(signal_number);
  say("SIG{} received, stopping", signal_name != nullptr ? signal_name : "?");
  topology.value()->stop();
  std::error_code ignored;
  // The file names servers that are gone now: a stale one would mislead whoever sources it.
  std::filesystem::remove(options.env_file, ignored);
  say("stopped");
  say("fingerprint {}", log.fingerprint());
  return exit_code::ok;
}

}  // namespace mepsim
