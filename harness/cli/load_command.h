#pragma once
// `mepsim load (--target URL | --app NAME) [--rate R [--ramp-to R2] | --closed --connections N]
// [--duration D] [--mix anonymous=70,admin=30] [--json F] [--html F]`: the load generator
// (harness/load) from the command line. `--app` reads the app's router URL
// (APP_URL_<APP>) and the fixture password from the env file `mepsim up` wrote. A
// one-line live progress on a terminal; the JSON report to a file or stdout; Ctrl-C
// stops a run with no duration. Against an app of `mepsim up`, each closed second goes to
// its dashboard too (load_dashboard.h; --no-dashboard: not).
//
// Exit codes: 0 the run went, 2 bad input (nothing sent), 1 the target could not be used.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "harness/load/load_options.h"
#include "harness/load/load_report.h"
#include "sim/core/result.h"

namespace mepsim {

struct LoadCommandOptions {
  std::optional<std::string> target;
  std::optional<std::string> app;
  std::string env_file = ".mepsim/env";
  double rate_per_s = 20;
  std::optional<double> ramp_to_rate_per_s;
  bool closed = false;
  int connections = 16;
  int threads = 1;
  std::optional<std::string> duration;    // "30s", "2m"; absent: until Ctrl-C
  std::string mix;                        // "anonymous=70,admin=30"; empty: anonymous only
  std::optional<std::string> path;        // every request a GET of it (comparisons with wrk)
  std::optional<std::string> think_time;  // "2s": the same for every class
  std::optional<std::string> json_file;   // "-": stdout
  std::optional<std::string> html_file;
  std::optional<std::string> database_url;  // where to look up the accepted reports
  std::uint64_t seed = 1;
  // "maintenance-toggle": the maintenance-toggle load test (harness/cli/toggle_preset.h).
  std::optional<std::string> preset;
  int toggle_cycles = 2;
  std::string hold = "10s";
  std::optional<std::string> name;  // the report's and the dashboard's; default "<app>-<pid>"
  bool no_dashboard = false;        // post nothing to `mepsim up`'s dashboard
};

CLI::App* add_load_command(CLI::App& app, LoadCommandOptions& options);
int run_load(const LoadCommandOptions& options);

namespace load_cli {

// "anonymous=70,admin=30" (':' works too); classes by their names, summing to 100.
Result<std::map<scenario::UserClass, double>> parse_mix(std::string_view text);
// The generator's options: the target from --target or the env file, the password from
// the env file (MEPSIM_FIXTURE_PASSWORD) or the environment. invalid_input names the flag.
Result<load::LoadOptions> load_options_of(const LoadCommandOptions& options);
// "12.0 s  2400 req  200 req/s  p99 12.3 ms  5xx 0  errors 0  lost sessions 0"
std::string progress_line(const load::LoadReport& report);

}  // namespace load_cli
}  // namespace mepsim
