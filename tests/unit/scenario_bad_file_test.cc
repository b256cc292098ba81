// Malformed scenario files beyond those of scenario_parser_test.cc: files that are not a
// scenario at all (a list, a scalar, nesting no one writes by hand, a file past
// the size bound), each refused with file:line:col and no scenario; and `mepsim run` on a
// folder holding one bad file among good ones runs nothing and exits 2.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/scenario/scenario_parser.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::scenario {
namespace {

namespace fs = std::filesystem;

// The single error of `yaml`, as "line:col: message"; "" when there is not exactly one.
std::string only_error(const std::string& yaml) {
  const auto outcome = parse_scenario(yaml, "bad.yaml");
  EXPECT_FALSE(outcome.scenario.has_value());
  if (outcome.errors.size() != 1) {
    for (const auto& e : outcome.errors) ADD_FAILURE() << e.str();
    return "";
  }
  EXPECT_EQ(outcome.errors[0].pos.file, "bad.yaml");
  return outcome.errors[0].str().substr(std::string("bad.yaml:").size());
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ScenarioBadFile, NotAMapAtTheTop) {
  // A list or a scalar where the scenario's map belongs is one error at its start.
  EXPECT_EQ(only_error("- wait: 1s\n"), "1:1: scenario must be a map of keys to values");
  EXPECT_EQ(only_error("just words\n"), "1:1: scenario must be a map of keys to values");
}

TEST(ScenarioBadFile, EmptyOrNullSteps) {
  // `steps` must hold at least one step; a null step names the dash.
  EXPECT_EQ(only_error("name: t\ndescription: d\nsteps: []\n"),
            "3:8: 'steps' must be a list of at least one step");
  EXPECT_EQ(only_error("name: t\ndescription: d\nsteps: {wait: 1s}\n"),
            "3:8: 'steps' must be a list of at least one step");
  EXPECT_EQ(only_error("name: t\ndescription: d\nsteps:\n  - 42\n")
                .rfind("4:5: a step must be a map with one step kind (git, ", 0),
            0u);
}

TEST(ScenarioBadFile, DeepNestingIsAnErrorNotACrash) {
  // Thousands of nested flow lists (no hand-written file has them) end in an error.
  const std::string deep = "name: t\ndescription: d\nsteps: " + std::string(20000, '[') + "\n";
  const auto outcome = parse_scenario(deep, "bad.yaml");
  EXPECT_FALSE(outcome.scenario.has_value());
  ASSERT_FALSE(outcome.errors.empty());
  EXPECT_EQ(outcome.errors[0].pos.file, "bad.yaml");
}

TEST(ScenarioBadFile, FilePastTheSizeBound) {
  // A file bigger than kMaxScenarioFileBytes is refused before it is read.
  auto scratch = ScratchDir::create("scenario_bad_file");
  ASSERT_TRUE(scratch.ok());
  const auto big = scratch->path() / "big.yaml";
  write(big, "name: t\ndescription: " + std::string(kMaxScenarioFileBytes, 'x') + "\n");
  const auto outcome = parse_scenario_file(big);
  EXPECT_FALSE(outcome.scenario.has_value());
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].message.find("too big for a scenario"), std::string::npos)
      << outcome.errors[0].str();
}

TEST(ScenarioBadFile, MepsimRunRunsNothingWhenOneFileIsBad) {
  // One bad file among good ones: every error printed, exit 2, no run started, no report.
  auto scratch = ScratchDir::create("scenario_bad_file");
  ASSERT_TRUE(scratch.ok());
  const auto root = scratch->path();
  write(root / "a-good.yaml", "name: a\ndescription: d\nsteps:\n  - wait: 1s\n");
  write(root / "b-bad.yaml",
        "name: b\ndescription: d\nsteps:\n  - wait: {seconds: 3}\n  - http: {as: robot}\n");
  const auto report = root / "run.json";
  const auto ran = testing::run_shell(std::string(MEPSIM_BINARY) + " run " + root.string() +
                                      " --json " + report.string() + " 2>&1");
  EXPECT_EQ(ran.code, 2) << ran.output;
  const std::string bad = (root / "b-bad.yaml").string();
  EXPECT_NE(ran.output.find(bad + ":4:11: "), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find(bad + ":5:16: 'as' must be one of"), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find("nothing was run"), std::string::npos) << ran.output;
  EXPECT_EQ(ran.output.find("mepsim: seed"), std::string::npos) << ran.output;
  EXPECT_FALSE(fs::exists(report));
}

}  // namespace
}  // namespace mepsim::scenario
