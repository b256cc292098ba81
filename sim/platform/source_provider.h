#pragma once
// Where a deployment's build finds the code: the release manifest at a git ref. The git
// origin serves it once it exists; until then, and in unit tests, a map of refs does.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::platform {

class SourceProvider {
 public:
  virtual ~SourceProvider() = default;
  // The manifest text at `git_ref` of the app's repository; not_found when the ref is
  // unknown (a build-error, as on the real platform).
  virtual Result<std::string> manifest_at(const std::string& app_name,
                                          const std::string& git_ref) = 0;
  // The commit `git_ref` names now, for the timeline (rules R1, R2 judge commits, not
  // refs). The default: the ref itself, for providers that know no commits.
  virtual Result<std::string> resolve(const std::string& app_name, const std::string& git_ref);
  // The branches whose head reaches `sha` now (`git branch --contains`), at most
  // kBranchesListedMax of them. The default: unavailable (a provider that knows no
  // branches), and the timeline then says nothing about branches.
  static constexpr std::size_t kBranchesListedMax = 50;
  virtual Result<std::vector<std::string>> branches_containing(const std::string& app_name,
                                                               const std::string& sha);
};

// Refs set by hand. Unknown refs build a plain release whose version is the ref itself,
// so a `deploy master` works without any setup. A ref is its own commit and its own only
// branch: deploying `main` is deploying a commit of main.
class MapSourceProvider final : public SourceProvider {
 public:
  void set(const std::string& git_ref, std::string manifest_text);
  Result<std::string> manifest_at(const std::string& app_name, const std::string& git_ref) override;
  Result<std::vector<std::string>> branches_containing(const std::string& app_name,
                                                       const std::string& sha) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> manifests_;
};

}  // namespace mepsim::platform
