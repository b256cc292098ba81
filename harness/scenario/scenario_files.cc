#include <fmt/format.h>

#include <algorithm>

#include "harness/scenario/scenario_parser.h"

namespace mepsim::scenario {
namespace {

namespace fs = std::filesystem;

bool is_yaml(const fs::path& path) {
  const auto extension = path.extension();
  return extension == ".yaml" || extension == ".yml";
}

// Every scenario file below `folder`, sorted; `profiles/` folders hold profiles, not scenarios.
Result<std::vector<fs::path>> files_below(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && it->path().filename() == "profiles") {
      it.disable_recursion_pending();
    } else if (it->is_regular_file(ec) && is_yaml(it->path())) {
      files.push_back(it->path());
    }
  }
  if (ec)
    return make_error(ErrorCode::internal, fmt::format("{}: {}", folder.string(), ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::vector<fs::path>> scenario_files(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& text : paths) {
    const fs::path path(text);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) {
      return make_error(ErrorCode::not_found, fmt::format("{}: no such file or folder", text));
    }
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    auto below = files_below(path);
    if (!below) return below.error();
    files.insert(files.end(), below->begin(), below->end());
  }
  return files;
}

}  // namespace mepsim::scenario
