#pragma once
// `mepsim scalingo …`: the subset of the real `scalingo` CLI's syntax the release
// procedure uses (`scalingo -a histologe env-set K=V`, `… run php bin/console …`), spoken
// to the Scalingo API at SCALINGO_API_URL. The binary answers to the name `scalingo` too
// (a symlink next to it), so rehearsal shells run the procedure's commands verbatim.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace mepsim {

struct ScalingoOptions {
  std::string app;                     // -a/--app, before or after the command name
  std::string region;                  // --region: only shown in messages
  std::vector<std::string> arguments;  // the command's positional arguments
  bool synchronous = false;            // restart/scale -s
  bool detached = false;               // run -d
  std::vector<std::string> env;        // run -e NAME=value
  std::string size = "M";              // run --size
  int page = 1;                        // deployments --page
  int per_page = 20;                   // deployments --per-page
};

// Registers `scalingo` and its commands on `app`, filling `options` when parsed.
CLI::App* add_scalingo_command(CLI::App& app, ScalingoOptions& options);
// Runs the command that was parsed under `scalingo`; returns the process exit code.
int run_scalingo(const CLI::App& scalingo, const ScalingoOptions& options);

// The arguments as mepsim should parse them: unchanged, or with "scalingo" put after the
// program name when the program was started as `scalingo` (busybox style).
std::vector<const char*> busybox_arguments(int argc, char** argv);

}  // namespace mepsim
