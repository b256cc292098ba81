// The scenario library of scenarios/ as CI and users run it: through `mepsim run`, with its
// three reports; replayed from a seed; and each negative scenario proved to depend on the
// violation it expects.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "harness/runner/scenario_runner.h"
#include "harness/scenario/scenario_parser.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim {
namespace {

const std::string kLibrary = std::string(MEPSIM_SOURCE_DIR) + "/scenarios";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string fingerprint_in(const std::string& output) {
  std::smatch m;
  const std::regex line("mepsim: fingerprint ([0-9a-f]{64})");
  return std::regex_search(output, m, line) ? m[1].str() : "";
}

// The fault suite (scenarios/faults/) within the library's report: each scenario injected
// its faults under load, sent requests while they were active, and lost no accepted write.
// The totals go to the test's output (the figures a release note quotes).
void expect_fault_suite_converged(const nlohmann::json& report) {
  std::int64_t faults = 0, requests_during = 0, lost = 0, accepted = 0;
  int scenarios = 0;
  for (const auto& s : report["scenarios"]) {
    const auto tags = s.value("tags", std::vector<std::string>{});
    if (std::find(tags.begin(), tags.end(), "faults") == tags.end()) continue;
    ++scenarios;
    const auto& measured = s["measurements"];
    ASSERT_TRUE(measured.contains("faults")) << s["name"] << ": no fault measured";
    EXPECT_GE(measured["faults"]["injected"].get<std::int64_t>(), 1) << s["name"];
    EXPECT_GE(measured["faults"]["requests_during"].get<std::int64_t>(), 1) << s["name"];
    faults += measured["faults"]["injected"].get<std::int64_t>();
    requests_during += measured["faults"]["requests_during"].get<std::int64_t>();
    EXPECT_FALSE(s["faults_used"].empty()) << s["name"];
    for (const auto& load : s["loads"]) {
      const auto& writes = load["figures"]["writes"];
      ASSERT_TRUE(writes["lost"].is_number()) << s["name"] << ": lost writes not checked";
      lost += writes["lost"].get<std::int64_t>();
      accepted += writes["accepted"].get<std::int64_t>();
    }
  }
  EXPECT_GE(scenarios, 4) << "the fault suite is scenarios/faults/";
  EXPECT_EQ(lost, 0);
  std::cout << fmt::format(
      "fault suite: {} scenarios, {} faults injected, {} requests sent while active, {} writes "
      "accepted, {} lost\n",
      scenarios, faults, requests_during, accepted, lost);
}

// Goal: the README's main command passes on the whole library and writes the three reports.
TEST(ScenarioLibrary, PassesWithItsReports) {
  auto folder = ScratchDir::create("mepsim-library-test");
  ASSERT_TRUE(folder);
  const auto junit = folder->path() / "junit.xml";
  const auto json = folder->path() / "run.json";
  const auto html = folder->path() / "run.html";
  testing::MepsimProcess run({"run", kLibrary, "--seed", "20260105", "--junit", junit.string(),
                              "--json", json.string(), "--html", html.string()});
  const auto exit = run.wait_exit(900);
  ASSERT_TRUE(exit.has_value()) << run.output();
  EXPECT_EQ(exit->code, 0) << run.output();
  EXPECT_EQ(run.output().rfind("mepsim: seed 20260105", 0), 0u) << run.output();
  EXPECT_FALSE(fingerprint_in(run.output()).empty()) << run.output();

  const auto report = nlohmann::json::parse(read_file(json));
  auto files = scenario::scenario_files({kLibrary});
  ASSERT_TRUE(files);
  EXPECT_EQ(report["summary"]["scenarios"], files->size());
  EXPECT_EQ(report["summary"]["failed"], 0);
  const std::string xml = read_file(junit);
  std::size_t testcases = 0;
  for (auto at = xml.find("<testcase "); at != std::string::npos;
       at = xml.find("<testcase ", at + 1)) {
    ++testcases;
  }
  EXPECT_EQ(testcases, files->size());
  EXPECT_NE(read_file(html).find("<svg"), std::string::npos);
  expect_fault_suite_converged(report);
}

// Goal: the control plane replays exactly — the same seed twice, the same fingerprint.
TEST(ScenarioLibrary, SameSeedSameFingerprint) {
  const std::string scenario = kLibrary + "/production-mep.yaml";
  std::string fingerprints[2];
  for (auto& fingerprint : fingerprints) {
    testing::MepsimProcess run({"run", scenario, "--seed", "42"});
    const auto exit = run.wait_exit(300);
    ASSERT_TRUE(exit.has_value()) << run.output();
    ASSERT_EQ(exit->code, 0) << run.output();
    fingerprint = fingerprint_in(run.output());
  }
  EXPECT_FALSE(fingerprints[0].empty());
  EXPECT_EQ(fingerprints[0], fingerprints[1]);
}

// Goal: a negative scenario passes only because of the violation it expects — without that
// expectation, the same run fails on it (FoundationDB-style negative tests).
TEST(ScenarioLibrary, NegativeScenariosFailWithoutTheirExpectedViolation) {
  auto files = scenario::scenario_files({kLibrary});
  ASSERT_TRUE(files);
  RealClock clock;
  int negatives = 0;
  for (const auto& file : files.value()) {
    auto parsed = scenario::parse_scenario_file(file);
    ASSERT_TRUE(parsed.scenario) << file;
    scenario::Scenario s = std::move(*parsed.scenario);
    if (s.expect_violations.empty()) continue;
    ++negatives;
    const auto expected = s.expect_violations;
    s.expect_violations.clear();
    runner::RunnerOptions options;
    options.seed = 7;
    options.mepsim_binary = MEPSIM_BINARY;
    options.web_binary = MEPSIM_WEB_BINARY;
    const auto report = runner::run_scenario(s, options, clock);
    EXPECT_FALSE(report.passed) << s.name << " passed without its expected violations";
    for (const auto& rule : expected) {
      EXPECT_NE(
          std::find(report.unexpected_violations.begin(), report.unexpected_violations.end(), rule),
          report.unexpected_violations.end())
          << s.name << ": " << rule << " not reported; failure: " << report.failure;
    }
  }
  EXPECT_GE(negatives, 4);
}

}  // namespace
}  // namespace mepsim
