#include "harness/rehearsal/report_files.h"

#include <fmt/format.h>
#include <httplib.h>

#include <fstream>

#include "harness/rehearsal/rehearsal_monitor.h"
#include "harness/rehearsal/rehearsal_report.h"

namespace mepsim {
namespace {

using nlohmann::json;

Result<void> write_text(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return make_error(ErrorCode::invalid_input, "cannot write " + path.string());
  return {};
}

std::string ratio_text(const json& pool) {
  if (!pool.is_object() || !pool.contains("hit_ratio") || !pool["hit_ratio"].is_number()) {
    return "no lookups";
  }
  return fmt::format("{:.0f}% hits ({} of {})", 100 * pool["hit_ratio"].get<double>(),
                     pool.value("hits", 0), pool.value("hits", 0) + pool.value("misses", 0));
}

// One line of the figures every running web container gave.
std::string figures_line(const json& measurements) {
  if (!measurements.is_object() || !measurements.contains("total")) return {};
  const json& total = measurements["total"];
  if (!total.is_object()) return {};
  const json sessions = total.value("sessions", json::object());
  const json cache = total.value("cache", json::object());
  return fmt::format(
      "measured: {} requests; sessions {} read, {} written; app cache {}; system "
      "cache {}",
      total.value("requests", 0), sessions.value("reads", 0), sessions.value("writes", 0),
      ratio_text(cache.value("app", json())), ratio_text(cache.value("system", json())));
}

}  // namespace

Result<json> fetch_rehearsal_report(const std::string& admin_url) {
  httplib::Client client(admin_url);
  client.set_tcp_nodelay(true);  // without it each response stalls ~40 ms (DESIGN.md)
  client.set_connection_timeout(std::chrono::seconds(2));
  // Building the report reads every web container's figures, each within a second.
  client.set_read_timeout(std::chrono::seconds(60));
  const std::string path = std::string("/_mepsim/") + kRehearsalDocument;
  auto result = client.Get(path);
  if (!result) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("the topology at {} does not answer ({})", admin_url,
                                  httplib::to_string(result.error())));
  }
  if (result->status == 404) {
    return make_error(ErrorCode::not_found,
                      fmt::format("{} serves no rehearsal report ({})", admin_url, path));
  }
  if (result->status != 200) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("GET {}{}: HTTP {}", admin_url, path, result->status));
  }
  auto document = json::parse(result->body, nullptr, false);
  if (document.is_discarded()) {
    return make_error(ErrorCode::unavailable, "GET " + admin_url + path + ": the body is not JSON");
  }
  return document;
}

Result<report::RunReport> write_rehearsal_report(const json& document, const ReportPaths& paths) {
  report::RunReport report;
  try {
    report = report::run_report_from_json(document);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable,
                      std::string("the topology's answer is not a report: ") + e.what());
  }
  if (auto written = write_text(paths.json, document.dump(2) + "\n"); !written) {
    return written.error();
  }
  if (auto written = write_text(paths.html, report::to_html(report)); !written) {
    return written.error();
  }
  return report;
}

void print_rehearsal_summary(std::FILE* out, const report::RunReport& report,
                             const ReportPaths& paths) {
  std::size_t count = 0;
  for (const auto& scenario : report.scenarios) count += scenario.violations.size();
  fmt::print(out, "mepsim: {}\n",
             count == 0 ? std::string("no violation of the procedure's rules")
                        : fmt::format("{} violation{} of the procedure's rules", count,
                                      count == 1 ? "" : "s"));
  for (const auto& scenario : report.scenarios) {
    for (const auto& v : scenario.violations) fmt::print(out, "mepsim: {}\n", violation_line(v));
    if (const auto line = figures_line(scenario.measurements); !line.empty()) {
      fmt::print(out, "mepsim: {}\n", line);
    }
  }
  fmt::print(out, "mepsim: report {}\n", paths.json.string());
  fmt::print(out, "mepsim: report {}\n", paths.html.string());
  std::fflush(out);
}

}  // namespace mepsim
