#pragma once
// Where `mepsim up` finds mepsim-web, the web container's program: given with
// --web-binary, else next to the running mepsim (an install puts both in one folder;
// the build tree links it there).

#include <filesystem>
#include <optional>
#include <string>

#include "sim/core/result.h"

namespace mepsim {

// Errors are the user's to fix (exit 2) and say how.
Result<std::filesystem::path> find_web_binary(const std::optional<std::string>& given);

}  // namespace mepsim
