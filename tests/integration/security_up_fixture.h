#pragma once
// One `mepsim up` shared by the topology's security suites, started with the seed a given
// scenario runs with under `mepsim run --seed kRunSeed`: the topology draws every secret
// from its seed, so this up holds the same tokens, keys and passwords as that run, and
// its env file says what they are.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>

#include "sim/core/rng.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::testing {

inline constexpr std::uint64_t kRunSeed = 20261127;
inline constexpr const char* kSecretsScenario = "secrets-stay-out";

// What runner::scenario_seed gives a scenario under `mepsim run --seed kRunSeed`.
inline std::uint64_t secrets_scenario_seed() {
  return Rng(kRunSeed).fork(kSecretsScenario).seed();
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SecurityUp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = ScratchDir::create("mepsim-security-up");
    ASSERT_TRUE(dir.ok());
    folder_ = std::make_unique<ScratchDir>(std::move(*dir));
    env_file_ = folder_->path() / "env";
    up_ = std::make_unique<MepsimProcess>(
        std::vector<std::string>{"up", "--seed", std::to_string(secrets_scenario_seed()),
                                 "--time-scale", "60", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(180)) << up_->output();
    env_ = read_env_file(env_file_);
  }
  static void TearDownTestSuite() {
    if (up_) (void)up_->terminate();
    up_.reset();
    folder_.reset();
  }

  // The value a line of the up's output gives a name ("logs", "admin"…), its first word.
  static std::string endpoint(const std::string& name) {
    std::smatch m;
    const std::string text = up_->output();
    const std::regex line("mepsim: " + name + " +(\\S+)");
    return std::regex_search(text, m, line) ? m[1].str() : "";
  }

  static inline std::unique_ptr<ScratchDir> folder_;
  static inline std::filesystem::path env_file_;
  static inline std::unique_ptr<MepsimProcess> up_;
  static inline std::map<std::string, std::string> env_;
};

}  // namespace mepsim::testing
