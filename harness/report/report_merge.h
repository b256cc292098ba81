#pragma once
// `mepsim report merge`'s logic: JSON reports of one kind made apart — the shards of a
// scenario run (`mepsim run --shard I/N --json`) or load generators on several machines
// (`mepsim load --json`) — merged into one report, written as JSON and rendered to HTML by
// the run report's writer.
//
// Run reports: the union of the scenarios, in the order of their files (the order
// `mepsim run` takes a folder in), so that the shards of one run merge into the report of
// the whole run, fingerprint included. The shards must share the tool version and the seed;
// a scenario in two inputs is refused (overlapping shards).
//
// Load reports (harness/load/load_report.h's JSON): counts added, the run's latency
// histograms added bucket by bucket and its percentiles read again from the sum (exact);
// per-second series aligned by second and added. A group without its own histogram
// (per class, route, phase, second) gets an upper bound of each percentile — the highest
// of its inputs', rounded up to its histogram bucket's edge (1% at most), and no more than
// the exact maximum — listed in the notes and in `merge.percentiles_upper_bound`.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/report/run_report.h"
#include "sim/core/result.h"

namespace mepsim::report {

struct MergeInput {
  std::string file;  // as the user named it: errors quote it
  std::string text;
};

enum class ReportKind { run, load };

struct MergedReport {
  ReportKind kind = ReportKind::run;
  nlohmann::json json;             // what --json writes
  RunReport model;                 // what --html renders
  std::vector<std::string> notes;  // what could not be merged exactly, and why
};

// invalid_input naming the file and the field ("b.json: field seed: …") on any bad input.
Result<MergedReport> merge_reports(const std::vector<MergeInput>& inputs);

// The run reports' merge alone, on reports already read ("files" names them for errors).
Result<RunReport> merge_run_reports(const std::vector<std::string>& files,
                                    const std::vector<RunReport>& reports);

// The run's fingerprint: its scenarios' own, in order, hashed as control-plane events.
std::string run_fingerprint(const RunReport& report);

}  // namespace mepsim::report
