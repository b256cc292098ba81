#pragma once
// The only way mepsim reads time or waits. Scenario runs use the VirtualClock, so that
// `wait: 2h` takes no real time; `mepsim up` uses a RealClock, optionally sped up.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace mepsim {

using Duration = std::chrono::nanoseconds;
// Wall time on the unix epoch; virtual for scenario runs, real for `mepsim up`.
using Instant = std::chrono::time_point<std::chrono::system_clock, Duration>;

// Whole seconds since the unix epoch (truncated), as cookies, tokens and git dates write it.
inline std::int64_t unix_seconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
  // Blocks the caller for `d` of this clock's time (a virtual clock just moves on).
  virtual void sleep(Duration d) = 0;
};

// Real time, optionally running `time_scale` times faster than the wall clock from the
// moment it is made: a 3-minute deployment at scale 60 takes 3 real seconds.
class RealClock final : public Clock {
 public:
  RealClock() : RealClock(1.0) {}
  explicit RealClock(double time_scale);
  Instant now() const override;
  void sleep(Duration d) override;
  double time_scale() const { return time_scale_; }

 private:
  double time_scale_;
  Instant origin_wall_;
  std::chrono::steady_clock::time_point origin_steady_;
};

// Time that moves only when told to. Thread-safe, since data-plane threads may read it.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Instant start);
  Instant now() const override;
  void sleep(Duration d) override { advance(d); }
  void advance(Duration d);
  // Moves to `t` if it is later than now; never moves back.
  void advance_to(Instant t);

 private:
  mutable std::mutex mutex_;
  Instant now_;
};

// 2026-01-05T08:00:00Z, a Monday morning: the default start of scenario time.
Instant default_scenario_start();

// "2026-01-05T08:00:00.000Z"
std::string format_iso8601(Instant t);

}  // namespace mepsim
