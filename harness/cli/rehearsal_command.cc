#include "harness/cli/rehearsal_command.h"

#include <fmt/format.h>

#include <cstdlib>

#include "harness/cli/ci_command.h"
#include "harness/cli/exit_code.h"
#include "harness/rehearsal/report_files.h"

namespace mepsim {
namespace {

constexpr const char* kDefaultEnvFile = ".mepsim/env";

Result<std::string> admin_url_of(const RehearsalReportOptions& options) {
  if (!options.env_file) {
    if (const char* from_env = std::getenv("MEPSIM_ADMIN_URL"); from_env && *from_env) {
      return std::string(from_env);
    }
  }
  const std::string path = options.env_file.value_or(kDefaultEnvFile);
  if (!std::filesystem::exists(path)) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("no env file at {}: start the topology with `mepsim up` (or "
                                  "`mepsim shell`), or give --env-file",
                                  path));
  }
  auto entries = ci_cli::read_env_file(path);
  if (!entries) return entries.error();
  const auto found = entries->find("MEPSIM_ADMIN_URL");
  if (found == entries->end() || found->second.empty()) {
    return make_error(ErrorCode::invalid_input, path + " has no MEPSIM_ADMIN_URL");
  }
  return found->second;
}

}  // namespace

CLI::App* add_rehearsal_command(CLI::App& app, RehearsalReportOptions& options) {
  auto* rehearsal = app.add_subcommand(
      "rehearsal", "The rehearsal going on in a running topology (mepsim up, mepsim shell)");
  rehearsal->require_subcommand(1, 1);
  auto* report = rehearsal->add_subcommand(
      "report",
      "Write the rehearsal's report (the procedure's violations so far, the timeline, the "
      "measured session and cache figures) as JSON and HTML, and print the violations");
  report->add_option("--env-file", options.env_file,
                     "The env file of the running topology (default: MEPSIM_ADMIN_URL from the "
                     "environment, else .mepsim/env)");
  report->add_option("--json", options.json_path, "Where to write the JSON report")
      ->capture_default_str();
  report->add_option("--html", options.html_path, "Where to write the HTML report")
      ->capture_default_str();
  return rehearsal;
}

int run_rehearsal(const RehearsalReportOptions& options) {
  auto admin_url = admin_url_of(options);
  if (!admin_url) {
    fmt::print(stderr, "mepsim: error: {}\n", admin_url.error().message);
    return exit_code::bad_input;
  }
  auto document = fetch_rehearsal_report(admin_url.value());
  if (!document) {
    fmt::print(stderr, "mepsim: error: {}\n", document.error().message);
    return exit_code::failure;
  }
  const ReportPaths paths{options.json_path, options.html_path};
  auto written = write_rehearsal_report(document.value(), paths);
  if (!written) {
    fmt::print(stderr, "mepsim: error: {}\n", written.error().message);
    return written.error().code == ErrorCode::invalid_input ? exit_code::bad_input
                                                            : exit_code::failure;
  }
  print_rehearsal_summary(stdout, written.value(), paths);
  return exit_code::ok;
}

}  // namespace mepsim
