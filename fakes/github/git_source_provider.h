#pragma once
// Where a deployment's build finds the code under `mepsim up`: the release manifest
// (`app.yaml`) at a ref of the git origin, which pushes move. Every app reads the one
// repository (their scm_link all name it).

#include "fakes/github/git_origin.h"
#include "sim/platform/source_provider.h"

namespace mepsim::fakes::github {

class GitSourceProvider final : public platform::SourceProvider {
 public:
  // `origin` outlives the provider.
  explicit GitSourceProvider(const GitOrigin& origin) : origin_(origin) {}
  // A branch, tag or sha; not_found when the ref is unknown or holds no app.yaml.
  Result<std::string> manifest_at(const std::string& app_name, const std::string& git_ref) override;
  Result<std::string> resolve(const std::string& app_name, const std::string& git_ref) override;
  // Sorted by name; `git merge-base --is-ancestor` against each branch head.
  Result<std::vector<std::string>> branches_containing(const std::string& app_name,
                                                       const std::string& sha) override;

 private:
  const GitOrigin& origin_;
};

}  // namespace mepsim::fakes::github
