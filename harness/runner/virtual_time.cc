#include "harness/runner/virtual_time.h"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/github/github_fake.h"
#include "harness/topology/github_wiring.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

// The longest real sleep of a paced move: a paced wait still looks at the platform often.
constexpr auto kPaceSliceMax = std::chrono::milliseconds(100);

void deliveries_idle(Topology& topology) {
  if (auto* github = topology.github()) {
    (void)github->github().wait_deliveries_idle(kDeliveriesTimeout);
  }
}

// Real time to spend before the clock reaches `target`, when paced.
void pace_to(Topology& topology, Instant target, double time_scale, Clock& real_clock) {
  if (time_scale <= 0) return;
  auto& platform = topology.platform();
  while (platform.now() < target) {
    const Duration left = target - platform.now();
    const auto real = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double, std::nano>(left) / time_scale);
    const Duration slice = std::min<Duration>(real, kPaceSliceMax);
    real_clock.sleep(slice);
    const auto moved = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double, std::nano>(slice) * time_scale);
    platform.advance_to(std::min(target, platform.now() + std::max(moved, Duration(1))));
    settle(topology);
  }
}

}  // namespace

void settle(Topology& topology) {
  auto& platform = topology.platform();
  // A container that died since the last look (a kill step, a crash under load) is
  // replaced at a point of the step sequence, which keeps the replay exact.
  platform.replace_crashed_containers();
  for (int round = 0; round < kSettleRoundsMax; ++round) {
    deliveries_idle(topology);
    const auto next = platform.next_due();
    if (!next || *next > platform.now()) return;
    platform.advance_to(platform.now());
  }
  platform.publish_event("runner.settle_gave_up", {{"rounds", std::to_string(kSettleRoundsMax)}});
}

void advance(Topology& topology, Duration duration, double time_scale, Clock& real_clock) {
  auto& platform = topology.platform();
  settle(topology);
  const Instant target = platform.now() + duration;
  while (true) {
    const auto next = platform.next_due();
    if (!next || *next > target) break;
    pace_to(topology, *next, time_scale, real_clock);
    platform.advance_to(*next);
    settle(topology);
  }
  pace_to(topology, target, time_scale, real_clock);
  platform.advance_to(target);
  settle(topology);
}

StepOutcome wait_until_real(const std::function<StepOutcome()>& check, Duration timeout,
                            Clock& real_clock) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  const Instant deadline = real_clock.now() + timeout;
  while (true) {
    StepOutcome outcome = check();
    if (outcome.passed) return outcome;
    if (real_clock.now() >= deadline) {
      outcome.message = fmt::format(
          "not within {} s of real time: {}",
          std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), outcome.message);
      return outcome;
    }
    real_clock.sleep(kPoll);
  }
}

StepOutcome wait_until_paced(Topology& topology, const std::function<StepOutcome()>& check,
                             Duration timeout, double time_scale, Clock& real_clock) {
  constexpr auto kPoll = std::chrono::milliseconds(50);
  auto& platform = topology.platform();
  settle(topology);
  const Instant real_deadline = real_clock.now() + timeout;
  const Instant virtual_deadline = platform.now() + timeout;
  while (true) {
    StepOutcome outcome = check();
    if (outcome.passed) return outcome;
    if (real_clock.now() >= real_deadline) {
      outcome.message = fmt::format(
          "not within {} s of real time: {}",
          std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), outcome.message);
      return outcome;
    }
    real_clock.sleep(kPoll);
    Instant to = platform.now();
    if (time_scale > 0) {
      to += std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::nano>(kPoll) *
                                                 time_scale);
    } else if (const auto next = platform.next_due()) {
      to = std::max(to, *next);
    }
    platform.advance_to(std::min(to, virtual_deadline));
    settle(topology);
  }
}

StepOutcome wait_until(Topology& topology, const std::function<StepOutcome()>& check,
                       Duration timeout, double time_scale, Clock& real_clock) {
  auto& platform = topology.platform();
  settle(topology);
  const Instant start = platform.now();
  const Instant deadline = start + timeout;
  while (true) {
    StepOutcome outcome = check();
    if (outcome.passed) return outcome;
    const auto next = platform.next_due();
    if (platform.now() >= deadline) {
      outcome.message = fmt::format(
          "not within {} s: {}", std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
          outcome.message);
      return outcome;
    }
    const Instant to = next && *next <= deadline ? *next : deadline;
    pace_to(topology, to, time_scale, real_clock);
    platform.advance_to(to);
    settle(topology);
  }
}

}  // namespace mepsim::runner
