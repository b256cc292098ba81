#include "harness/cli/report_merge_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/report/report_merge.h"

namespace mepsim {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return make_error(ErrorCode::invalid_input, path + ": no such file");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return make_error(ErrorCode::invalid_input, path + ": cannot be read");
  return text.str();
}

// An output whose folder is missing is bad input, found before anything is written.
Result<void> check_output(const std::optional<std::string>& path, const char* flag) {
  if (!path) return {};
  const fs::path folder = fs::path(*path).parent_path();
  std::error_code ec;
  if (!folder.empty() && !fs::is_directory(folder, ec)) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}: no folder {} to write {} in", flag, folder.string(), *path));
  }
  return {};
}

void print_summary(const report::MergedReport& merged, std::size_t inputs, std::FILE* out) {
  if (merged.kind == report::ReportKind::run) {
    const auto& r = merged.model;
    fmt::print(out, "mepsim: merged {} run report(s): {} scenario(s), {} passed, {} failed\n",
               inputs, r.scenarios.size(), r.passed(), r.failed());
    fmt::print(out, "mepsim: fingerprint {}\n", r.fingerprint);
    return;
  }
  const auto& j = merged.json;
  fmt::print(out, "mepsim: merged {} load report(s): {} requests in {:.1f} s, p99 {:.2f} ms\n",
             inputs, j.at("requests").get<std::int64_t>(), j.at("duration_s").get<double>(),
             j.at("latency_ms").at("p99").get<double>());
}

}  // namespace

namespace report_cli {

int run_merge_with(const ReportMergeOptions& options, std::FILE* out, std::FILE* err) {
  const auto bad = [&](const std::string& message) {
    fmt::print(err, "mepsim report merge: {}\n", message);
    return exit_code::bad_input;
  };
  if (!options.json_path && !options.html_path) {
    return bad("nothing to write: give --json OUT and/or --html OUT");
  }
  for (const auto& [path, flag] :
       {std::pair{options.json_path, "--json"}, std::pair{options.html_path, "--html"}}) {
    if (auto ok = check_output(path, flag); !ok) return bad(ok.error().message);
  }
  std::vector<report::MergeInput> inputs;
  for (const auto& file : options.files) {
    auto text = read_file(file);
    if (!text) return bad(text.error().message);
    inputs.push_back({file, std::move(text.value())});
  }
  auto merged = report::merge_reports(inputs);
  if (!merged) return bad(merged.error().message);
  for (const auto& note : merged->notes) fmt::print(err, "mepsim report merge: note: {}\n", note);

  int code = exit_code::ok;
  const auto write = [&](const std::optional<std::string>& path, const char* kind, auto render) {
    if (!path) return;
    if (auto written = cli::write_output_file(*path, render()); !written) {
      fmt::print(err, "mepsim report merge: {}\n", written.error().message);
      code = exit_code::failure;
      return;
    }
    fmt::print(out, "mepsim: report {} {}\n", kind, *path);
  };
  write(options.json_path, "json", [&] { return merged->json.dump(2) + "\n"; });
  write(options.html_path, "html", [&] { return report::to_html(merged->model); });
  print_summary(merged.value(), inputs.size(), out);
  return code;
}

}  // namespace report_cli

CLI::App* add_report_merge_command(CLI::App& report, ReportMergeOptions& options) {
  auto* merge = report.add_subcommand(
      "merge",
      "Merge the JSON reports of a run's shards (mepsim run --shard I/N --json) or of load "
      "generators on several machines (mepsim load --json) into one JSON and HTML report");
  merge->add_option("files", options.files, "JSON reports, all of one kind")->required();
  merge->add_option("--json", options.json_path, "Write the merged JSON report here");
  merge->add_option("--html", options.html_path, "Write the merged HTML report here");
  return merge;
}

int run_report_merge(const ReportMergeOptions& options) {
  return report_cli::run_merge_with(options, stdout, stderr);
}

}  // namespace mepsim
