#pragma once
// The profile's `repository:` section as what the git origin seeds: the profile (sim/)
// says what the repository holds, the seed is how GitOrigin::create takes it.

#include "fakes/github/git_origin.h"
#include "sim/platform/platform_profile.h"

namespace mepsim::fakes::github {

// Branches, commits, tags, owner, name and epoch; pull requests and CI are the GitHub
// fake's to seed. The profile parser has already checked the references.
RepositorySeed to_repository_seed(const platform::RepositoryProfile& profile);

}  // namespace mepsim::fakes::github
