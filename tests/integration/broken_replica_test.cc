// Negative tests of the harness itself (FoundationDB's negative suites): a replica of the
// app broken on purpose — one that acknowledges reports it never commits, one that
// announces maintenance without applying it — must make its scenario fail, and for the
// right reason. A harness that let them pass would also miss the real app's bugs.
#include <gtest/gtest.h>

#include <string>

#include "harness/runner/scenario_runner.h"
#include "harness/scenario/scenario_parser.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim {
namespace {

const std::string kNegatives = std::string(MEPSIM_SOURCE_DIR) + "/tests/scenarios";

report::ScenarioReport run_negative(const std::string& file) {
  auto parsed = scenario::parse_scenario_file(kNegatives + "/" + file);
  EXPECT_TRUE(parsed.scenario) << file;
  if (!parsed.scenario) return {};
  runner::RunnerOptions options;
  options.seed = 11;
  options.mepsim_binary = MEPSIM_BINARY;
  options.web_binary = MEPSIM_WEB_BINARY;
  RealClock clock;
  return runner::run_scenario(*parsed.scenario, options, clock);
}

const report::StepResult* failed_step(const report::ScenarioReport& report) {
  for (const auto& step : report.steps) {
    if (!step.passed) return &step;
  }
  return nullptr;
}

TEST(BrokenReplica, DroppedWritesFailTheLoadsLostWriteCheck) {
  // Reports answered 201 and rolled back: the last expect fails on writes.lost, and the
  // steps before it (deploy, load) pass.
  const auto report = run_negative("broken-replica-drops-writes.yaml");
  EXPECT_FALSE(report.passed);
  const auto* step = failed_step(report);
  ASSERT_NE(step, nullptr) << report.failure;
  EXPECT_EQ(step->kind, "expect") << step->message;
  EXPECT_NE(step->message.find("writes.lost"), std::string::npos) << step->message;
  EXPECT_EQ(&report.steps.back(), step) << "an earlier step failed: " << step->message;
}

TEST(BrokenReplica, IgnoredMaintenanceFailsTheMaintenanceChecks) {
  // A replica serving normally in maintenance: the API call expected to get 503 gets 200,
  // and the run stops there.
  const auto report = run_negative("broken-replica-ignores-maintenance.yaml");
  EXPECT_FALSE(report.passed);
  const auto* step = failed_step(report);
  ASSERT_NE(step, nullptr) << report.failure;
  EXPECT_EQ(step->kind, "http") << step->message;
  EXPECT_NE(step->message.find("503"), std::string::npos) << step->message;
}

}  // namespace
}  // namespace mepsim
