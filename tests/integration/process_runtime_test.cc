// Containers as real mepsim-web processes, under the platform model, against real
// MariaDB and Redis servers (mepsim-web requires DATABASE_URL and REDIS_URL).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/core/event_log.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/redis_server.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/net/http_probe.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"
#include "tests/integration/mepsim_process.h"

using namespace mepsim;
using namespace mepsim::platform;
using mepsim::testing::environ_of;
using namespace std::chrono_literals;

namespace {

PlatformProfile histologe_profile() {
  std::ifstream in(std::string(MEPSIM_SOURCE_DIR) + "/scenarios/profiles/histologe.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return parse_platform_profile(text.str(), "histologe.yaml").value();
}

// One MariaDB and one Redis for the suite: booting MariaDB per test would dominate.
class ProcessRuntime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Rng rng(3);
    auto mariadb = MariadbServer::start({}, clock_, rng);
    ASSERT_TRUE(mariadb) << mariadb.error().message;
    mariadb_ = std::move(mariadb.value());
    auto redis = RedisServer::start({}, clock_, rng);
    ASSERT_TRUE(redis) << redis.error().message;
    redis_ = std::move(redis.value());
  }
  static void TearDownTestSuite() {
    redis_.reset();
    mariadb_.reset();
  }

  void SetUp() override { ASSERT_TRUE(mariadb_ && redis_) << "the suite's servers did not start"; }

  ProcessRuntimeOptions options() const {
    ProcessRuntimeOptions options;
    options.web_binary = MEPSIM_WEB_BINARY;
    options.log_dir = scratch_.path();
    return options;
  }

  static std::map<std::string, std::string> datastores() {
    return {{"DATABASE_URL", mariadb_->url().str()}, {"REDIS_URL", redis_->url().str()}};
  }

  static ContainerSpec web_spec(const std::string& version, bool crash_on_boot = false) {
    ContainerSpec spec{"histologe", "web-1", "web", version, {}, datastores()};
    spec.release.version = version;
    spec.release.crash_on_boot = crash_on_boot;
    spec.env["APP_VERSION"] = version;
    spec.env["MAINTENANCE_ENABLE"] = "0";
    return spec;
  }

  PlatformProfile profile_with_datastores() const {
    PlatformProfile profile = histologe_profile();
    for (auto& app : profile.apps) {
      for (const auto& [key, value] : datastores()) app.variables[key] = value;
    }
    return profile;
  }

  // A process needs some milliseconds to listen: ask again, a bounded number of times.
  static bool becomes_healthy(ProcessContainerRuntime& runtime, const std::string& handle) {
    for (int i = 0; i < 500; ++i) {
      if (runtime.healthy(handle)) return true;
      if (!runtime.booting(handle)) return false;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  static inline RealClock clock_;
  static inline std::unique_ptr<MariadbServer> mariadb_;
  static inline std::unique_ptr<RedisServer> redis_;
  ScratchDir scratch_ = ScratchDir::create("mepsim-runtime-test").value();
};

}  // namespace

TEST_F(ProcessRuntime, WebContainerIsARealProcessWithItsEnvironment) {
  // A web container listens on its own PORT, reports the release it was started with,
  // and has the app's variables and its release manifest in its environment.
  ProcessContainerRuntime runtime(options(), clock_);
  auto handle = runtime.start(web_spec("1.7.4"));
  ASSERT_TRUE(handle) << handle.error().message;
  EXPECT_EQ(runtime.process_count(), 1u);
  ASSERT_TRUE(becomes_healthy(runtime, handle.value()))
      << tail_of_file(runtime.log_of(handle.value()), 20);
  auto health = http_get_loopback(runtime.port_of(handle.value()), "/_mepsim/health", 1s);
  ASSERT_TRUE(health);
  EXPECT_NE(health->body.find("\"version\":\"1.7.4\""), std::string::npos) << health->body;

  const auto env = environ_of(runtime.pid_of(handle.value()));
  EXPECT_EQ(env.at("DATABASE_URL"), mariadb_->url().str());
  EXPECT_EQ(env.at("PORT"), std::to_string(runtime.port_of(handle.value())));
  ASSERT_TRUE(env.contains("MEPSIM_RELEASE"));
  auto release = parse_release_manifest(env.at("MEPSIM_RELEASE"));
  ASSERT_TRUE(release) << release.error().message;
  EXPECT_EQ(release->version, "1.7.4");

  runtime.stop(handle.value());
  EXPECT_EQ(runtime.process_count(), 0u);
  EXPECT_FALSE(runtime.healthy(handle.value()));
  EXPECT_FALSE(runtime.booting(handle.value()));
}

TEST_F(ProcessRuntime, CrashOnBootIsNeverHealthy) {
  // A release planted with crash_on_boot gives a process that exits: never healthy, and
  // not booting either once it has exited.
  ProcessContainerRuntime runtime(options(), clock_);
  auto handle = runtime.start(web_spec("1.7.5", true));
  ASSERT_TRUE(handle);
  EXPECT_FALSE(becomes_healthy(runtime, handle.value()));
  EXPECT_FALSE(runtime.booting(handle.value()));
}

TEST_F(ProcessRuntime, SilentProcessBootsUntilItsStartAllowanceEnds) {
  // A process that never answers its health route is booting for the start allowance,
  // measured on the runtime's real clock whatever the platform clock's speed; after it,
  // it is alive but no longer booting: what the platform reports as a timeout-error.
  const auto silent = scratch_.path() / "silent-web";
  {
    std::ofstream script(silent);
    script << "#!/bin/sh\nexec sleep 60\n";
  }
  std::filesystem::permissions(silent, std::filesystem::perms::owner_all);
  ProcessRuntimeOptions silent_options = options();
  silent_options.web_binary = silent;
  VirtualClock real(default_scenario_start());
  ProcessContainerRuntime runtime(silent_options, real);
  auto handle = runtime.start(web_spec("1.7.4"));
  ASSERT_TRUE(handle) << handle.error().message;
  EXPECT_FALSE(runtime.healthy(handle.value()));
  EXPECT_TRUE(runtime.booting(handle.value()));
  real.advance(silent_options.start_allowance - 1s);
  EXPECT_TRUE(runtime.booting(handle.value()));
  real.advance(1s);
  EXPECT_FALSE(runtime.booting(handle.value()));
  EXPECT_TRUE(runtime.alive(handle.value()));
  runtime.stop(handle.value());
  EXPECT_FALSE(runtime.alive(handle.value()));
}

TEST_F(ProcessRuntime, WorkerStaysAModelContainer) {
  // Types without a process of their own (worker, clock) are model containers.
  ProcessContainerRuntime runtime(options(), clock_);
  ContainerSpec spec = web_spec("1.7.4");
  spec.label = "worker-1";
  spec.type = "worker";
  auto handle = runtime.start(spec);
  ASSERT_TRUE(handle);
  EXPECT_EQ(runtime.process_count(), 0u);
  EXPECT_TRUE(runtime.healthy(handle.value()));
  EXPECT_FALSE(runtime.booting(handle.value()));
  EXPECT_EQ(runtime.port_of(handle.value()), 0);
  EXPECT_EQ(runtime.pid_of(handle.value()), -1);
}

TEST_F(ProcessRuntime, TaskGivesItsExitCodeAndOutput) {
  // A task runs mepsim-web to its end: an unknown console command is exit 2, said on
  // stderr, which the outcome quotes.
  ProcessContainerRuntime runtime(options(), clock_);
  auto outcome = runtime.run_task(web_spec("1.7.4"), {"console", "frobnicate"}, 30s);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 2);
  EXPECT_NE(outcome->output.find("frobnicate"), std::string::npos) << outcome->output;
}

