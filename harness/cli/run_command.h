#pragma once
// `mepsim run PATH… [--seed N] [--filter GLOB] [--shard I/N] [--junit F] [--json F]
// [--html F] [--time-scale X]`: parses every scenario first (any error: all of them shown,
// exit 2, nothing run), then runs each on a topology of its own. The seed is printed first
// and the fingerprint last. Exit 0 when all passed, 1 when one failed, 2 on bad input.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim {

struct RunOptions {
  std::vector<std::string> paths;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> filter;  // a glob on scenario names
  std::optional<std::string> shard;   // "I/N", 1-based
  std::optional<std::string> junit_path, json_path, html_path;
  double time_scale = 0;
  std::optional<std::string> web_binary, mysql_url, redis_url;
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);
int run_run(const RunOptions& options);

namespace run_cli {

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
};
Result<Shard> parse_shard(const std::string& text);

// The scenarios a run takes, in order: those whose name matches `filter`, then the
// shard's share — every count-th one from the index-th, so that the shards of a library
// are disjoint and together make all of it.
std::vector<const scenario::Scenario*> select(const std::vector<scenario::Scenario>& all,
                                              const std::optional<std::string>& filter,
                                              const Shard& shard);

}  // namespace run_cli
}  // namespace mepsim
