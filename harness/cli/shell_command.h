#pragma once
// `mepsim shell`: a rehearsal by hand. It works on the topology whose env file answers
// (`mepsim up` running), else stands one up itself as `mepsim up` does (same flags) and
// stops it when the shell ends. It makes a working clone of the git origin in a work folder
// and opens `$SHELL` there with the env file's variables exported, `scalingo` and `mepsim`
// of this build first on PATH and the profile's user as git author, so that the
// procedure's commands run literally. Leaving the shell writes the rehearsal report (JSON
// and HTML, in the work folder) and prints the violations found.
//
// Exit codes: 0 report written, 1 the topology, the clone or the report failed (or the
// --command exited non-zero), 2 bad input.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "harness/cli/up_command.h"

namespace mepsim {

struct ShellOptions {
  UpOptions up;                        // --env-file and the topology's flags
  std::optional<std::string> workdir;  // default: a fresh folder under $TMPDIR, kept
  std::optional<std::string> command;  // `$SHELL -c COMMAND` instead of an interactive shell
};

CLI::App* add_shell_command(CLI::App& app, ShellOptions& options);
int run_shell(const ShellOptions& options);

}  // namespace mepsim
