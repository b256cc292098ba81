// The load generator against a real topology (`mepsim up`: router, mepsim-web containers,
// MariaDB, Redis): a mixed load of every user class, then every accepted report looked
// up in MySQL; and a maintenance toggle under load, as the procedure does it.

#include "harness/load/load_generator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::load {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::MepsimProcess;

class LoadOnTopology : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-load-test").value());
    env_file_ = scratch_->path() / "env";
    // 20x: a restart's boot takes a fraction of a real second.
    up_ = new MepsimProcess(
        {"up", "--seed", "5", "--time-scale", "20", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(120)) << up_->output();
    env_ = testing::read_env_file(env_file_);
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr && up_->process().poll_exit() == std::nullopt) {
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
    }
    delete up_;
    delete scratch_;
  }
  void SetUp() override {
    ASSERT_TRUE(env_.contains("APP_URL_HISTOLOGE")) << (up_ ? up_->output() : "");
  }

  static LoadOptions mixed(double rate_per_s) {
    LoadOptions o;
    o.name = "mixed";
    o.target_url = env_.at("APP_URL_HISTOLOGE");
    o.password = env_.at("MEPSIM_FIXTURE_PASSWORD");
    o.rate_per_s = rate_per_s;
    o.connections = 8;
    // Short think times: in a few seconds each user logs in and then works.
    o.think_time = 500ms;
    o.mix_percent = {{UserClass::anonymous, 45},
                     {UserClass::usager, 10},
                     {UserClass::partner, 20},
                     {UserClass::admin, 15},
                     {UserClass::api, 10}};
    return o;
  }
  // `mepsim scalingo -a histologe <args>` with the env file's variables; true on exit 0.
  static bool scalingo(const std::string& args) {
    const auto result =
        testing::run_shell("set -a; . '" + env_file_.string() + "'; set +a; " + MEPSIM_BINARY +
                           " scalingo -a histologe " + args + " 2>&1");
    EXPECT_EQ(result.code, 0) << args << ": " << result.output;
    return result.code == 0;
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline fs::path env_file_;
  static inline MepsimProcess* up_ = nullptr;
  static inline std::map<std::string, std::string> env_;
};

TEST_F(LoadOnTopology, MixedLoadLosesNoWriteAndNoSession) {
  // Four seconds of every class through the router: all answered, sessions kept, the
  // app cache hit, and each report the app accepted is in MySQL.
  RealClock clock;
  EventLog log;
  auto o = mixed(40);
  o.duration = 4s;
  auto started = LoadGenerator::start(o, clock, &log);
  ASSERT_TRUE(started) << started.error().message;
  auto& gen = *started.value();
  for (int i = 0; i < 400 && !gen.finished(); ++i) clock.sleep(25ms);
  ASSERT_TRUE(gen.finished());
  gen.stop();
  auto database = parse_mysql_url(env_.at("DATABASE_URL"));
  ASSERT_TRUE(database) << database.error().message;
  auto checked = gen.check_lost_writes(database.value());
  ASSERT_TRUE(checked) << checked.error().message;
  const auto r = gen.report();
  const auto json = to_json(r).dump(1);

  EXPECT_NEAR(static_cast<double>(r.total.requests), 160, 25) << json;
  EXPECT_TRUE(r.total.errors.empty()) << json;
  for (const auto& [code, n] : r.total.status) EXPECT_LT(code, 500) << json;
  EXPECT_GT(r.writes.accepted, 0) << json;
  EXPECT_EQ(checked->checked, r.writes.accepted);
  EXPECT_EQ(r.writes.lost, 0) << json;
  EXPECT_EQ(r.writes.failed, 0) << json;
  EXPECT_GT(r.sessions.logins_ok, 0) << json;
  EXPECT_EQ(r.sessions.logins_refused, 0) << json;
  EXPECT_EQ(r.sessions.unexpected_losses, 0) << json;
  EXPECT_GT(r.cache.hit_ratio(), 0.0) << json;
  EXPECT_GT(r.events_published, 0);
}

TEST_F(LoadOnTopology, MaintenanceToggleLogsOutNonAdminsOnly) {
  // MAINTENANCE_ENABLE=1 then a restart, under load: non-admins are logged out (expected),
  // admins keep their sessions; after the toggle back, everyone logs in again.
  RealClock clock;
  auto o = mixed(30);
  auto started = LoadGenerator::start(o, clock, nullptr);
  ASSERT_TRUE(started) << started.error().message;
  auto& gen = *started.value();
  gen.mark_phase("before");
  clock.sleep(1500ms);
  ASSERT_TRUE(scalingo("env-set MAINTENANCE_ENABLE=1"));
  gen.mark_phase("toggle-on");
  // Expected from the restart's start (a new container may serve it any moment), and
  // over only once the restart is done (an old one may still serve it until then).
  gen.set_maintenance_expected(true);
  ASSERT_TRUE(scalingo("restart -s"));
  gen.mark_phase("during");
  clock.sleep(2s);
  ASSERT_TRUE(scalingo("env-set MAINTENANCE_ENABLE=0"));
  gen.mark_phase("toggle-off");
  ASSERT_TRUE(scalingo("restart -s"));
  gen.set_maintenance_expected(false);
  gen.mark_phase("after");
  clock.sleep(2s);
  gen.stop();
  const auto r = gen.report();
  const auto json = to_json(r).dump(1);

  ASSERT_TRUE(r.sessions_per_class.contains(UserClass::partner)) << json;
  EXPECT_GT(r.sessions_per_class.at(UserClass::partner).expected_logouts, 0) << json;
  EXPECT_GT(r.sessions_per_class.at(UserClass::partner).relogins, 0) << json;
  ASSERT_TRUE(r.sessions_per_class.contains(UserClass::admin)) << json;
  EXPECT_EQ(r.sessions_per_class.at(UserClass::admin).expected_logouts, 0) << json;
  EXPECT_EQ(r.sessions_per_class.at(UserClass::admin).unexpected_losses, 0) << json;
  EXPECT_TRUE(r.total.errors.empty()) << json;
  ASSERT_EQ(r.per_phase.size(), 6u);
  EXPECT_GT(r.per_phase[3].tally.status.at(503), 0) << "the API in maintenance: " << json;
}

}  // namespace
}  // namespace mepsim::load
