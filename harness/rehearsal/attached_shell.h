#pragma once
// A shell run on mepsim's own terminal, for `mepsim shell`: unlike sim/process's
// ChildProcess (its own process group, output to a log, no stdin), it shares mepsim's
// stdin, stdout, stderr and process group, so that an interactive shell takes the terminal
// as it would from a login, and Ctrl-C reaches what the shell runs. mepsim holds SIGINT and
// SIGTERM blocked meanwhile (shutdown_signal.h), so that a Ctrl-C in the shell leaves the
// topology standing.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/result.h"

namespace mepsim {

struct AttachedShell {
  std::filesystem::path program;  // absolute
  std::vector<std::string> args;  // without argv[0]
  std::filesystem::path working_dir;
  // Added to (or replacing in) mepsim's own environment.
  std::vector<std::pair<std::string, std::string>> env;
};

// Starts it and waits for its end; its exit code (128 + signal when a signal ended it).
Result<int> run_attached(const AttachedShell& shell);

}  // namespace mepsim
