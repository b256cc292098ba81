#pragma once
// Where the commands write, and the real CLI's prefixes: "-----> " for a status line,
// " !     " for an error (the CLI's io/status.go). Lines are flushed as they are written,
// since `deployment-follow` streams and scripts read both streams as they come.

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <utility>

namespace mepsim::scalingo_cli {

struct Console {
  std::FILE* out = stdout;
  std::FILE* err = stderr;

  template <typename... Args>
  void print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::print(out, format, std::forward<Args>(args)...);
    std::fflush(out);
  }
  template <typename... Args>
  void print_err(fmt::format_string<Args...> format, Args&&... args) {
    fmt::print(err, format, std::forward<Args>(args)...);
    std::fflush(err);
  }
  // "-----> message" on stdout.
  void status(const std::string& message) { print("-----> {}\n", message); }
  // " !     message" on stderr; the lines after the first are written as they are, as
  // the real CLI does for the API's multi-line errors (422 field lists).
  void error(const std::string& message) { print_err(" !     {}\n", message); }
};

// Exit codes: 1 for anything refused or failed once requests were sent (the real CLI exits
// 1 on every API error), 2 when the user's input is wrong and nothing was sent.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace mepsim::scalingo_cli
