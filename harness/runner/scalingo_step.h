#pragma once
// `scalingo: -a histologe restart` — the line a rehearsal shell would type, run as
// `mepsim scalingo …` against the run's Scalingo API fake, as its own process (exactly
// what an engineer's `scalingo` does, output and exit code included).

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace mepsim::runner {

StepOutcome run_scalingo_step(const scenario::ScalingoStep& step, RunContext& ctx);

}  // namespace mepsim::runner
