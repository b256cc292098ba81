#pragma once
// The env file `mepsim up` writes once everything is ready: `KEY=value` lines that a shell
// can `source` and `docker --env-file`-style readers take too. Written atomically, so a
// reader polling for it never sees half a file.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/result.h"

namespace mepsim {

using EnvEntries = std::vector<std::pair<std::string, std::string>>;

// A value as a shell reads it back: bare when it is made of safe characters, else in
// single quotes.
std::string shell_quote(const std::string& value);

Result<void> write_env_file(const std::filesystem::path& path, const EnvEntries& entries);

}  // namespace mepsim
