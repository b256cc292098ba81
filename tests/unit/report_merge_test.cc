// Unit tests of `mepsim report merge` on run reports (harness/report/report_merge.h): the
// shards of a run merge into the whole run's report, and bad inputs are refused naming the
// file and the field, with nothing written (load_merge_test.cc has the load reports').

#include "harness/report/report_merge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/cli/report_merge_command.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/unit/sample_run_report.h"

namespace mepsim::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A library of `count` scenarios, every third failing, in the order of their files.
RunReport library_run(int count) {
  RunReport whole = testing::sample_run_report();
  const ScenarioReport passing = whole.scenarios[0];
  const ScenarioReport failing = whole.scenarios[1];
  whole.scenarios.clear();
  for (int i = 0; i < count; ++i) {
    ScenarioReport s = i % 3 == 2 ? failing : passing;
    s.name = "scenario-" + std::to_string(10 + i);
    s.file = "scenarios/" + s.name + ".yaml";
    s.fingerprint = std::string(64, static_cast<char>('a' + i % 6));
    whole.scenarios.push_back(std::move(s));
  }
  whole.fingerprint = run_fingerprint(whole);
  return whole;
}

// What `mepsim run --shard I/N` keeps: every N-th scenario from the I-th.
RunReport shard_of(const RunReport& whole, int index, int count) {
  RunReport shard = whole;
  shard.scenarios.clear();
  for (std::size_t i = 0; i < whole.scenarios.size(); ++i) {
    if (static_cast<int>(i) % count == index - 1) shard.scenarios.push_back(whole.scenarios[i]);
  }
  shard.wall_s = 10.0 * index;
  shard.started_at = "2026-11-26T21:04:0" + std::to_string(index) + ".000Z";
  shard.fingerprint = run_fingerprint(shard);
  return shard;
}

MergeInput input_of(const std::string& file, const json& document) {
  return {file, document.dump(2)};
}

TEST(ReportMerge, ShardsMergeIntoTheWholeRun) {
  // Three shards of a seven-scenario run give its scenarios in its order, its counts and
  // its fingerprint; the run's wall time is the longest shard's.
  const RunReport whole = library_run(7);
  std::vector<MergeInput> inputs;
  for (int i = 1; i <= 3; ++i) {
    inputs.push_back(
        input_of("run-" + std::to_string(i) + ".json", to_json(shard_of(whole, i, 3))));
  }
  auto merged = merge_reports(inputs);
  ASSERT_TRUE(merged) << merged.error().message;
  ASSERT_EQ(merged->kind, ReportKind::run);
  const RunReport& r = merged->model;
  ASSERT_EQ(r.scenarios.size(), whole.scenarios.size());
  for (std::size_t i = 0; i < r.scenarios.size(); ++i) {
    EXPECT_EQ(r.scenarios[i].name, whole.scenarios[i].name) << i;
  }
  EXPECT_EQ(r.passed(), whole.passed());
  EXPECT_EQ(r.failed(), whole.failed());
  EXPECT_EQ(r.fingerprint, whole.fingerprint);
  EXPECT_EQ(r.seed, whole.seed);
  EXPECT_DOUBLE_EQ(r.wall_s, 30.0);
  EXPECT_EQ(r.started_at, "2026-11-26T21:04:01.000Z");
  EXPECT_TRUE(merged->notes.empty());
}

TEST(ReportMerge, MergedJsonIsARunReportWithItsInputsListed) {
  // The JSON written reads back as a run report (so merges merge again) and lists the
  // shards with their counts.
  const RunReport whole = library_run(5);
  auto merged = merge_reports({input_of("a.json", to_json(shard_of(whole, 1, 2))),
                               input_of("b.json", to_json(shard_of(whole, 2, 2)))});
  ASSERT_TRUE(merged) << merged.error().message;
  const json& j = merged->json;
  EXPECT_EQ(j["summary"]["scenarios"], 5);
  EXPECT_EQ(j["summary"]["passed"], whole.passed());
  EXPECT_EQ(j["summary"]["failed"], whole.failed());
  ASSERT_EQ(j["merged_from"].size(), 2u);
  EXPECT_EQ(j["merged_from"][0]["file"], "a.json");
  EXPECT_EQ(j["merged_from"][0]["scenarios"], 3);
  EXPECT_EQ(j["merged_from"][1]["scenarios"], 2);
  const RunReport back = run_report_from_json(j);
  EXPECT_EQ(back.fingerprint, whole.fingerprint);
  auto again = merge_reports({input_of("merged.json", j)});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->model.fingerprint, whole.fingerprint);
}

TEST(ReportMerge, OverlappingShardsAreRefused) {
  // The same scenario in two inputs (a shard given twice) is bad input naming both files.
  const RunReport whole = library_run(4);
  const json shard = to_json(shard_of(whole, 1, 2));
  auto merged = merge_reports({input_of("a.json", shard), input_of("b.json", shard)});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(merged.error().message,
            "b.json: field scenarios[0]: scenario scenario-10 (scenarios/scenario-10.yaml) is in "
            "a.json too: the shards overlap");
}

