#pragma once
// The fault phase of a scenario (`fault:` steps): a web container killed (SIGKILL), the
// run's own Redis or MySQL stopped and started again on its data, a fake's chaos policy
// set through the admin API. Each publishes a control-plane event (`fault.injected`, or
// `fault.healed` for a start) that the timeline and the report show.
//
//   - fault: {kill: {app: histologe, container: web-1}}
//   - fault: {stop: redis}            - fault: {start: mysql}
//   - fault: {chaos: {fake: sentry, operation: envelope, error: {probability: 1, status: 502}}}
//   - fault: {network: {link: mysql, latency_ms: 200}}   (network_fault_steps.h)
//
// Chaos settings are the admin API's policy JSON (fakes/common/chaos.h) plus an optional
// `operation` (default "*": every operation of the fake without a policy of its own);
// settings holding nothing but the operation clear that policy (the heal phase).

#include <string>
#include <vector>

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace mepsim::runner {

StepOutcome run_fault_step(const scenario::FaultStep& step, RunContext& ctx);

// What the run's report lists as the faults it used: the injected ones in the order they
// were first injected ("kill:histologe/web-1", "stop_redis", "chaos:sentry.envelope"),
// then the chaos faults that fired, with how many requests suffered each
// ("sentry.envelope.error_status (3 requests)").
std::vector<std::string> faults_used(RunContext& ctx);

}  // namespace mepsim::runner
