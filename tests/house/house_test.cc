#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/house/include_rules.h"

namespace fs = std::filesystem;
using mepsim::house::include_violations;
using mepsim::house::nondeterminism_violations;
using mepsim::house::Violation;

namespace {

std::vector<std::pair<std::string, std::string>> project_sources() {
  std::vector<std::pair<std::string, std::string>> files;
  const fs::path root = MEPSIM_SOURCE_DIR;
  for (const char* folder : {"sim", "fakes", "harness", "bench", "tests"}) {
    if (!fs::exists(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() ||
          (ext != ".h" && ext != ".cc" && ext != ".hpp" && ext != ".cpp")) {
        continue;
      }
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      files.emplace_back(fs::relative(entry.path(), root).string(), text.str());
    }
  }
  return files;
}

std::string describe(const std::vector<Violation>& violations) {
  std::string out;
  for (const auto& v : violations) {
    out += v.file + ":" + std::to_string(v.line) + ": " + v.rule + "\n    " + v.text + "\n";
  }
  return out;
}

}  // namespace

TEST(House, IncludesFollowHarnessFakesSim) {
  // The project's own tree keeps the one dependency direction of DESIGN.md.
  const auto files = project_sources();
  ASSERT_GT(files.size(), 10u) << "the scan found no sources under " << MEPSIM_SOURCE_DIR;
  std::vector<Violation> all;
  for (const auto& [path, text] : files) {
    auto found = include_violations(path, text);
    all.insert(all.end(), found.begin(), found.end());
  }
  EXPECT_TRUE(all.empty()) << describe(all);
}

TEST(House, NoDirectClockSleepOrRandomness) {
  // Time and randomness reach sim/, fakes/ and harness/ only through Clock and Rng.
  std::vector<Violation> all;
  for (const auto& [path, text] : project_sources()) {
    auto found = nondeterminism_violations(path, text);
    all.insert(all.end(), found.begin(), found.end());
  }
  EXPECT_TRUE(all.empty()) << describe(all);
}

TEST(HouseRules, FlagsBackwardIncludes) {
  // The checker itself catches each forbidden direction (a check that cannot fail is none).
  EXPECT_EQ(include_violations("sim/a.cc", "#include \"fakes/x.h\"\n").size(), 1u);
  EXPECT_EQ(include_violations("sim/a.cc", "  #  include <harness/x.h>\n").size(), 1u);
  EXPECT_EQ(include_violations("fakes/a.h", "#include \"harness/cli/x.h\"\n").size(), 1u);
  EXPECT_EQ(include_violations("harness/a.cc", "#include \"tests/util.h\"\n").size(), 1u);
  EXPECT_EQ(include_violations("sim/a.cc", "#include \"bench/b.h\"\n").size(), 1u);
  EXPECT_EQ(include_violations("harness/a.cc", "#include \"../sim/../bench/x.h\"\n").size(), 1u);
  const auto found = include_violations("fakes/s.cc", "// ok\n#include \"harness/x.h\"\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 2);
}

TEST(HouseRules, AllowsForwardIncludes) {
  // What DESIGN.md allows passes: harness -> fakes -> sim, and tests/bench -> anything.
  EXPECT_TRUE(
      include_violations("harness/a.cc", "#include \"fakes/x.h\"\n#include \"sim/y.h\"\n").empty());
  EXPECT_TRUE(include_violations("fakes/a.cc", "#include \"sim/core/clock.h\"\n").empty());
  EXPECT_TRUE(include_violations("sim/a.cc", "#include <vector>\n#include \"sim/b.h\"\n").empty());
  EXPECT_TRUE(include_violations("tests/a.cc", "#include \"tests/house/x.h\"\n").empty());
  EXPECT_TRUE(include_violations("bench/a.cc", "#include \"harness/x.h\"\n").empty());
}

TEST(HouseRules, FlagsDirectTimeAndRandomness) {
  // Each banned call is caught in sim/, fakes/ and harness/, but not in Clock/Rng files.
  for (const char* line :
       {"auto t = std::chrono::steady_clock::now();", "std::this_thread::sleep_for(1s);",
        "int r = rand();", "std::random_device d;", "auto n = system_clock::now();", "usleep(10);",
        "std::time(nullptr);"}) {
    EXPECT_EQ(nondeterminism_violations("fakes/x.cc", line).size(), 1u) << line;
  }
  EXPECT_TRUE(nondeterminism_violations("sim/core/clock.cc", "steady_clock::now()").empty());
  EXPECT_TRUE(nondeterminism_violations("sim/core/rng.cc", "std::random_device d;").empty());
  EXPECT_TRUE(nondeterminism_violations("tests/x.cc", "sleep_for(1ms);").empty());
  EXPECT_TRUE(nondeterminism_violations("sim/x.cc", "clock.sleep(d); operand(x);").empty());
}
