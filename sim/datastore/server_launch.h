#pragma once
// What every launched server shares: pick a free loopback port, start the process, wait
// (bounded) until it answers, and start over on another port when someone else took
// that one between the pick and the bind.

#include <cstdint>
#include <functional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/process/child_process.h"

namespace mepsim {

struct LaunchPlan {
  std::string display_name;  // "MariaDB (/usr/sbin/mariadbd)": errors start with it
  std::function<SpawnSpec(std::uint16_t port)> spec_for_port;
  // Ok once the server on `port` serves requests; tried again while it fails.
  std::function<Result<void>(std::uint16_t port)> probe;
  // The log line a server writes when its port is taken.
  std::string port_in_use_marker;
  Duration ready_timeout = std::chrono::seconds(30);
  Duration probe_interval = std::chrono::milliseconds(20);
  int port_attempts_max = 3;
};

struct LaunchedServer {
  ChildProcess process;
  std::uint16_t port;
};

// `clock` must run in real time: the wait is for a real process.
Result<LaunchedServer> launch_on_free_port(const LaunchPlan& plan, Clock& clock);

// The same on a port given (a server started again where its clients already point): one
// attempt; the port taken meanwhile is an `unavailable` error naming it.
Result<ChildProcess> launch_on_port(const LaunchPlan& plan, std::uint16_t port, Clock& clock);

}  // namespace mepsim
