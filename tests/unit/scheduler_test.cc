// Unit tests of sim/core/scheduler.h: tasks run in (due time, scheduling order) on the
// virtual clock, bounds hold, and a seeded run replays to the same fingerprint.

#include "sim/core/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"

namespace mepsim {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Instant kStart = default_scenario_start();

// Schedules `task` at `due` and fails the test if the scheduler refuses it.
TaskId schedule_at(Scheduler& scheduler, Instant due, std::string label, Scheduler::Task task) {
  auto id = scheduler.at(due, std::move(label), std::move(task));
  EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
  return id.ok() ? id.value() : 0;
}

TEST(Scheduler, RunsTasksInDueOrder) {
  // Tasks run by due time, whatever the order they were scheduled in.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<int> order;
  schedule_at(scheduler, kStart + seconds(3), "third", [&] { order.push_back(3); });
  schedule_at(scheduler, kStart + seconds(1), "first", [&] { order.push_back(1); });
  schedule_at(scheduler, kStart + seconds(2), "second", [&] { order.push_back(2); });
  EXPECT_EQ(scheduler.pending(), 3u);
  EXPECT_EQ(scheduler.run_all(100), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(clock.now(), kStart + seconds(3));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(Scheduler, ClockReadsDueTimeInsideTask) {
  // While a task runs, the clock reads that task's due time.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<Instant> seen;
  for (int s : {5, 1, 3}) {
    schedule_at(scheduler, kStart + seconds(s), "t", [&] { seen.push_back(clock.now()); });
  }
  static_cast<void>(scheduler.run_all(10));
  EXPECT_EQ(seen,
            (std::vector<Instant>{kStart + seconds(1), kStart + seconds(3), kStart + seconds(5)}));
}

TEST(Scheduler, TiesRunInSchedulingOrder) {
  // Tasks due at the same instant run in the order they were scheduled.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<int> order;
  for (int i = 0; i < 20; ++i) {
    schedule_at(scheduler, kStart + seconds(1), "tie", [&order, i] { order.push_back(i); });
  }
  static_cast<void>(scheduler.run_all(100));
  std::vector<int> expected;
  for (int i = 0; i < 20; ++i) expected.push_back(i);
  EXPECT_EQ(order, expected);
}

TEST(Scheduler, PastDueMeansNow) {
  // A due time in the past is taken as now: the task runs at the current time, after
  // tasks already due now, and never moves the clock back.
  VirtualClock clock(kStart + seconds(10));
  Scheduler scheduler(clock);
  std::vector<std::string> order;
  std::vector<Instant> seen;
  schedule_at(scheduler, kStart + seconds(10), "now", [&] {
    order.push_back("now");
    seen.push_back(clock.now());
  });
  schedule_at(scheduler, kStart, "past", [&] {
    order.push_back("past");
    seen.push_back(clock.now());
  });
  ASSERT_TRUE(scheduler.next_due().has_value());
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(10));
  EXPECT_EQ(scheduler.run_until(kStart + seconds(10)), 2u);
  EXPECT_EQ(order, (std::vector<std::string>{"now", "past"}));
  EXPECT_EQ(seen, (std::vector<Instant>{kStart + seconds(10), kStart + seconds(10)}));
  EXPECT_EQ(clock.now(), kStart + seconds(10));
}

TEST(Scheduler, AfterIsRelativeToNow) {
  // after(d) schedules at the clock's current time plus d; a negative delay means now.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  clock.advance(seconds(30));
  auto id = scheduler.after(seconds(5), "later", [] {});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(35));
  auto past = scheduler.after(-seconds(5), "past", [] {});
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(30));
}

TEST(Scheduler, CancelPreventsRun) {
  // A cancelled task never runs; cancelling it again, or a task that ran, returns false.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  bool cancelled_ran = false;
  bool kept_ran = false;
  const TaskId cancelled =
      schedule_at(scheduler, kStart + seconds(1), "cancelled", [&] { cancelled_ran = true; });
  const TaskId kept = schedule_at(scheduler, kStart + seconds(2), "kept", [&] { kept_ran = true; });
  EXPECT_NE(cancelled, kept);
  EXPECT_TRUE(scheduler.cancel(cancelled));
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_FALSE(scheduler.cancel(cancelled));
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(2));
  EXPECT_EQ(scheduler.run_all(10), 1u);
  EXPECT_FALSE(cancelled_ran);
  EXPECT_TRUE(kept_ran);
  EXPECT_FALSE(scheduler.cancel(kept));
  EXPECT_FALSE(scheduler.cancel(9999));
}

