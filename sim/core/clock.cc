#include "sim/core/clock.h"

#include <fmt/format.h>

#include <cassert>
#include <thread>

namespace mepsim {

RealClock::RealClock(double time_scale)
    : time_scale_(time_scale),
      origin_wall_(std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now())),
      origin_steady_(std::chrono::steady_clock::now()) {
  assert(time_scale > 0);
}

Instant RealClock::now() const {
  // Steady time since the origin, scaled: a wall-clock step (NTP) never moves it back.
  const auto elapsed = std::chrono::steady_clock::now() - origin_steady_;
  const auto scaled = std::chrono::duration<double, std::nano>(elapsed) * time_scale_;
  return origin_wall_ + std::chrono::duration_cast<Duration>(scaled);
}

void RealClock::sleep(Duration d) {
  if (d <= Duration::zero()) return;
  const auto real = std::chrono::duration<double, std::nano>(d) / time_scale_;
  std::this_thread::sleep_for(std::chrono::duration_cast<Duration>(real));
}

VirtualClock::VirtualClock(Instant start) : now_(start) {}

Instant VirtualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void VirtualClock::advance(Duration d) {
  assert(d >= Duration::zero());
  std::lock_guard lock(mutex_);
  now_ += d;
}

void VirtualClock::advance_to(Instant t) {
  std::lock_guard lock(mutex_);
  if (t > now_) now_ = t;
}

Instant default_scenario_start() {
  // 2026-01-05T08:00:00Z
  return Instant(std::chrono::seconds(1767600000));
}

std::string format_iso8601(Instant t) {
  // Calendar arithmetic in UTC: no localtime(), whatever TZ says.
  using namespace std::chrono;
  const auto ms = floor<std::chrono::milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss time{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count(),
                     time.subseconds().count());
}

}  // namespace mepsim
