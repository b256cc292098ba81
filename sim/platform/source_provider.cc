#include "sim/platform/source_provider.h"

namespace mepsim::platform {

Result<std::string> SourceProvider::resolve(const std::string&, const std::string& git_ref) {
  return git_ref;
}

Result<std::vector<std::string>> SourceProvider::branches_containing(const std::string&,
                                                                     const std::string&) {
  return make_error(ErrorCode::unavailable, "this source knows no branches");
}

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

Result<std::vector<std::string>> MapSourceProvider::branches_containing(const std::string&,
                                                                        const std::string& sha) {
  return std::vector<std::string>{sha};
}

}  // namespace mepsim::platform
