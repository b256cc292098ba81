#include "harness/cli/report_open_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/cli/shutdown_signal.h"
#include "harness/dashboard/dashboard_feed.h"
#include "harness/dashboard/dashboard_server.h"
#include "harness/dashboard/load_report_dashboard.h"
#include "harness/dashboard/report_dashboard.h"
#include "harness/report/run_report.h"

namespace mepsim {

using cli::say;
namespace {

struct OpenedReport {
  std::string snapshot_json;
  std::string summary;  // "3 scenarios, 2 passed, 1 failed"
};

// A run report (mepsim run --json, mepsim rehearsal report) or a load report (mepsim load
// --json), told apart as `mepsim report merge` does.
Result<OpenedReport> read_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::invalid_input, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  const auto document = nlohmann::json::parse(text.str(), nullptr, false);
  if (dashboard::is_load_report(document)) {
    auto snapshot = dashboard::load_report_snapshot_json(document);
    if (!snapshot) return snapshot.error().context(path + " is not a load report");
    return OpenedReport{std::move(snapshot).value(),
                        fmt::format("a load of {} seconds",
                                    document.value("series", nlohmann::json::array()).size())};
  }
  auto parsed = report::read_run_report(text.str());
  if (!parsed) return parsed.error().context(path + " is not a run report");
  const auto& run = parsed.value();
  return OpenedReport{dashboard::report_snapshot_json(run),
                      fmt::format("{} scenarios, {} passed, {} failed", run.scenarios.size(),
                                  run.passed(), run.failed())};
}

}  // namespace

CLI::App* add_report_open_command(CLI::App& report, ReportOpenOptions& options) {
  auto* open = report.add_subcommand(
      "open",
      "Serve the dashboard's page on a finished run's JSON report (mepsim run --json, "
      "mepsim rehearsal report, mepsim load --json) until Ctrl-C");
  open->add_option("report", options.report_file, "The run's JSON report")->required();
  open->add_option("--port", options.port, "Listen on this port (default: a free one)");
  open->add_option("--address", options.address, "Listen on this address")->capture_default_str();
  return open;
}

int run_report_open(const ReportOpenOptions& options) {
  auto run = read_report_file(options.report_file);
  if (!run) {
    fmt::print(stderr, "mepsim: error: {}\n", run.error().message);
    return exit_code::bad_input;
  }
  const dashboard::FixedSnapshot snapshot(run.value().snapshot_json);
  dashboard::DashboardFeed feed;  // nothing is published: a report does not change
  dashboard::DashboardServer server(feed, snapshot, {options.address, options.port});
  if (auto started = server.start(); !started) {
    fmt::print(stderr, "mepsim: error: {}\n", started.error().message);
    return exit_code::bad_input;
  }
  say("dashboard {}  (report {}: {})", server.url(), options.report_file, run.value().summary);
  say("serving until Ctrl-C");
  const int signal_number = wait_for_shutdown_signal();
  const char* signal_name = sigabbrev_np(signal_number);
  say("SIG{} received, stopping", signal_name != nullptr ? signal_name : "?");
  server.stop();
  return exit_code::ok;
}

}  // namespace mepsim
