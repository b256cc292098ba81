#pragma once
// One step, whatever its kind, run against the run's context.

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace mepsim::runner {

class LoadSet;

struct StepEnvironment {
  RunContext& ctx;
  LoadSet& loads;
  double time_scale = 0;
};

StepOutcome run_step(const scenario::Step& step, StepEnvironment& env);

}  // namespace mepsim::runner
