#pragma once
// How a scenario moves the platform's virtual clock. Between two moves the runner lets the
// control plane settle: the webhooks a push or a status queued are delivered, and the tasks
// due now run, until nothing is left to do. The order of control-plane events then depends
// only on the scenario and the seed, not on how fast the machine delivers a webhook.

#include <functional>

#include "harness/runner/run_context.h"

namespace mepsim::runner {

// Rounds of "deliver, then run what is due" before settle gives up: a loop of tasks that
// keep scheduling each other at the same instant is a bug, reported as an error event.
inline constexpr int kSettleRoundsMax = 1'000;
// Real time the webhook queue gets to drain in one round.
inline constexpr auto kDeliveriesTimeout = std::chrono::seconds(30);

void settle(Topology& topology);

// Moves the clock `duration` forward, running each due task in order and settling after
// each. With a `time_scale` > 0, the move also takes duration / time_scale of real time
// (load steps measure the data plane while it runs).
void advance(Topology& topology, Duration duration, double time_scale, Clock& real_clock);

// Asks `check` now, then after each of the platform's tasks, until it passes or `timeout`
// of virtual time has gone by; the last answer is returned (a failure names the timeout).
// A condition on the data plane (a load's counts) grows in real time whatever the platform
// clock does: asked every 50 ms until `timeout` of real time has passed.
StepOutcome wait_until_real(const std::function<StepOutcome()>& check, Duration timeout,
                            Clock& real_clock);

// Both at once, for a condition on the platform and the data plane (`converged:`): asked
// every 50 ms of real time until `timeout` of it has passed; between two asks the platform
// clock moves on — by the real time elapsed × `time_scale`, or to its next due task when
// the scale is 0 — never past `timeout` of virtual time.
StepOutcome wait_until_paced(Topology& topology, const std::function<StepOutcome()>& check,
                             Duration timeout, double time_scale, Clock& real_clock);

StepOutcome wait_until(Topology& topology, const std::function<StepOutcome()>& check,
                       Duration timeout, double time_scale, Clock& real_clock);

}  // namespace mepsim::runner
