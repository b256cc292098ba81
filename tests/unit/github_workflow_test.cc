// Unit tests of compose/github-actions.yml, the example workflow: it parses as YAML, has
// the image job, a matrix job running the library by shards and uploading its reports,
// and a merge job needing it; and the mepsim commands it runs parse with mepsim's own
// command line, flags and URLs alike.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "harness/cli/report_command.h"
#include "harness/cli/report_merge_command.h"
#include "harness/cli/run_command.h"
#include "harness/scenario/shell_words.h"
#include "sim/datastore/datastore_url.h"

namespace mepsim {
namespace {

const std::string kWorkflow = std::string(MEPSIM_SOURCE_DIR) + "/compose/github-actions.yml";

YAML::Node workflow() {
  return YAML::LoadFile(kWorkflow);
}

// The `run:` scripts of a job's steps, and the `uses:` of the others.
std::vector<std::string> scripts(const YAML::Node& job) {
  std::vector<std::string> out;
  for (const auto& step : job["steps"]) {
    if (step["run"]) out.push_back(step["run"].as<std::string>());
  }
  return out;
}

std::vector<YAML::Node> steps_using(const YAML::Node& job, const std::string& action) {
  std::vector<YAML::Node> out;
  for (const auto& step : job["steps"]) {
    if (step["uses"] && step["uses"].as<std::string>().starts_with(action + "@")) {
      out.push_back(step);
    }
  }
  return out;
}

std::string script_with(const YAML::Node& job, const std::string& text) {
  for (const auto& s : scripts(job)) {
    if (s.find(text) != std::string::npos) return s;
  }
  ADD_FAILURE() << "no step of the job runs '" << text << "'";
  return "";
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// mepsim's arguments in a script: the words after `after` (the compose service or the
// image), with the workflow's expressions given sample values.
std::vector<std::string> mepsim_arguments(std::string script, const std::string& after) {
  replace_all(script, "\\\n", " ");
  replace_all(script, "${{ github.run_id }}", "8123456789");
  replace_all(script, "${{ matrix.shard }}", "3");
  replace_all(script, "$SHARD", "3/4");
  const auto line = script.substr(script.find(after));
  auto words = scenario::split_shell_words(line.substr(0, line.find('\n')));
  EXPECT_TRUE(words) << words.error().message;
  if (!words || words->empty()) return {};
  return {words->begin() + 1, words->end()};
}

// Parses `arguments` as mepsim's command line would, with the command `add` registers.
template <typename Options, typename Add>
void parse_as_mepsim(std::vector<std::string> arguments, Options& options, Add add) {
  CLI::App app{"mepsim"};
  app.require_subcommand(1, 1);
  add(app, options);
  std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last first
  app.parse(arguments);
}

TEST(GithubWorkflow, HasTheImageTheShardsAndTheMergeJobs) {
  // Three jobs: the image, the shards (a matrix of consecutive shard numbers), and the
  // merge, which needs the shards and runs even when one of them failed.
  const auto jobs = workflow()["jobs"];
  ASSERT_TRUE(jobs.IsMap());
  ASSERT_TRUE(jobs["image"]) << "no image job";
  ASSERT_TRUE(jobs["scenarios"]) << "no shard job";
  ASSERT_TRUE(jobs["report"]) << "no merge job";
  EXPECT_EQ(jobs["scenarios"]["needs"].as<std::string>(), "image");
  const auto shards = jobs["scenarios"]["strategy"]["matrix"]["shard"];
  ASSERT_TRUE(shards.IsSequence());
  ASSERT_GE(shards.size(), 2u);
  for (std::size_t i = 0; i < shards.size(); ++i)
    EXPECT_EQ(shards[i].as<int>(), static_cast<int>(i) + 1);
  EXPECT_FALSE(jobs["scenarios"]["strategy"]["fail-fast"].as<bool>());
  EXPECT_EQ(jobs["scenarios"]["env"]["SHARD"].as<std::string>(),
            "${{ matrix.shard }}/${{ strategy.job-total }}");
  EXPECT_EQ(jobs["report"]["needs"].as<std::string>(), "scenarios");
  const auto condition = jobs["report"]["if"].as<std::string>();
  EXPECT_NE(condition.find("needs.scenarios.result == 'failure'"), std::string::npos) << condition;
}

TEST(GithubWorkflow, EachShardRunsItsShareAndUploadsItsReports) {
  // The shard's command parses as `mepsim run` with --shard, the three reports and the
  // compose servers' URLs; the reports folder is uploaded.
  const auto job = workflow()["jobs"]["scenarios"];
  RunOptions run;
  parse_as_mepsim(mepsim_arguments(script_with(job, "--shard"), " scenarios "), run,
                  add_run_command);
  EXPECT_EQ(run.paths, std::vector<std::string>{"scenarios/"});
  EXPECT_EQ(run.seed, 8123456789u);
  ASSERT_TRUE(run.shard);
  const auto shard = run_cli::parse_shard(*run.shard);
  ASSERT_TRUE(shard) << shard.error().message;
  EXPECT_EQ(shard->index, 3);
  EXPECT_EQ(shard->count, 4);
  EXPECT_EQ(run.junit_path, "reports/junit-3.xml");
  EXPECT_EQ(run.json_path, "reports/run-3.json");
  EXPECT_EQ(run.html_path, "reports/run-3.html");
  ASSERT_TRUE(run.mysql_url && run.redis_url);
  const auto mysql = parse_mysql_url(*run.mysql_url);
  ASSERT_TRUE(mysql) << mysql.error().message;
  EXPECT_EQ(mysql->host, "mysql");
  const auto redis = parse_redis_url(*run.redis_url);
  ASSERT_TRUE(redis) << redis.error().message;
  EXPECT_EQ(redis->host, "redis");

  const auto uploads = steps_using(job, "actions/upload-artifact");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0]["with"]["path"].as<std::string>(), "reports/");
  EXPECT_EQ(uploads[0]["with"]["name"].as<std::string>(), "mepsim-shard-${{ matrix.shard }}");
  EXPECT_EQ(uploads[0]["if"].as<std::string>(), "${{ !cancelled() }}");
}

TEST(GithubWorkflow, TheLastJobMergesTheShardsJsonReports) {
  // The merge job downloads every shard's reports and runs `mepsim report merge` on their
  // JSON, uploading the merged HTML.
  const auto job = workflow()["jobs"]["report"];
  const auto downloads = steps_using(job, "actions/download-artifact");
  ASSERT_EQ(downloads.size(), 2u);
  EXPECT_EQ(downloads[1]["with"]["pattern"].as<std::string>(), "mepsim-shard-*");
  EXPECT_TRUE(downloads[1]["with"]["merge-multiple"].as<bool>());
  ReportMergeOptions merge;
  parse_as_mepsim(mepsim_arguments(script_with(job, "report merge"), "mepsim:local"), merge,
                  [](CLI::App& app, ReportMergeOptions& options) {
                    add_report_merge_command(*add_report_command(app), options);
                  });
  EXPECT_EQ(merge.files, std::vector<std::string>{"shards/run-*.json"});
  EXPECT_EQ(merge.json_path, "merged/run.json");
  EXPECT_EQ(merge.html_path, "merged/run.html");
  const auto uploads = steps_using(job, "actions/upload-artifact");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0]["with"]["path"].as<std::string>(), "merged/");
}

}  // namespace
}  // namespace mepsim