TEST_F(ProcessRuntime, MigrationsTaskSucceedsTwice) {
  // The postdeploy hook's command migrates the app's database; a second run has nothing
  // left to do and succeeds too (needs `mepsim-web console doctrine:migrations:migrate`).
  ProcessContainerRuntime runtime(options(), clock_);
  const std::vector<std::string> migrate = {"console", "doctrine:migrations:migrate",
                                            "--no-interaction"};
  for (int run = 0; run < 2; ++run) {
    auto outcome = runtime.run_task(web_spec("1.7.4"), migrate, 60s);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->exit_code, 0) << "run " << run << ":\n" << outcome->output;
  }
}

TEST_F(ProcessRuntime, PlatformDeploysAndRestartsRealProcesses) {
  // Booting the profile starts one process per web container; a deployment runs the real
  // postdeploy hook and replaces them with the new release's; a crashing release leaves
  // the old processes serving; a failing migration is a hook-error quoting the console.
  ProcessContainerRuntime runtime(options(), clock_);
  VirtualClock clock(default_scenario_start());
  EventLog log;
  MapSourceProvider source;
  source.set("release-1.7.4", "version: 1.7.4\nboot_s: 1\n");
  source.set("release-1.7.5", "version: 1.7.5\ncrash_on_boot: true\n");
  source.set("release-1.7.6",
             "version: 1.7.6\nmigrations:\n  - name: Version20260105120000\n    fails: true\n");
  Platform platform(clock, Rng(9), log, profile_with_datastores(), source, runtime);
  ASSERT_TRUE(platform.boot());
  EXPECT_EQ(runtime.process_count(), 4u) << "web x2 + staging web x1 + demo web x1";

  const auto web_versions = [&] {
    std::vector<std::string> versions;
    const auto containers = platform.containers("histologe");
    for (const auto& c : containers.value()) {
      if (c.type != "web") continue;
      auto health = http_get_loopback(runtime.port_of(c.runtime_id), "/_mepsim/health", 1s);
      versions.push_back(health ? health->body : "unreachable");
    }
    return versions;
  };
  // Real processes need real milliseconds; the platform asks again while they boot.
  const auto settle_slowly = [&] {
    for (int i = 0; i < 200 && platform.next_due(); ++i) {
      std::this_thread::sleep_for(20ms);
      platform.advance_to(*platform.next_due());
    }
  };
  const auto last = [&] { return platform.deployments("histologe", {})->items.front(); };

  ASSERT_TRUE(platform.deploy("histologe", "release-1.7.4", ""));
  settle_slowly();
  EXPECT_EQ(last().status, DeploymentStatus::success) << last().output;
  EXPECT_EQ(platform.serving_release("histologe")->version, "1.7.4");
  EXPECT_EQ(runtime.process_count(), 4u) << "old processes stopped after the switch";
  for (const auto& body : web_versions()) EXPECT_NE(body.find("1.7.4"), std::string::npos) << body;

  ASSERT_TRUE(platform.deploy("histologe", "release-1.7.5", ""));
  settle_slowly();
  EXPECT_EQ(last().status, DeploymentStatus::crashed_error) << last().output;
  EXPECT_EQ(runtime.process_count(), 4u);
  for (const auto& body : web_versions()) EXPECT_NE(body.find("1.7.4"), std::string::npos) << body;

  ASSERT_TRUE(platform.deploy("histologe", "release-1.7.6", ""));
  settle_slowly();
  EXPECT_EQ(last().status, DeploymentStatus::hook_error) << last().output;
  EXPECT_NE(last().output.find("Version20260105120000"), std::string::npos) << last().output;
  EXPECT_EQ(platform.serving_release("histologe")->version, "1.7.4");
}
