#include "sim/platform/source_provider.h"

namespace mepsim::platform {

void MapSourceProvider::set(const std::string& git_ref, std::string manifest_text) {
  std::lock_guard lock(mutex_);
  manifests_[git_ref] = std::move(manifest_text);
}

Result<std::string> MapSourceProvider::manifest_at(const std::string&, const std::string& git_ref) {
  std::lock_guard lock(mutex_);
  const auto found = manifests_.find(git_ref);
  if (found != manifests_.end()) return found->second;
  return "version: \"" + git_ref + "\"\n";
}

}  // namespace mepsim::platform
