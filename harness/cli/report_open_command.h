#pragma once
// `mepsim report open F.json [--port P] [--address A]`: serves the dashboard's page on a
// finished run's JSON report (what `mepsim run --json` or `mepsim rehearsal report`
// writes), so that a CI artefact is read the way a live rehearsal is; or on a load report
// (`mepsim load --json`), whose per-second series it draws as a running load's is drawn.
// Prints the URL and serves until SIGINT or SIGTERM.
//
// Exit codes: 0 after Ctrl-C, 2 a file that is neither report or a port that cannot be
// listened on, 1 anything else.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace mepsim {

struct ReportOpenOptions {
  std::string report_file;
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free one
};

// Registers `open` under the `report` command (report_command.h).
CLI::App* add_report_open_command(CLI::App& report, ReportOpenOptions& options);
int run_report_open(const ReportOpenOptions& options);

}  // namespace mepsim
