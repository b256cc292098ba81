#include "fakes/github/git_source_provider.h"

namespace mepsim::fakes::github {

Result<std::string> GitSourceProvider::manifest_at(const std::string& app_name,
                                                   const std::string& git_ref) {
  auto sha = origin_.resolve(git_ref);
  if (!sha) {
    return make_error(sha.error().code, "couldn't find remote ref " + git_ref + " of " +
                                            origin_.owner() + "/" + origin_.name() + " for " +
                                            app_name + ": " + sha.error().message);
  }
  auto text = origin_.file_at(sha.value(), "app.yaml");
  if (!text) {
    return make_error(text.error().code, "no app.yaml at " + git_ref + " (" + sha.value() +
                                             "): " + text.error().message);
  }
  return text;
}

Result<std::string> GitSourceProvider::resolve(const std::string&, const std::string& git_ref) {
  return origin_.resolve(git_ref);
}

Result<std::vector<std::string>> GitSourceProvider::branches_containing(const std::string&,
                                                                        const std::string& sha) {
  auto heads = origin_.branches();
  if (!heads) return heads.error();
  std::vector<std::string> out;
  for (const auto& [name, head] : *heads) {
    if (out.size() == kBranchesListedMax) break;
    auto reached = origin_.is_ancestor(sha, head);
    if (!reached) return reached.error();
    if (*reached) out.push_back(name);
  }
  return out;
}

}  // namespace mepsim::fakes::github
