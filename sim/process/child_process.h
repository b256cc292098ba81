#pragma once
// A real child process: a datastore server, a web container, a one-off command. It runs
// in its own process group (a Ctrl-C in the terminal reaches mepsim only, which then
// stops its children in order) and dies with mepsim if mepsim is killed. The kernel ties
// that death signal to the *thread* that spawned it: spawn from threads that live as
// long as the child should.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim {

struct SpawnSpec {
  std::filesystem::path program;  // absolute, or resolved with find_program first
  std::vector<std::string> args;  // without argv[0]
  // Added to (or replacing in) mepsim's own environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::filesystem::path log_path;     // stdout and stderr, appended
  std::filesystem::path working_dir;  // empty: mepsim's
};

struct ExitStatus {
  int code = 0;    // exit code, or 128 + signal like a shell reports it
  int signal = 0;  // the signal that ended it, 0 when it exited
};

class ChildProcess {
 public:
  // Fails at once when the program cannot be executed; the error names it.
  static Result<ChildProcess> spawn(const SpawnSpec& spec);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills a child still running (SIGKILL) and reaps it: no process outlives its owner.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::string& name() const { return name_; }
  // Reaps the child if it has exited; never blocks.
  std::optional<ExitStatus> poll_exit();
  // Waits at most `timeout` of real time for the child to exit.
  std::optional<ExitStatus> wait_exit(Duration timeout);
  // SIGTERM, then SIGKILL once `grace` has passed; returns how it ended.
  ExitStatus stop(Duration grace);
  void send_signal(int signal_number);

 private:
  ChildProcess(pid_t pid, int pidfd, std::string name);
  void release();

  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::string name_;
  std::optional<ExitStatus> exit_;
};

// The program's path: `name` itself when it holds a '/', else the first executable
// match on PATH, then in /usr/local/sbin, /usr/sbin and /sbin (server binaries live
// there and a non-root PATH often lacks them).
Result<std::filesystem::path> find_program(const std::string& name);

// The last `lines_max` lines of a log file, for error messages, each behind "  | ". With a
// `marker`, the lines holding it come first, wherever they are: a server's real complaint
// is often followed by pages of generic advice.
std::string tail_of_file(const std::filesystem::path& path, std::size_t lines_max,
                         std::string_view marker = {});

}  // namespace mepsim
