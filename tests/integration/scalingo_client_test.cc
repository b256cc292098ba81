// The Scalingo fake behind `mepsim up`, driven by the real `scalingo` npm client and by
// `mepsim scalingo`, the way a rehearsing engineer's shell does.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace fs = std::filesystem;
using namespace mepsim;
using namespace mepsim::testing;

namespace {

// One topology for the whole suite: booting MariaDB per test would dominate its time.
class ScalingoFake : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-scalingo-test").value());
    env_file_ = scratch_->path() / "env";
    // 60x: a restart's 8 s boot takes well under a second of the test's time.
    up_ = new MepsimProcess(
        {"up", "--seed", "42", "--time-scale", "60", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready()) << up_->output();
    env_ = read_env_file(env_file_);
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr) {
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
    }
    delete up_;
    delete scratch_;
  }

  // `command` with the env file's variables exported, as `set -a; . env` would.
  static CommandResult with_env(const std::string& command) {
    return run_shell("set -a; . '" + env_file_.string() + "'; set +a; " + command + " 2>&1");
  }
  static std::string mepsim() { return MEPSIM_BINARY; }

  // GET on the API with a fresh bearer from the token exchange; null on any failure.
  static nlohmann::json api_get(const std::string& path) {
    httplib::Client auth(env_.at("SCALINGO_AUTH_URL"));
    auth.set_basic_auth("", env_.at("SCALINGO_API_TOKEN"));
    auto exchanged = auth.Post("/v1/tokens/exchange", "{}", "application/json");
    if (!exchanged || exchanged->status != 200) return nullptr;
    const auto jwt = nlohmann::json::parse(exchanged->body).at("token").get<std::string>();
    httplib::Client api(env_.at("SCALINGO_API_URL"));
    auto got = api.Get(path.c_str(), {{"Authorization", "Bearer " + jwt}});
    if (!got || got->status != 200) {
      ADD_FAILURE() << path << ": " << (got ? got->body : httplib::to_string(got.error()));
      return nullptr;
    }
    return nlohmann::json::parse(got->body);
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline fs::path env_file_;
  static inline MepsimProcess* up_ = nullptr;
  static inline std::map<std::string, std::string> env_;
};

}  // namespace

TEST_F(ScalingoFake, EnvFileNamesTheApi) {
  // up adds the Scalingo keys to the env file; the token is not printed.
  ASSERT_TRUE(env_.contains("SCALINGO_API_URL"));
  EXPECT_EQ(env_.at("SCALINGO_REGION"), "osc-fr1");
  EXPECT_EQ(env_.at("SCALINGO_API_URL").rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_FALSE(env_.at("SCALINGO_AUTH_URL").empty());
  ASSERT_FALSE(env_.at("SCALINGO_API_TOKEN").empty());
  EXPECT_EQ(up_->output().find(env_.at("SCALINGO_API_TOKEN")), std::string::npos);
}

TEST_F(ScalingoFake, RealNpmClientWorksUnchanged) {
  // The node test file drives the fake with scalingo@0.14.6 (see tests/node/).
  const auto result =
      with_env("cd '" MEPSIM_SOURCE_DIR "' && node --test tests/node/scalingo_client.test.mjs");
  EXPECT_EQ(result.code, 0) << result.output;
  EXPECT_NE(result.output.find("# fail 0"), std::string::npos) << result.output;
}

TEST_F(ScalingoFake, CliEnvSetIsInEffectOnlyAfterRestart) {
  // env-set changes the variable without restarting; after `restart` the containers run
  // with it and a restart event is listed (rules R9).
  const std::string cli = mepsim() + " scalingo -a histologe-demo ";
  const auto set = with_env(cli + "env-set MAINTENANCE_ENABLE=1");
  ASSERT_EQ(set.code, 0) << set.output;
  const auto env = with_env(cli + "env");
  EXPECT_NE(env.output.find("MAINTENANCE_ENABLE=1"), std::string::npos) << env.output;

  const auto pending = [] {
    return api_get("/_mepsim/apps/histologe-demo/variables_not_in_effect")
        .at("variables_not_in_effect");
  };
  EXPECT_EQ(pending(), nlohmann::json::array({"MAINTENANCE_ENABLE"}));

  // -s waits for the operation, as the real CLI's --synchronous does.
  const auto restart = with_env(cli + "restart -s");
  ASSERT_EQ(restart.code, 0) << restart.output;
  EXPECT_EQ(pending(), nlohmann::json::array());

  const auto events = api_get("/v1/apps/histologe-demo/events");
  ASSERT_FALSE(events.at("events").empty());
  EXPECT_EQ(events.at("events").at(0).at("type"), "restart") << "newest first";
}

TEST_F(ScalingoFake, CliRunWaitsAndExitsWithTheCommandsCode) {
  // `scalingo run` prints the one-off's output and exits with its code.
  const std::string cli = mepsim() + " scalingo -a histologe ";
  const auto ok = with_env(cli + "run php bin/console app:update-bailleur");
  EXPECT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("app:update-bailleur"), std::string::npos) << ok.output;
  const auto missing = with_env(cli + "run frobnicate");
  EXPECT_EQ(missing.code, 127) << missing.output;
}

TEST_F(ScalingoFake, CliWrongTokenFails) {
  // A wrong token gives an error on stderr and a non-zero exit, not a hang.
  const auto result = with_env("SCALINGO_API_TOKEN=tk-us-wrong " + mepsim() + " scalingo apps");
  EXPECT_NE(result.code, 0) << result.output;
}
