#pragma once
// Stops containers once their router has drained them, on a thread of its own: the
// platform asks for a stop under its lock, and must neither wait for the requests still
// in flight there nor for the process's SIGTERM grace.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "sim/core/clock.h"
#include "sim/platform/container_runtime.h"

namespace mepsim {

class ContainerStopper {
 public:
  // `runtime` stops the processes; `clock` (real time) bounds each drain to `drain_max`.
  ContainerStopper(platform::ContainerRuntime& runtime, Clock& clock, Duration drain_max);
  ~ContainerStopper();
  ContainerStopper(const ContainerStopper&) = delete;
  ContainerStopper& operator=(const ContainerStopper&) = delete;

  // Stops `handle` once the returned callback has run (the router's on_drained) or
  // `drain_max` has passed, whichever comes first. The callback may outlive the stopper.
  std::function<void()> stop_when_drained(const std::string& handle);
  // Stops `handle` as soon as the thread gets to it: nothing to drain.
  void stop_soon(const std::string& handle);
  // Stops what is pending (each still waits for its drain, bounded) and ends the thread.
  void finish();
  std::size_t pending() const;

 private:
  struct Shared;
  void loop();

  platform::ContainerRuntime& runtime_;
  Clock& clock_;
  Duration drain_max_;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace mepsim
