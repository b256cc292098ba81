#pragma once
// The profile's `repository:` section as what the GitHub fake seeds and runs CI with:
// its pull requests (numbers, states, labels) and `repository.ci` (result, duration).
// The branches and tags are the git origin's (repository_seed.h).

#include "fakes/github/github_fake.h"
#include "sim/platform/platform_profile.h"

namespace mepsim::fakes::github {

GitHubSeed to_github_seed(const platform::RepositoryProfile& profile);
// `result` other than "failure" reads as success (the profile parser checked it).
CiDefaults to_ci_defaults(const platform::CiProfile& ci);

}  // namespace mepsim::fakes::github
