#include "harness/cli/check_command.h"

#include <fmt/format.h>

#include "harness/cli/exit_code.h"
#include "harness/scenario/scenario_parser.h"

namespace mepsim {
namespace check_cli {

int run_check_with(const CheckOptions& options, std::FILE* out, std::FILE* err) {
  const auto files = scenario::scenario_files(options.paths);
  if (!files) {
    fmt::print(err, "mepsim: {}\n", files.error().message);
    return exit_code::bad_input;
  }
  if (files->empty()) {
    fmt::print(err, "mepsim: no scenario file (*.yaml, *.yml) in {}\n",
               fmt::join(options.paths, ", "));
    return exit_code::bad_input;
  }
  std::size_t error_count = 0;
  std::size_t bad_files = 0;
  for (const auto& file : *files) {
    const auto outcome = scenario::parse_scenario_file(file);
    for (const auto& error : outcome.errors) fmt::print(err, "{}\n", error.str());
    error_count += outcome.errors.size();
    if (!outcome.errors.empty()) ++bad_files;
  }
  if (error_count > 0) {
    fmt::print(err, "mepsim: {} error(s) in {} file(s)\n", error_count, bad_files);
    return exit_code::bad_input;
  }
  fmt::print(out, "mepsim: {} scenario(s) valid\n", files->size());
  return exit_code::ok;
}

}  // namespace check_cli

CLI::App* add_check_command(CLI::App& app, CheckOptions& options) {
  auto* check = app.add_subcommand(
      "check", "Check scenario files without running them: every mistake as file:line:col");
  check->add_option("paths", options.paths, "Scenario files, or folders of them")->required();
  return check;
}

int run_check(const CheckOptions& options) {
  return check_cli::run_check_with(options, stdout, stderr);
}

}  // namespace mepsim
