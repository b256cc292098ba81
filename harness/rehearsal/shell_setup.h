#pragma once
// How `mepsim shell` opens the engineer's shell: the program and its arguments, the
// variables it gets (the env file's, this build's folder first on PATH, the profile's user
// as git author and committer, a "(mepsim) " prompt), and for bash an rc file that keeps
// the user's own ~/.bashrc.

#include <filesystem>
#include <optional>
#include <string>

#include "harness/env/env_file.h"
#include "harness/rehearsal/attached_shell.h"
#include "sim/core/result.h"
#include "sim/platform/platform_types.h"

namespace mepsim {

struct ShellSetup {
  EnvEntries topology_env;             // the env file's variables
  platform::User user;                 // git author and committer
  std::filesystem::path mepsim_dir;    // where mepsim and its `scalingo` link are
  std::filesystem::path clone_dir;     // where the shell starts
  std::filesystem::path workdir;       // where an rc file may go
  std::string shell;                   // $SHELL, or /bin/bash when unset
  std::optional<std::string> command;  // -c COMMAND rather than an interactive shell
};

// The shell to run; writes the bash rc file into the work folder when it needs one.
Result<AttachedShell> prepare_shell(const ShellSetup& setup);

// The folder of the running mepsim (its `scalingo` symlink is there).
Result<std::filesystem::path> mepsim_folder();

}  // namespace mepsim
