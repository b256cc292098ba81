#pragma once
// Where a deployment's build finds the code: the release manifest at a git ref. The git
// origin serves it once it exists; until then, and in unit tests, a map of refs does.

#include <map>
#include <mutex>
#include <string>

#include "sim/core/result.h"

namespace mepsim::platform {

class SourceProvider {
 public:
  virtual ~SourceProvider() = default;
  // The manifest text at `git_ref` of the app's repository; not_found when the ref is
  // unknown (a build-error, as on the real platform).
  virtual Result<std::string> manifest_at(const std::string& app_name,
                                          const std::string& git_ref) = 0;
};

// Refs set by hand. Unknown refs build a plain release whose version is the ref itself,
// so a `deploy master` works without any setup.
class MapSourceProvider final : public SourceProvider {
 public:
  void set(const std::string& git_ref, std::string manifest_text);
  Result<std::string> manifest_at(const std::string& app_name, const std::string& git_ref) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> manifests_;
};

}  // namespace mepsim::platform
