#pragma once
// Internal to the GitHub fake: the optional real CI command (`CiDefaults::command`), run
// by /bin/sh in a checkout of the commit (a detached `git worktree` of the bare origin,
// removed afterwards), bounded by `command_timeout` of real time. Its exit code is the
// run's verdict.

#include <cstdint>
#include <string>

#include "fakes/github/git_origin.h"
#include "fakes/github/github_fake.h"
#include "sim/core/result.h"

namespace mepsim::fakes::github {

struct CiCommandOutcome {
  int exit_code = 0;
  bool timed_out = false;
};

// Fails only when the checkout could not be made; a failing or timed-out command is an
// outcome. The command sees MEPSIM_CI_SHA, MEPSIM_CI_BRANCH and runs in the checkout.
Result<CiCommandOutcome> run_ci_command(const GitOrigin& origin, const CiDefaults& ci,
                                        const std::string& sha, const std::string& branch,
                                        std::uint64_t run_id);

}  // namespace mepsim::fakes::github