TEST(Scheduler, TaskCanCancelAnother) {
  // A task may cancel a later task from inside its own run.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  bool victim_ran = false;
  const TaskId victim =
      schedule_at(scheduler, kStart + seconds(2), "victim", [&] { victim_ran = true; });
  schedule_at(scheduler, kStart + seconds(1), "killer",
              [&] { EXPECT_TRUE(scheduler.cancel(victim)); });
  EXPECT_EQ(scheduler.run_all(10), 1u);
  EXPECT_FALSE(victim_ran);
}

TEST(Scheduler, RunUntilAdvancesClockWithoutTasks) {
  // run_until moves the clock to `until` even when nothing is pending.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  EXPECT_FALSE(scheduler.next_due().has_value());
  EXPECT_EQ(scheduler.run_until(kStart + hours(1)), 0u);
  EXPECT_EQ(clock.now(), kStart + hours(1));
  // An `until` in the past does not move the clock back.
  EXPECT_EQ(scheduler.run_until(kStart), 0u);
  EXPECT_EQ(clock.now(), kStart + hours(1));
}

TEST(Scheduler, RunUntilStopsAtUntilInclusive) {
  // run_until runs tasks due at or before `until`, leaves later ones, ends at `until`.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<int> order;
  schedule_at(scheduler, kStart + seconds(1), "a", [&] { order.push_back(1); });
  schedule_at(scheduler, kStart + seconds(2), "b", [&] { order.push_back(2); });
  schedule_at(scheduler, kStart + seconds(5), "c", [&] { order.push_back(5); });
  EXPECT_EQ(scheduler.run_until(kStart + seconds(2)), 2u);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(clock.now(), kStart + seconds(2));
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(5));
  EXPECT_EQ(scheduler.run_until(kStart + seconds(4)), 0u);
  EXPECT_EQ(clock.now(), kStart + seconds(4));
}

TEST(Scheduler, RunForIsRelativeToNow) {
  // run_for(d) runs until now + d.
  VirtualClock clock(kStart + seconds(100));
  Scheduler scheduler(clock);
  bool ran = false;
  schedule_at(scheduler, kStart + seconds(130), "t", [&] { ran = true; });
  EXPECT_EQ(scheduler.run_for(seconds(29)), 0u);
  EXPECT_FALSE(ran);
  EXPECT_EQ(clock.now(), kStart + seconds(129));
  EXPECT_EQ(scheduler.run_for(seconds(1)), 1u);
  EXPECT_TRUE(ran);
  EXPECT_EQ(clock.now(), kStart + seconds(130));
}

TEST(Scheduler, TasksScheduleTasks) {
  // A task may schedule others; those due by `until` run in the same run_until call.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<std::string> order;
  schedule_at(scheduler, kStart + seconds(1), "parent", [&] {
    order.push_back("parent");
    EXPECT_TRUE(scheduler.after(seconds(1), "child", [&] { order.push_back("child"); }).ok());
    EXPECT_TRUE(scheduler.after(seconds(10), "late", [&] { order.push_back("late"); }).ok());
  });
  EXPECT_EQ(scheduler.run_until(kStart + seconds(5)), 2u);
  EXPECT_EQ(order, (std::vector<std::string>{"parent", "child"}));
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(*scheduler.next_due(), kStart + seconds(11));
}

