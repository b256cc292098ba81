#include "harness/topology/web_binary.h"

#include <fmt/format.h>

#include "sim/process/child_process.h"

namespace mepsim {

Result<std::filesystem::path> find_web_binary(const std::optional<std::string>& given) {
  namespace fs = std::filesystem;
  if (given) {
    // A bare name would be looked up on PATH: a path names exactly one file.
    const std::string path = given->find('/') == std::string::npos ? "./" + *given : *given;
    auto found = find_program(path);
    if (!found) {
      return make_error(
          ErrorCode::invalid_input,
          fmt::format("--web-binary: {} does not exist or is not executable", *given));
    }
    return fs::absolute(found.value());
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return make_error(ErrorCode::not_found, "cannot tell where mepsim runs from (/proc/self/exe: " +
                                                ec.message() + "); pass --web-binary PATH");
  }
  const fs::path next_to = self.parent_path() / "mepsim-web";
  if (auto found = find_program(next_to.string()); found) return found.value();
  return make_error(ErrorCode::not_found,
                    fmt::format("mepsim-web not found next to mepsim ({}): build the mepsim-web "
                                "target, or pass --web-binary PATH",
                                next_to.string()));
}

}  // namespace mepsim
