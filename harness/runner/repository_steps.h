#pragma once
// The repository side of a scenario: `git` in the run's working clone of the origin, files
// written there (a release's app.yaml), GitHub actions through its REST API, CI results and
// the Mattermost post of a release note.

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim::runner {

// Clones the origin into ctx.clone_dir (its `origin` remote is the local one; pushes carry
// the GitHub token in a header, never in the URL, so no output ever shows it).
Result<void> make_working_clone(RunContext& ctx);

StepOutcome run_git_step(const scenario::GitStep& step, RunContext& ctx);
StepOutcome run_write_file_step(const scenario::WriteFileStep& step, RunContext& ctx);
StepOutcome run_github_step(const scenario::GithubStep& step, RunContext& ctx);
StepOutcome run_ci_step(const scenario::CiStep& step, RunContext& ctx);
StepOutcome run_mattermost_step(const scenario::MattermostStep& step, RunContext& ctx);

}  // namespace mepsim::runner
