// `mepsim report merge`: inputs read and checked first (every fault names its file and
// field), then merged by kind. Nothing here writes a file.

#include "harness/report/report_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "harness/report/load_merge.h"
#include "harness/report/merge_fields.h"
#include "sim/core/event_log.h"

namespace mepsim::report {
namespace {

using merge::FieldError;
using merge::Part;
using nlohmann::json;

struct Document {
  std::string file;
  json value;
  ReportKind kind = ReportKind::run;
};

ReportKind kind_of(const std::string& file, const json& value) {
  if (!value.is_object()) {
    throw FieldError(file, "", fmt::format("not a report: a JSON {}", value.type_name()));
  }
  if (const auto tool = value.find("tool"); tool != value.end()) {
    if (*tool != "mepsim") throw FieldError(file, "tool", "not \"mepsim\"");
    return ReportKind::run;
  }
  if (value.contains("latency_histogram")) return ReportKind::load;
  throw FieldError(file, "",
                   "neither a run report (\"tool\": \"mepsim\", from mepsim run --json) nor a "
                   "load report (\"latency_histogram\", from mepsim load --json)");
}

Document parse(const MergeInput& input) {
  Document d{input.file, json(), ReportKind::run};
  try {
    d.value = json::parse(input.text);
  } catch (const json::parse_error& e) {
    throw FieldError(input.file, "", "not JSON: " + merge::plain_message(e));
  }
  d.kind = kind_of(input.file, d.value);
  return d;
}

// run_report_from_json throws without naming the field: find the field that alone makes
// it throw, and quote what the whole document's reading said.
RunReport read_run(const Document& d) {
  const auto read = [](const json& document) {
    json copy = document;
    if (copy.is_object()) copy["tool"] = "mepsim";
    (void)run_report_from_json(copy);
  };
  try {
    return run_report_from_json(d.value);
  } catch (const std::exception& e) {
    throw FieldError(d.file, merge::failing_field(d.value, read), merge::plain_message(e));
  }
}

// The order `mepsim run` takes a folder in: files sorted as paths.
bool library_order(const ScenarioReport& a, const ScenarioReport& b) {
  const std::filesystem::path pa(a.file), pb(b.file);
  if (pa != pb) return pa < pb;
  return a.name < b.name;
}

void check_same(const std::string& field, const std::string& value, const std::string& file,
                const std::string& first_value, const std::string& first_file,
                const std::string& why) {
  if (value == first_value) return;
  throw FieldError(file, field,
                   fmt::format("{} while {} has {}: {}", value, first_file, first_value, why));
}

json run_merge_info(const std::vector<std::string>& files, const std::vector<RunReport>& reports) {
  json out = json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    out.push_back({{"file", files[i]},
                   {"scenarios", reports[i].scenarios.size()},
                   {"passed", reports[i].passed()},
                   {"failed", reports[i].failed()},
                   {"wall_s", reports[i].wall_s}});
  }
  return out;
}

MergedReport merge_run_documents(const std::vector<Document>& documents) {
  std::vector<std::string> files;
  std::vector<RunReport> reports;
  for (const auto& d : documents) {
    files.push_back(d.file);
    reports.push_back(read_run(d));
  }
  auto merged = merge_run_reports(files, reports);
  if (!merged) throw std::invalid_argument(merged.error().message);
  MergedReport out;
  out.kind = ReportKind::run;
  out.model = std::move(merged.value());
  out.json = to_json(out.model);
  out.json["merged_from"] = run_merge_info(files, reports);
  return out;
}

MergedReport merge_load_documents(const std::vector<Document>& documents) {
  std::vector<Part> parts;
  for (const auto& d : documents) parts.push_back(Part{&d.file, &d.value, ""});
  MergedReport out;
  out.kind = ReportKind::load;
  out.json = merge::merge_load_reports(parts, out.notes);
  out.model = merge::load_run_model(out.json);
  return out;
}

}  // namespace

std::string run_fingerprint(const RunReport& r) {
  EventLog log;
  for (const auto& s : r.scenarios) {
    log.publish(Instant{}, Plane::control, "run", "scenario",
                {{"name", s.name}, {"fingerprint", s.fingerprint}});
  }
  return log.fingerprint();
}

Result<RunReport> merge_run_reports(const std::vector<std::string>& files,
                                    const std::vector<RunReport>& reports) {
  if (reports.empty()) return make_error(ErrorCode::invalid_input, "no report to merge");
  try {
    RunReport merged;
    const RunReport& first = reports.front();
    merged.tool_version = first.tool_version;
    merged.seed = first.seed;
    merged.started_at = first.started_at;
    std::map<std::pair<std::string, std::string>, std::string> seen;  // (file, name) → input
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const RunReport& r = reports[i];
      check_same("version", r.tool_version, files[i], first.tool_version, files.front(),
                 "shards of one run come from one mepsim");
      check_same("seed", std::to_string(r.seed), files[i], std::to_string(first.seed),
                 files.front(), "shards of one run share a seed (give each the same --seed)");
      // Shards run side by side: the run began with the first and lasted as the longest.
      merged.started_at = std::min(merged.started_at, r.started_at);
      merged.wall_s = std::max(merged.wall_s, r.wall_s);
      for (std::size_t k = 0; k < r.scenarios.size(); ++k) {
        const auto& s = r.scenarios[k];
        const auto [at, fresh] = seen.emplace(std::pair{s.file, s.name}, files[i]);
        if (!fresh) {
          throw FieldError(files[i], fmt::format("scenarios[{}]", k),
                           fmt::format("scenario {} ({}) is in {} too: the shards overlap", s.name,
                                       s.file, at->second));
        }
        merged.scenarios.push_back(s);
      }
    }
    std::stable_sort(merged.scenarios.begin(), merged.scenarios.end(), library_order);
    merged.fingerprint = run_fingerprint(merged);
    return merged;
  } catch (const FieldError& e) {
    return make_error(ErrorCode::invalid_input, e.str());
  }
}

Result<MergedReport> merge_reports(const std::vector<MergeInput>& inputs) {
  if (inputs.empty()) return make_error(ErrorCode::invalid_input, "no report to merge");
  try {
    std::vector<Document> documents;
    for (const auto& input : inputs) {
      documents.push_back(parse(input));
      const auto& d = documents.back();
      if (d.kind != documents.front().kind) {
        const auto name = [](ReportKind k) { return k == ReportKind::run ? "run" : "load"; };
        throw FieldError(
            d.file, "",
            fmt::format("a {} report, while {} is a {} report: merge one kind", name(d.kind),
                        documents.front().file, name(documents.front().kind)));
      }
    }
    if (documents.front().kind == ReportKind::run) return merge_run_documents(documents);
    return merge_load_documents(documents);
  } catch (const FieldError& e) {
    return make_error(ErrorCode::invalid_input, e.str());
  } catch (const std::invalid_argument& e) {
    return make_error(ErrorCode::invalid_input, e.what());
  }
}

}  // namespace mepsim::report