TEST(Scheduler, TaskScheduledNowRunsAfterExistingTies) {
  // A task scheduled for "now" from inside a task runs after tasks already due then.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  std::vector<std::string> order;
  schedule_at(scheduler, kStart + seconds(1), "a", [&] {
    order.push_back("a");
    EXPECT_TRUE(scheduler.after(Duration::zero(), "c", [&] { order.push_back("c"); }).ok());
  });
  schedule_at(scheduler, kStart + seconds(1), "b", [&] { order.push_back("b"); });
  EXPECT_EQ(scheduler.run_all(10), 3u);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Scheduler, PendingBoundReturnsCapacityError) {
  // Scheduling past the pending bound is a capacity error naming the task, not a growth.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock, 2);
  schedule_at(scheduler, kStart + seconds(1), "one", [] {});
  schedule_at(scheduler, kStart + seconds(2), "two", [] {});
  auto refused = scheduler.at(kStart + seconds(3), "three", [] {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::capacity);
  EXPECT_NE(refused.error().message.find("three"), std::string::npos) << refused.error().message;
  EXPECT_EQ(scheduler.pending(), 2u);
  // Once a task has run there is room again.
  EXPECT_EQ(scheduler.run_until(kStart + seconds(1)), 1u);
  EXPECT_TRUE(scheduler.at(kStart + seconds(3), "three", [] {}).ok());
  EXPECT_EQ(scheduler.pending(), 2u);
}

TEST(Scheduler, RunAllStopsAtTasksMax) {
  // run_all stops after `tasks_max` tasks, even when tasks keep rescheduling themselves.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  int runs = 0;
  std::function<void()> forever = [&] {
    ++runs;
    EXPECT_TRUE(scheduler.after(seconds(1), "forever", forever).ok());
  };
  schedule_at(scheduler, kStart, "forever", forever);
  EXPECT_EQ(scheduler.run_all(10), 10u);
  EXPECT_EQ(runs, 10);
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(clock.now(), kStart + seconds(9));
  EXPECT_EQ(scheduler.run_all(0), 0u);
  EXPECT_EQ(runs, 10);
}

TEST(Scheduler, RunAllReturnsEarlyWhenEmpty) {
  // run_all returns the number of tasks run when the queue empties before the bound.
  VirtualClock clock(kStart);
  Scheduler scheduler(clock);
  schedule_at(scheduler, kStart + seconds(1), "only", [] {});
  EXPECT_EQ(scheduler.run_all(100), 1u);
  EXPECT_EQ(scheduler.run_all(100), 0u);
}

// A small simulated platform: `workers` tasks, each with its own Rng fork, wake up after a
// random delay, publish a control-plane event and reschedule themselves `steps` times.
// Data-plane events carry `noise` (think ports, pids), which must not reach the fingerprint.
std::string run_platform(std::uint64_t seed, int noise) {
  constexpr int kWorkers = 5;
  constexpr int kSteps = 4;
  VirtualClock clock(default_scenario_start());
  Scheduler scheduler(clock);
  EventLog log;
  const Rng root(seed);
  std::vector<Rng> rngs;
  for (int w = 0; w < kWorkers; ++w) rngs.push_back(root.fork("worker-" + std::to_string(w)));

  std::vector<std::function<void(int)>> steps(kWorkers);
  for (int w = 0; w < kWorkers; ++w) {
    steps[static_cast<std::size_t>(w)] = [&, w](int step) {
      Rng& rng = rngs[static_cast<std::size_t>(w)];
      const std::int64_t delay_ms = rng.uniform_int(1, 5000);
      log.publish(clock.now(), Plane::control, "platform", "worker.step",
                  {{"worker", std::to_string(w)},
                   {"step", std::to_string(step)},
                   {"next_delay_ms", std::to_string(delay_ms)},
                   {"token", rng.alnum(8)}});
      log.publish(clock.now(), Plane::data, "web", "request",
                  {{"port", std::to_string(40000 + noise + w)}});
      if (step + 1 < kSteps) {
        const auto next = [&steps, w, step] { steps[static_cast<std::size_t>(w)](step + 1); };
        EXPECT_TRUE(scheduler.after(milliseconds(delay_ms), "worker", next).ok());
      }
    };
  }
  for (int w = 0; w < kWorkers; ++w) {
    const auto first_delay = milliseconds(rngs[static_cast<std::size_t>(w)].uniform_int(0, 1000));
    EXPECT_TRUE(
        scheduler
            .after(first_delay, "worker", [&steps, w] { steps[static_cast<std::size_t>(w)](0); })
            .ok());
  }
  EXPECT_EQ(scheduler.run_all(1000), static_cast<std::size_t>(kWorkers * kSteps));
  EXPECT_EQ(scheduler.pending(), 0u);
  EXPECT_EQ(log.published_count(), static_cast<std::uint64_t>(2 * kWorkers * kSteps));
  return log.fingerprint();
}

TEST(Scheduler, SameSeedSameFingerprint) {
  // Two runs of the simulated platform with seed 7 publish identical control planes,
  // whatever data-plane noise they see.
  const std::string first = run_platform(7, 0);
  const std::string second = run_platform(7, 123);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.size(), 64u);
}

TEST(Scheduler, OtherSeedOtherFingerprint) {
  // Seed 8 drives the simulated platform to a different control plane than seed 7.
  EXPECT_NE(run_platform(7, 0), run_platform(8, 0));
}

}  // namespace
}  // namespace mepsim