TEST(ReportMerge, ShardsOfAnotherSeedOrVersionAreRefused) {
  // Shards of one run share the seed and the version; the error names the field.
  const RunReport whole = library_run(4);
  RunReport other = shard_of(whole, 2, 2);
  other.seed = 43;
  auto merged = merge_reports(
      {input_of("a.json", to_json(shard_of(whole, 1, 2))), input_of("b.json", to_json(other))});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message.rfind("b.json: field seed: 43 while a.json has 42", 0), 0u)
      << merged.error().message;
  other.seed = whole.seed;
  other.tool_version = "0.5.0";
  merged = merge_reports(
      {input_of("a.json", to_json(shard_of(whole, 1, 2))), input_of("b.json", to_json(other))});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message.rfind("b.json: field version: 0.5.0 while a.json has 0.4.0", 0),
            0u)
      << merged.error().message;
}

TEST(ReportMerge, AFieldOfTheWrongTypeIsNamed) {
  // Deep in a scenario, a step's kind that is a number: the path to it and the reader's
  // complaint.
  const RunReport whole = library_run(4);
  json bad = to_json(shard_of(whole, 2, 2));
  bad["scenarios"][1]["steps"][0]["kind"] = 5;
  auto merged =
      merge_reports({input_of("a.json", to_json(shard_of(whole, 1, 2))), input_of("b.json", bad)});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message,
            "b.json: field scenarios[1].steps[0].kind: type must be string, but is number");
}

TEST(ReportMerge, DocumentsThatAreNoReportAreRefused) {
  // Not JSON, JSON of another shape, and reports of two kinds: each named.
  auto merged = merge_reports({{"a.json", "{\"tool\": \"mepsim\", "}});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message.rfind("a.json: not JSON: ", 0), 0u) << merged.error().message;

  merged = merge_reports({{"c.json", "[1, 2]"}});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message, "c.json: not a report: a JSON array");

  merged = merge_reports({{"d.json", R"({"tool": "other"})"}});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message, "d.json: field tool: not \"mepsim\"");

  merged = merge_reports(
      {input_of("a.json", to_json(library_run(2))), {"load.json", R"({"latency_histogram": {}})"}});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message,
            "load.json: a load report, while a.json is a run report: merge one kind");
}

// ------------------------------------------------------------------------- the command

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

struct CommandRun {
  int code = 0;
  std::string out, err;
};

CommandRun run_merge(const ReportMergeOptions& options) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CommandRun run;
  run.code = report_cli::run_merge_with(options, out, err);
  for (auto [file, text] : {std::pair{out, &run.out}, std::pair{err, &run.err}}) {
    std::rewind(file);
    for (int c; (c = std::fgetc(file)) != EOF;) text->push_back(static_cast<char>(c));
    std::fclose(file);
  }
  return run;
}

TEST(ReportMergeCommand, WritesTheMergedJsonAndHtml) {
  // Two shards on disk merge into a JSON run report and its HTML page; the summary says
  // the counts and the fingerprint.
  auto dir = ScratchDir::create("mepsim-merge-test");
  ASSERT_TRUE(dir);
  const RunReport whole = library_run(6);
  write_text(dir->path() / "run-1.json", to_json(shard_of(whole, 1, 2)).dump());
  write_text(dir->path() / "run-2.json", to_json(shard_of(whole, 2, 2)).dump());
  ReportMergeOptions options;
  options.files = {(dir->path() / "run-1.json").string(), (dir->path() / "run-2.json").string()};
  options.json_path = (dir->path() / "merged.json").string();
  options.html_path = (dir->path() / "merged.html").string();
  const auto run = run_merge(options);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("6 scenario(s), 4 passed, 2 failed"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("fingerprint " + whole.fingerprint), std::string::npos) << run.out;
  const auto back = read_run_report(read_text(*options.json_path));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->scenarios.size(), 6u);
  const auto html = read_text(*options.html_path);
  EXPECT_NE(html.find("data-passed=\"4\" data-failed=\"2\""), std::string::npos);
  for (const auto& s : whole.scenarios) {
    EXPECT_NE(html.find("data-scenario=\"" + s.name + "\""), std::string::npos) << s.name;
  }
}

TEST(ReportMergeCommand, BadInputWritesNothing) {
  // A missing file, a bad field, no output asked, an output folder that does not exist:
  // exit 2, the reason on stderr, no file written.
  auto dir = ScratchDir::create("mepsim-merge-test");
  ASSERT_TRUE(dir);
  const RunReport whole = library_run(4);
  json bad = to_json(shard_of(whole, 2, 2));
  bad["seed"] = "forty-two";
  const auto good_file = (dir->path() / "run-1.json").string();
  const auto bad_file = (dir->path() / "run-2.json").string();
  write_text(good_file, to_json(shard_of(whole, 1, 2)).dump());
  write_text(bad_file, bad.dump());

  ReportMergeOptions options;
  options.json_path = (dir->path() / "merged.json").string();
  options.html_path = (dir->path() / "merged.html").string();
  options.files = {good_file, bad_file};
  auto run = run_merge(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find(bad_file + ": field seed: "), std::string::npos) << run.err;

  options.files = {good_file, (dir->path() / "absent.json").string()};
  run = run_merge(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("absent.json: no such file"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(*options.json_path));
  EXPECT_FALSE(fs::exists(*options.html_path));

  options.files = {good_file};
  options.html_path = (dir->path() / "no-such-folder" / "merged.html").string();
  run = run_merge(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--html: no folder"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(*options.json_path));

  run = run_merge(ReportMergeOptions{{good_file}, std::nullopt, std::nullopt});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("nothing to write"), std::string::npos) << run.err;
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir->path())) {
    left.insert(entry.path().filename().string());
  }
  EXPECT_EQ(left, (std::set<std::string>{"run-1.json", "run-2.json"}));
}

}  // namespace
}  // namespace mepsim::report
