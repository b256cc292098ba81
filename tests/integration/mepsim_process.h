#pragma once
// Runs the built `mepsim` binary as a real child process, the way a user or CI would, and
// reads what it prints.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/datastore/scratch_dir.h"
#include "sim/process/child_process.h"

namespace mepsim::testing {

class MepsimProcess {
 public:
  // Starts `mepsim <args…>`; its stdout and stderr go to a log in a scratch folder.
  explicit MepsimProcess(std::vector<std::string> args);
  // A test that stops early still lets mepsim shut down in order (SIGTERM), so that its
  // servers' folders are removed rather than orphaned by a SIGKILL.
  ~MepsimProcess();
  MepsimProcess(const MepsimProcess&) = delete;
  MepsimProcess& operator=(const MepsimProcess&) = delete;

  // Waits (at most `timeout_s` real seconds) for "mepsim: ready" or an exit; true if ready.
  bool wait_ready(int timeout_s = 60);
  // Waits for the process to end by itself.
  std::optional<ExitStatus> wait_exit(int timeout_s = 60);
  // SIGTERM, and how it ended (SIGKILL after 30 s if it would not).
  ExitStatus terminate();
  std::string output() const;
  ChildProcess& process() { return process_.value(); }
  const std::filesystem::path& folder() const { return scratch_.path(); }

  // The pid and folder of each server it said it started ("started MariaDB, pid 12,
  // folder /tmp/…").
  std::vector<pid_t> started_pids() const;
  std::vector<std::filesystem::path> started_folders() const;

 private:
  ScratchDir scratch_;
  std::filesystem::path log_;
  std::optional<ChildProcess> process_;
};

// KEY=value lines of an env file, as `mepsim up` writes them (values unquoted here).
std::map<std::string, std::string> read_env_file(const std::filesystem::path& path);

// Runs a command to its end through /bin/sh; returns its exit code and its stdout (the
// command redirects stderr itself where it wants it).
struct CommandResult {
  int code = -1;
  std::string output;
};
CommandResult run_shell(const std::string& command);

bool process_alive(pid_t pid);

// The environment of a process, as the kernel shows it: KEY -> value.
std::map<std::string, std::string> environ_of(pid_t pid);

}  // namespace mepsim::testing
