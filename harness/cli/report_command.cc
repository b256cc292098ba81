#include "harness/cli/report_command.h"

namespace mepsim {

CLI::App* add_report_command(CLI::App& app) {
  auto* report = app.add_subcommand("report", "Work with a finished run's reports");
  report->require_subcommand(1, 1);
  return report;
}

}  // namespace mepsim
