#pragma once
// `mepsim report merge F… [--json OUT] [--html OUT]`: merges the JSON reports of the
// shards of a scenario run (`mepsim run --shard I/N --json`), or of load generators run
// on several machines (`mepsim load --json`), into one report (harness/report/
// report_merge.h says how), written as JSON and as the HTML page of the run report.
//
// Exit codes: 0 written (failed scenarios or not), 2 bad input — an unreadable file, a
// field of the wrong type, reports of two kinds, overlapping shards — with nothing
// written, 1 an output that could not be written.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace mepsim {

struct ReportMergeOptions {
  std::vector<std::string> files;
  std::optional<std::string> json_path, html_path;
};

// Registers `merge` under the `report` command (report_command.h).
CLI::App* add_report_merge_command(CLI::App& report, ReportMergeOptions& options);
int run_report_merge(const ReportMergeOptions& options);

namespace report_cli {

// The summary goes to `out`; errors and notes (what was merged inexactly) to `err`.
int run_merge_with(const ReportMergeOptions& options, std::FILE* out, std::FILE* err);

}  // namespace report_cli
}  // namespace mepsim
