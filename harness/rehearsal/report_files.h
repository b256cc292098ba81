#pragma once
// What `mepsim rehearsal report` and leaving `mepsim shell` do with a rehearsal's report:
// fetch it from the running topology's admin API, write it as JSON and as the HTML page,
// and say which rules were broken and where the files are.

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/report/run_report.h"
#include "sim/core/result.h"

namespace mepsim {

struct ReportPaths {
  std::filesystem::path json;
  std::filesystem::path html;
};

// The report the topology behind `admin_url` (MEPSIM_ADMIN_URL) serves. `unavailable` when
// nothing answers there, `not_found` when it serves no rehearsal report.
Result<nlohmann::json> fetch_rehearsal_report(const std::string& admin_url);

// Writes `document` and its HTML page (folders made as needed); the report read back.
// unavailable when the document is not a report, invalid_input when a file cannot be
// written.
Result<report::RunReport> write_rehearsal_report(const nlohmann::json& document,
                                                 const ReportPaths& paths);

// "mepsim: 2 violations" and one line each, the measured figures, the files' paths.
void print_rehearsal_summary(std::FILE* out, const report::RunReport& report,
                             const ReportPaths& paths);

}  // namespace mepsim
