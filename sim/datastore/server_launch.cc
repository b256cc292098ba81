#include "sim/datastore/server_launch.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "sim/net/free_port.h"

namespace mepsim {
namespace {

constexpr std::size_t kLogTailLines = 15;

bool log_mentions(const std::filesystem::path& log, const std::string& marker) {
  if (marker.empty()) return false;
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return text.str().find(marker) != std::string::npos;
}

enum class Outcome { ready, port_taken };

Result<Outcome> wait_ready(const LaunchPlan& plan, ChildProcess& process, std::uint16_t port,
                           const SpawnSpec& spec, Clock& clock) {
  const Instant deadline = clock.now() + plan.ready_timeout;
  Error last_probe{ErrorCode::unavailable, "not probed yet"};
  for (;;) {
    if (auto exit = process.poll_exit()) {
      if (log_mentions(spec.log_path, plan.port_in_use_marker)) return Outcome::port_taken;
      return make_error(ErrorCode::unavailable,
                        fmt::format("{} exited with code {} before accepting connections; "
                                    "last lines of {}:\n{}",
                                    plan.display_name, exit->code, spec.log_path.string(),
                                    tail_of_file(spec.log_path, kLogTailLines)));
    }
    auto probe = plan.probe(port);
    if (probe) return Outcome::ready;
    last_probe = probe.error();
    if (clock.now() >= deadline) {
      process.stop(std::chrono::seconds(5));
      return make_error(
          ErrorCode::timeout,
          fmt::format("{} did not accept connections on 127.0.0.1:{} within {}; last probe: {}; "
                      "last lines of {}:\n{}",
                      plan.display_name, port,
                      std::chrono::duration_cast<std::chrono::seconds>(plan.ready_timeout),
                      last_probe.message, spec.log_path.string(),
                      tail_of_file(spec.log_path, kLogTailLines)));
    }
    clock.sleep(plan.probe_interval);
  }
}

struct Attempt {
  std::optional<ChildProcess> process;  // empty: the port was taken
};

Result<Attempt> attempt_on(const LaunchPlan& plan, std::uint16_t port, Clock& clock) {
  const SpawnSpec spec = plan.spec_for_port(port);
  std::error_code ignored;
  std::filesystem::remove(spec.log_path, ignored);  // the marker must be this attempt's
  auto process = ChildProcess::spawn(spec);
  if (!process) return process.error().context(plan.display_name);
  auto outcome = wait_ready(plan, process.value(), port, spec, clock);
  if (!outcome) return outcome.error();
  if (outcome.value() == Outcome::port_taken) return Attempt{};
  return Attempt{std::move(process.value())};
}

}  // namespace

Result<LaunchedServer> launch_on_free_port(const LaunchPlan& plan, Clock& clock) {
  for (int attempt = 1; attempt <= plan.port_attempts_max; ++attempt) {
    auto port = free_loopback_port();
    if (!port) return port.error().context(plan.display_name);
    auto launched = attempt_on(plan, port.value(), clock);
    if (!launched) return launched.error();
    if (launched->process) return LaunchedServer{std::move(*launched->process), port.value()};
  }
  return make_error(ErrorCode::unavailable,
                    fmt::format("{}: every port tried was taken ({} attempts)", plan.display_name,
                                plan.port_attempts_max));
}

Result<ChildProcess> launch_on_port(const LaunchPlan& plan, std::uint16_t port, Clock& clock) {
  auto launched = attempt_on(plan, port, clock);
  if (!launched) return launched.error();
  if (!launched->process) {
    return make_error(ErrorCode::unavailable, fmt::format("{}: port {} is taken by another process",
                                                          plan.display_name, port));
  }
  return std::move(*launched->process);
}

}  // namespace mepsim
