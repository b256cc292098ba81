// Unit tests of sim/core/clock.h: the virtual clock never goes back, the real clock runs
// `time_scale` times faster than the wall clock, timestamps print as UTC ISO 8601.

#include "sim/core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <thread>

namespace mepsim {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Sets TZ for the life of the guard, then puts the previous value back.
class TimeZoneGuard {
 public:
  explicit TimeZoneGuard(const char* zone) {
    if (const char* old = std::getenv("TZ"); old != nullptr) previous_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~TimeZoneGuard() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  TimeZoneGuard(const TimeZoneGuard&) = delete;
  TimeZoneGuard& operator=(const TimeZoneGuard&) = delete;

 private:
  std::optional<std::string> previous_;
};

TEST(VirtualClock, StartsAtTheGivenInstant) {
  // A new virtual clock reads exactly the instant it was made with.
  const VirtualClock clock(default_scenario_start());
  EXPECT_EQ(clock.now(), default_scenario_start());
}

TEST(VirtualClock, AdvanceMovesForwardByTheDuration) {
  // advance() adds its duration, and advance(0) leaves the clock where it is.
  VirtualClock clock(default_scenario_start());
  clock.advance(seconds(5));
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(5));
  clock.advance(Duration::zero());
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(5));
  clock.advance(hours(2));
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(5) + hours(2));
}

TEST(VirtualClock, AdvanceToNeverMovesBack) {
  // advance_to() moves to a later instant and ignores an earlier or equal one.
  VirtualClock clock(default_scenario_start());
  clock.advance_to(default_scenario_start() + seconds(10));
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(10));
  clock.advance_to(default_scenario_start() + seconds(3));
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(10));
  clock.advance_to(default_scenario_start() + seconds(10));
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(10));
  clock.advance_to(Instant{});
  EXPECT_EQ(clock.now(), default_scenario_start() + seconds(10));
}

TEST(VirtualClock, SleepAdvancesWithoutRealWait) {
  // sleep() on a virtual clock moves it on, so a two-hour wait costs no real time.
  VirtualClock clock(default_scenario_start());
  Clock& as_clock = clock;
  as_clock.sleep(hours(2));
  EXPECT_EQ(clock.now(), default_scenario_start() + hours(2));
}

TEST(RealClock, StartsAtTheWallClock) {
  // A real clock starts at the wall-clock time of its construction, not at the epoch.
  const auto before = std::chrono::system_clock::now();
  const RealClock clock(1000.0);
  EXPECT_GE(clock.now(), std::chrono::time_point_cast<Duration>(before));
  EXPECT_DOUBLE_EQ(clock.time_scale(), 1000.0);
}

TEST(RealClock, NeverGoesBack) {
  // Successive reads of a real clock never decrease.
  const RealClock clock(1.0);
  Instant last = clock.now();
  for (int i = 0; i < 1000; ++i) {
    const Instant next = clock.now();
    EXPECT_GE(next, last);
    last = next;
  }
}

TEST(RealClock, TimeScaleSpeedsUpNow) {
  // At scale 1000, a 5 ms real sleep moves now() on by at least ~5 s (lower bound only).
  const RealClock clock(1000.0);
  const Instant start = clock.now();
  std::this_thread::sleep_for(milliseconds(5));
  const Instant end = clock.now();
  // 5 ms real × 1000 = 5 s; 4 s leaves room for rounding, and no upper bound can flake.
  EXPECT_GE(end - start, seconds(4));
}

TEST(RealClock, SleepWaitsScaledDown) {
  // At scale 1000, sleep(2 s) of clock time returns once the clock has moved ~2 s.
  RealClock clock(1000.0);
  const Instant start = clock.now();
  clock.sleep(seconds(2));  // about 2 ms of real time
  EXPECT_GE(clock.now() - start, milliseconds(1900));
}

TEST(RealClock, SleepNonPositiveReturns) {
  // A zero or negative sleep returns without blocking and leaves the clock usable.
  RealClock clock(1.0);
  const Instant start = clock.now();
  clock.sleep(Duration::zero());
  clock.sleep(-seconds(5));
  EXPECT_GE(clock.now(), start);
}

TEST(Clock, DefaultScenarioStartIsMondayMorning) {
  // The default scenario start is 2026-01-05T08:00:00Z, i.e. 1767600000 s after the epoch.
  EXPECT_EQ(default_scenario_start().time_since_epoch(), seconds(1767600000));
}

TEST(Clock, FormatIso8601OfDefaultStart) {
  // The default start prints as UTC ISO 8601 with milliseconds.
  EXPECT_EQ(format_iso8601(default_scenario_start()), "2026-01-05T08:00:00.000Z");
}

TEST(Clock, FormatIso8601KeepsMilliseconds) {
  // Sub-second time shows as three digits of milliseconds, truncated below the millisecond.
  const Instant t = default_scenario_start() + milliseconds(1234) + std::chrono::microseconds(999);
  EXPECT_EQ(format_iso8601(t), "2026-01-05T08:00:01.234Z");
}

TEST(Clock, FormatIso8601OfEpoch) {
  // The unix epoch prints as 1970-01-01T00:00:00.000Z.
  EXPECT_EQ(format_iso8601(Instant{}), "1970-01-01T00:00:00.000Z");
}

TEST(Clock, FormatIso8601IsUtcWhateverTheLocalZone) {
  // The trailing 'Z' promises UTC: the process's local time zone must not shift the text.
  const TimeZoneGuard zone("America/New_York");
  EXPECT_EQ(format_iso8601(default_scenario_start()), "2026-01-05T08:00:00.000Z");
}

}  // namespace
}  // namespace mepsim
