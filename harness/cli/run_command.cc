#include "harness/cli/run_command.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <charconv>
#include <fstream>

#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/report/report_merge.h"
#include "harness/report/run_report.h"
#include "harness/runner/progress_printer.h"
#include "harness/runner/scenario_runner.h"
#include "harness/scenario/scenario_parser.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"

#ifndef MEPSIM_VERSION
#define MEPSIM_VERSION "dev"
#endif

namespace mepsim {
namespace {

// Every file parsed before anything runs; all errors of all files, then exit 2.
std::optional<std::vector<scenario::Scenario>> parse_all(const std::vector<std::string>& paths) {
  auto files = scenario::scenario_files(paths);
  if (!files) {
    fmt::print(stderr, "mepsim: {}\n", files.error().message);
    return std::nullopt;
  }
  std::vector<scenario::Scenario> scenarios;
  std::size_t errors = 0;
  for (const auto& file : files.value()) {
    auto parsed = scenario::parse_scenario_file(file);
    for (const auto& e : parsed.errors) fmt::print(stderr, "{}\n", e.str());
    errors += parsed.errors.size();
    if (parsed.scenario) scenarios.push_back(std::move(*parsed.scenario));
  }
  if (errors > 0) {
    fmt::print(stderr, "mepsim: {} error(s): nothing was run\n", errors);
    return std::nullopt;
  }
  if (scenarios.empty()) {
    fmt::print(stderr, "mepsim: no scenario found in the paths given\n");
    return std::nullopt;
  }
  return scenarios;
}

int write_reports(const RunOptions& options, const report::RunReport& r) {
  std::vector<std::pair<std::string, std::string>> written;
  auto one = [&](const std::optional<std::string>& path, const char* kind, auto render) {
    if (!path) return true;
    if (auto ok = cli::write_output_file(*path, render()); !ok) {
      fmt::print(stderr, "mepsim: {}\n", ok.error().message);
      return false;
    }
    written.emplace_back(kind, *path);
    return true;
  };
  bool ok = one(options.junit_path, "junit", [&] { return report::to_junit_xml(r); });
  ok = one(options.json_path, "json", [&] { return report::to_json(r).dump(2) + "\n"; }) && ok;
  ok = one(options.html_path, "html", [&] { return report::to_html(r); }) && ok;
  for (const auto& [kind, path] : written) cli::say("report {} {}", kind, path);
  return ok ? exit_code::ok : exit_code::failure;
}

}  // namespace

namespace run_cli {

Result<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard shard;
  auto number = [](std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), shard.index) ||
      !number(std::string_view(text).substr(slash + 1), shard.count) || shard.count < 1 ||
      shard.index < 1 || shard.index > shard.count) {
    return make_error(ErrorCode::invalid_input,
                      "--shard: '" + text + "' is not I/N with 1 ≤ I ≤ N (e.g. 2/4)");
  }
  return shard;
}

std::vector<const scenario::Scenario*> select(const std::vector<scenario::Scenario>& all,
                                              const std::optional<std::string>& filter,
                                              const Shard& shard) {
  std::vector<const scenario::Scenario*> matching;
  for (const auto& s : all) {
    if (!filter || fnmatch(filter->c_str(), s.name.c_str(), 0) == 0) matching.push_back(&s);
  }
  std::vector<const scenario::Scenario*> mine;
  for (std::size_t i = 0; i < matching.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index - 1) {
      mine.push_back(matching[i]);
    }
  }
  return mine;
}

}  // namespace run_cli

CLI::App* add_run_command(CLI::App& app, RunOptions& options) {
  auto* run = app.add_subcommand("run", "Run scenario files (or folders of them) and report");
  run->add_option("paths", options.paths, "Scenario files or folders")->required();
  run->add_option("--seed", options.seed, "The run's seed (default: a fresh one, printed first)");
  run->add_option("--filter", options.filter, "Only the scenarios whose name matches this glob");
  run->add_option("--shard", options.shard, "I/N: this machine's share of the scenarios");
  run->add_option("--junit", options.junit_path, "Write a JUnit XML report here");
  run->add_option("--json", options.json_path, "Write the JSON report (everything) here");
  run->add_option("--html", options.html_path, "Write the HTML report here");
  run->add_option("--time-scale", options.time_scale,
                  "Waits take real time at this speed-up (default 0: waits take none)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--web-binary", options.web_binary, "The web containers' program");
  run->add_option("--mysql-url", options.mysql_url, "Use this MySQL/MariaDB server");
  run->add_option("--redis-url", options.redis_url, "Use this Redis server");
  return run;
}

int run_run(const RunOptions& options) {
  run_cli::Shard shard;
  if (options.shard) {
    auto parsed = run_cli::parse_shard(*options.shard);
    if (!parsed) {
      fmt::print(stderr, "mepsim: {}\n", parsed.error().message);
      return exit_code::bad_input;
    }
    shard = parsed.value();
  }
  auto scenarios = parse_all(options.paths);
  if (!scenarios) return exit_code::bad_input;
  const auto selected = run_cli::select(*scenarios, options.filter, shard);

  RealClock real_clock;
  report::RunReport r;
  r.tool_version = MEPSIM_VERSION;
  r.seed = options.seed.value_or(Rng::fresh_seed());
  r.started_at = format_iso8601(real_clock.now());
  cli::say("seed {}", r.seed);
  cli::say("{} scenario(s) to run", selected.size());

  runner::ProgressPrinter progress(stdout, isatty(STDOUT_FILENO) == 1, real_clock);
  runner::RunnerOptions runner_options;
  runner_options.seed = options.seed;
  runner_options.run_seed = r.seed;
  runner_options.time_scale = options.time_scale;
  runner_options.mepsim_binary = std::filesystem::read_symlink("/proc/self/exe");
  runner_options.web_binary = options.web_binary;
  runner_options.mysql_url = options.mysql_url;
  runner_options.redis_url = options.redis_url;
  runner_options.on_progress = [&](const runner::StepProgress& p) { progress.step(p); };
  const Instant started = real_clock.now();
  for (std::size_t i = 0; i < selected.size(); ++i) {
    progress.scenario_started(*selected[i], i, selected.size());
    r.scenarios.push_back(runner::run_scenario(*selected[i], runner_options, real_clock));
    progress.scenario_finished(r.scenarios.back());
  }
  r.wall_s = std::chrono::duration<double>(real_clock.now() - started).count();
  r.fingerprint = report::run_fingerprint(r);
  const int written = write_reports(options, r);
  cli::say("{} passed, {} failed in {:.1f} s", r.passed(), r.failed(), r.wall_s);
  cli::say("fingerprint {}", r.fingerprint);
  if (r.failed() > 0) return exit_code::failure;
  return written;
}

}  // namespace mepsim
