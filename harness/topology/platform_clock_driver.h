#pragma once
// Drives the platform's virtual clock from real time in `mepsim up`: the platform's tasks
// run when their time comes, `time_scale` times faster than the wall clock. Scenario runs
// do not use it: they advance the virtual clock themselves.

#include <atomic>
#include <thread>

#include "sim/core/clock.h"
#include "sim/platform/platform.h"

namespace mepsim {

class PlatformClockDriver {
 public:
  // `real_clock` already runs at the wanted scale; `time_scale` converts waits back.
  PlatformClockDriver(platform::Platform& platform, Clock& real_clock, double time_scale);
  ~PlatformClockDriver();
  PlatformClockDriver(const PlatformClockDriver&) = delete;
  PlatformClockDriver& operator=(const PlatformClockDriver&) = delete;

  void stop();

 private:
  void loop();

  platform::Platform& platform_;
  Clock& real_clock_;
  double time_scale_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mepsim
