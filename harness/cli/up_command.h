#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "harness/topology/topology.h"

namespace mepsim {

struct UpOptions {
  TopologyOptions topology;
  std::string env_file = ".mepsim/env";
  std::optional<std::uint64_t> seed;
};

// Registers `mepsim up` and its flags on `app`, filling `options` when parsed.
CLI::App* add_up_command(CLI::App& app, UpOptions& options);
// Runs until SIGINT/SIGTERM; returns the process exit code.
int run_up(const UpOptions& options);

}  // namespace mepsim
