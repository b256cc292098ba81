// mepsim: rehearse a production release of a Scalingo-hosted app on one machine.

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "harness/cli/check_command.h"
#include "harness/cli/ci_command.h"
#include "harness/cli/exit_code.h"
#include "harness/cli/load_command.h"
#include "harness/cli/rehearsal_command.h"
#include "harness/cli/report_command.h"
#include "harness/cli/report_merge_command.h"
#include "harness/cli/report_open_command.h"
#include "harness/cli/run_command.h"
#include "harness/cli/shell_command.h"
#include "harness/cli/shutdown_signal.h"
#include "harness/cli/up_command.h"
#include "harness/scalingo_cli/scalingo_command.h"

#ifndef MEPSIM_VERSION
#error "MEPSIM_VERSION comes from CMake"
#endif

namespace {

// The usage of the deepest command the user reached: `mepsim up --bogus` shows up's.
const CLI::App* deepest_command(const CLI::App& app) {
  for (const auto* sub : app.get_subcommands()) return deepest_command(*sub);
  return &app;
}

}  // namespace

int main(int argc, char** argv) {
  mepsim::block_shutdown_signals();
  CLI::App app{
      "mepsim rehearses the production release of a Scalingo-hosted web app "
      "(router, web containers, real MariaDB and Redis, fakes of Scalingo, GitHub "
      "and the app's third parties) on one machine.",
      "mepsim"};
  app.set_version_flag("--version", std::string("mepsim ") + MEPSIM_VERSION);
  app.require_subcommand(1, 1);
  app.footer("Run 'mepsim <command> --help' for a command's flags.");

  mepsim::UpOptions up_options;
  auto* up = mepsim::add_up_command(app, up_options);
  mepsim::ScalingoOptions scalingo_options;
  auto* scalingo = mepsim::add_scalingo_command(app, scalingo_options);
  mepsim::CiOptions ci_options;
  auto* ci = mepsim::add_ci_command(app, ci_options);
  mepsim::CheckOptions check_options;
  auto* check = mepsim::add_check_command(app, check_options);
  mepsim::RunOptions run_options;
  auto* run = mepsim::add_run_command(app, run_options);
  mepsim::ShellOptions shell_options;
  auto* shell = mepsim::add_shell_command(app, shell_options);
  mepsim::LoadCommandOptions load_options;
  auto* load = mepsim::add_load_command(app, load_options);
  mepsim::RehearsalReportOptions rehearsal_options;
  auto* rehearsal = mepsim::add_rehearsal_command(app, rehearsal_options);
  auto* report = mepsim::add_report_command(app);
  // `report open` (its own file) sits beside the commands report_command.h registers.
  mepsim::ReportOpenOptions report_open_options;
  auto* report_open = mepsim::add_report_open_command(*report, report_open_options);
  mepsim::ReportMergeOptions report_merge_options;
  auto* report_merge = mepsim::add_report_merge_command(*report, report_merge_options);
  // Started through the `scalingo` symlink, the arguments are those of `mepsim scalingo`.
  const auto arguments = mepsim::busybox_arguments(argc, argv);

  try {
    app.parse(static_cast<int>(arguments.size()), arguments.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "mepsim: error: {}\n\n{}", e.what(), deepest_command(app)->help());
    return mepsim::exit_code::bad_input;
  }
  if (*up) return mepsim::run_up(up_options);
  if (*scalingo) return mepsim::run_scalingo(*scalingo, scalingo_options);
  if (*ci) return mepsim::run_ci(ci_options);
  if (*run) return mepsim::run_run(run_options);
  if (*check) return mepsim::run_check(check_options);
  if (*shell) return mepsim::run_shell(shell_options);
  if (*rehearsal) return mepsim::run_rehearsal(rehearsal_options);
  if (*load) return mepsim::run_load(load_options);
  if (*report_open) return mepsim::run_report_open(report_open_options);
  if (*report_merge) return mepsim::run_report_merge(report_merge_options);
  return mepsim::exit_code::bad_input;  // unreachable: one subcommand is required
}
