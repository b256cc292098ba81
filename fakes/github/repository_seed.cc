#include "fakes/github/repository_seed.h"

namespace mepsim::fakes::github {

RepositorySeed to_repository_seed(const platform::RepositoryProfile& profile) {
  RepositorySeed seed;
  seed.owner = profile.owner;
  seed.name = profile.name;
  seed.default_branch = profile.default_branch;
  seed.epoch = profile.epoch;
  for (const auto& branch : profile.branches) {
    SeedBranch out{branch.name, branch.from, {}};
    for (const auto& commit : branch.commits) {
      out.commits.push_back({commit.message, commit.manifest_yaml, commit.files, commit.merge});
    }
    seed.branches.push_back(std::move(out));
  }
  for (const auto& tag : profile.tags) seed.tags.push_back({tag.name, tag.at});
  return seed;
}

}  // namespace mepsim::fakes::github
