#pragma once
// Internal to fakes/github: runs `git` and `git http-backend` to their end, with a body on
// stdin and stdout/stderr captured, each bounded, under a real-time timeout.
//
// Not sim/process/ChildProcess: that one sends output to a log file and stdin to
// /dev/null for long-lived servers, while a git query needs its stdout and a CGI needs
// both its stdin and its stdout.

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::fakes::github {

struct ProgramRun {
  std::filesystem::path program;  // absolute
  std::vector<std::string> args;  // without argv[0]
  // The whole environment of the child: nothing of mepsim's own leaks in (GIT_DIR,
  // HOME's ~/.gitconfig, a user's GIT_* variables).
  std::vector<std::pair<std::string, std::string>> env;
  std::string input;                            // stdin, then EOF
  std::size_t output_bytes_max = 16 << 20;      // more stdout: capacity error, child killed
  std::size_t error_bytes_max = 64 << 10;       // stderr beyond this is dropped
  Duration timeout = std::chrono::seconds(30);  // real time; then killed, timeout error
};

struct ProgramOutput {
  int exit_code = 0;  // 128 + signal when a signal ended it
  std::string out;
  std::string err;
};

// Fails (internal / capacity / timeout) only when the program could not run to its end;
// a non-zero exit is a value for the caller to read.
Result<ProgramOutput> run_program(const ProgramRun& run);

}  // namespace mepsim::fakes::github
