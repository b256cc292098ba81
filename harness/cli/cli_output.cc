#include "harness/cli/cli_output.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace mepsim::cli {

Result<void> write_output_file(const std::string& path, const std::string& text) {
  const std::string partial = fmt::format("{}.partial-{}", path, getpid());
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  std::error_code ec;
  if (out) std::filesystem::rename(partial, path, ec);
  if (!out || ec) {
    std::filesystem::remove(partial, ec);
    return make_error(ErrorCode::invalid_input, "cannot write " + path);
  }
  return {};
}

}  // namespace mepsim::cli
