#pragma once
// `scalingo run CMD…`: a one-off container (the real CLI's apps/run.go). The API answers
// POST /apps/{app}/run with the container and its attach URL; where the real CLI attaches
// with an HTTP CONNECT and streams, this one asks the attach URL for the exit code
// (`/wait`, which blocks until the command ends) and then for the whole output
// (`/output`), prints it and exits with the command's code.

#include <string>
#include <vector>

#include "harness/scalingo_cli/command_context.h"

namespace mepsim::scalingo_cli {

struct RunOptions {
  std::vector<std::string> command;  // joined with spaces, as the real CLI sends it
  std::vector<std::string> env;      // -e NAME=value overrides
  std::string size = "M";            // the real CLI's default size
  bool detached = false;             // -d: print how to read the logs and return
};

int run_one_off(CommandContext& context, const RunOptions& options);

}  // namespace mepsim::scalingo_cli
