#pragma once
// The network faults of a scenario (`fault: {network: …}`): a link's FaultPolicy set on its
// proxy (harness/topology/network_links.h), published as `fault.injected` (kind "network",
// the link, the faults set and the policy as JSON) or, for `heal: true`, `fault.healed`.
//
//   - fault: {network: {link: mysql, latency_ms: 200, jitter_ms: 50}}
//   - fault: {network: {link: redis, reset_probability: 1}}
//   - fault: {network: {link: geocoding, blackhole: true}}
//   - fault: {network: {link: mysql, heal: true}}
//
// A scenario with such a step runs on a topology with `network_faults` on.

#include <string>
#include <vector>

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace mepsim::runner {

StepOutcome run_network_fault(const scenario::NetworkFault& fault, RunContext& ctx);

bool uses_network_faults(const scenario::Scenario& scenario);

// What each link's faults did, for the report's faults used:
// "network:mysql.latency (12 chunks delayed)", "network:redis.reset (1 connection reset)".
std::vector<std::string> network_faults_fired(RunContext& ctx);

}  // namespace mepsim::runner
