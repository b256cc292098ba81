#include "harness/topology/platform_clock_driver.h"

#include <algorithm>
#include <mutex>

namespace mepsim {

namespace {
// The longest the driver sleeps without looking again: bounds how late a task runs after
// a change that the driver missed (each change also wakes it).
constexpr auto kWakeupMax = std::chrono::milliseconds(50);
// How often crashed containers are looked for (real time): Scalingo restarts one within
// seconds.
constexpr auto kCrashLookEvery = std::chrono::seconds(1);
}  // namespace

PlatformClockDriver::PlatformClockDriver(platform::Platform& platform, Clock& real_clock,
                                         double time_scale)
    : platform_(platform), real_clock_(real_clock), time_scale_(time_scale) {
  thread_ = std::thread([this] { loop(); });
}

PlatformClockDriver::~PlatformClockDriver() {
  stop();
}

void PlatformClockDriver::stop() {
  if (stopping_.exchange(true)) return;
  platform_.notify_changed();
  if (thread_.joinable()) thread_.join();
}

void PlatformClockDriver::loop() {
  Instant crash_look_due = real_clock_.now();
  while (!stopping_) {
    const Instant target = real_clock_.now();
    if (target >= crash_look_due) {
      platform_.replace_crashed_containers();
      crash_look_due = target + kCrashLookEvery;
    }
    platform_.advance_to(target);
    Duration wait = kWakeupMax;
    if (auto next = platform_.next_due()) {
      const auto virtual_wait = std::chrono::duration<double, std::nano>(*next - target);
      wait = std::clamp(std::chrono::duration_cast<Duration>(virtual_wait / time_scale_),
                        Duration::zero(), Duration(kWakeupMax));
    }
    std::unique_lock lock(platform_.mutex());
    platform_.changed().wait_for(lock, wait, [this] { return stopping_.load(); });
  }
}

}  // namespace mepsim
