#pragma once
// What mepsim's commands print and write. `say` lines start with "mepsim: " and are
// flushed one by one: scripts and tests wait on a pipe for "mepsim: ready" or the URL of a
// dashboard. Output files are written whole or not at all.

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <utility>

#include "sim/core/result.h"

namespace mepsim::cli {

template <typename... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print("mepsim: {}\n", fmt::format(format, std::forward<Args>(args)...));
  std::fflush(stdout);
}

// Written beside `path`, then renamed over it: a reader never sees half a report, and a
// failed write leaves the previous file as it was.
Result<void> write_output_file(const std::string& path, const std::string& text);

}  // namespace mepsim::cli
