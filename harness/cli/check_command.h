#pragma once
// `mepsim check PATH…`: reads every scenario file the paths name (folders: every *.yaml /
// *.yml below, skipping profiles/) and reports every mistake as `file:line:col: message`,
// without running anything: the step CI runs before a suite, and an editor's quick check.
//
// Exit codes: 0 every scenario valid, 2 any error or a path that does not exist.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

namespace mepsim {

struct CheckOptions {
  std::vector<std::string> paths;
};

CLI::App* add_check_command(CLI::App& app, CheckOptions& options);
int run_check(const CheckOptions& options);

namespace check_cli {

// The errors go to `err`, one per line, then the summary: "mepsim: N scenario(s) valid" on
// `out`, or "mepsim: N error(s) in M file(s)" on `err`.
int run_check_with(const CheckOptions& options, std::FILE* out, std::FILE* err);

}  // namespace check_cli
}  // namespace mepsim
