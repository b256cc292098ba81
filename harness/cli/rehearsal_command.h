#pragma once
// `mepsim rehearsal report [--env-file F] [--json F] [--html F]`: the report of the
// rehearsal going on in a running topology (`mepsim up`, `mepsim shell`), fetched from its
// admin API and written as JSON and HTML, with the violations found printed. The admin API
// is MEPSIM_ADMIN_URL from the env file given, else from the environment (a `mepsim shell`
// exports it), else from `.mepsim/env`.
//
// Exit codes: 0 written (violations or not), 1 the topology does not answer, 2 bad input.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace mepsim {

struct RehearsalReportOptions {
  std::optional<std::string> env_file;  // default: the environment, then .mepsim/env
  std::string json_path = ".mepsim/rehearsal-report.json";
  std::string html_path = ".mepsim/rehearsal-report.html";
};

// Registers `mepsim rehearsal` and its `report` subcommand.
CLI::App* add_rehearsal_command(CLI::App& app, RehearsalReportOptions& options);
int run_rehearsal(const RehearsalReportOptions& options);

}  // namespace mepsim
