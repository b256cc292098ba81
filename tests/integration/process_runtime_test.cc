// Containers as real mepsim-web processes, under the platform model.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/core/event_log.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/net/http_probe.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

using namespace mepsim;
using namespace mepsim::platform;
using namespace std::chrono_literals;

namespace {

ProcessRuntimeOptions options_in(const ScratchDir& scratch) {
  ProcessRuntimeOptions options;
  options.web_binary = MEPSIM_WEB_BINARY;
  options.log_dir = scratch.path();
  return options;
}

// A process needs a few milliseconds to listen: ask again, a bounded number of times.
bool becomes_healthy(ProcessContainerRuntime& runtime, const std::string& handle) {
  for (int i = 0; i < 200; ++i) {
    if (runtime.healthy(handle)) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

PlatformProfile histologe_profile() {
  std::ifstream in(std::string(MEPSIM_SOURCE_DIR) + "/scenarios/profiles/histologe.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return parse_platform_profile(text.str(), "histologe.yaml").value();
}

}  // namespace

TEST(ProcessRuntime, WebContainerIsARealProcessWithItsEnvironment) {
  // A web container listens on its own PORT and reports the release it was started with.
  auto scratch = ScratchDir::create("mepsim-runtime-test").value();
  ProcessContainerRuntime runtime(options_in(scratch));
  auto handle = runtime.start({"histologe",
                               "web-1",
                               "web",
                               "1.7.4",
                               false,
                               {{"APP_VERSION", "1.7.4"}, {"MAINTENANCE_ENABLE", "0"}}});
  ASSERT_TRUE(handle) << handle.error().message;
  EXPECT_EQ(runtime.process_count(), 1u);
  ASSERT_TRUE(becomes_healthy(runtime, handle.value()));
  auto health = http_get_loopback(runtime.port_of(handle.value()), "/_mepsim/health", 1s);
  ASSERT_TRUE(health);
  EXPECT_NE(health->body.find("\"version\":\"1.7.4\""), std::string::npos) << health->body;
  runtime.stop(handle.value());
  EXPECT_EQ(runtime.process_count(), 0u);
  EXPECT_FALSE(runtime.healthy(handle.value()));
}

TEST(ProcessRuntime, CrashOnBootIsNeverHealthy) {
  // A release planted with crash_on_boot gives a process that exits: never healthy.
  auto scratch = ScratchDir::create("mepsim-runtime-test").value();
  ProcessContainerRuntime runtime(options_in(scratch));
  auto handle = runtime.start({"histologe", "web-1", "web", "1.7.5", true, {}});
  ASSERT_TRUE(handle);
  EXPECT_FALSE(becomes_healthy(runtime, handle.value()));
}

TEST(ProcessRuntime, WorkerStaysAModelContainer) {
  // Types without a process of their own (worker, clock) are model containers.
  auto scratch = ScratchDir::create("mepsim-runtime-test").value();
  ProcessContainerRuntime runtime(options_in(scratch));
  auto handle = runtime.start({"histologe", "worker-1", "worker", "1.7.4", false, {}});
  ASSERT_TRUE(handle);
  EXPECT_EQ(runtime.process_count(), 0u);
  EXPECT_TRUE(runtime.healthy(handle.value()));
  EXPECT_EQ(runtime.port_of(handle.value()), 0);
}

TEST(ProcessRuntime, PlatformDeploysAndRestartsRealProcesses) {
  // Booting the profile starts one process per web container; a deployment replaces them
  // with the new release's and a crashing release leaves the old processes serving.
  auto scratch = ScratchDir::create("mepsim-runtime-test").value();
  ProcessContainerRuntime runtime(options_in(scratch));
  VirtualClock clock(default_scenario_start());
  EventLog log;
  MapSourceProvider source;
  source.set("release-1.7.4", "version: 1.7.4\nboot_s: 1\n");
  source.set("release-1.7.5", "version: 1.7.5\ncrash_on_boot: true\n");
  Platform platform(clock, Rng(9), log, histologe_profile(), source, runtime);
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
  // Real processes need real milliseconds to listen before the platform's boot check.
  const auto settle_slowly = [&] {
    for (int i = 0; i < 20 && platform.next_due(); ++i) {
      std::this_thread::sleep_for(50ms);
      platform.advance_to(*platform.next_due());
    }
  };

  ASSERT_TRUE(platform.deploy("histologe", "release-1.7.4", ""));
  settle_slowly();
  EXPECT_EQ(platform.serving_release("histologe")->version, "1.7.4");
  EXPECT_EQ(runtime.process_count(), 4u) << "old processes stopped after the switch";
  for (const auto& body : web_versions()) EXPECT_NE(body.find("1.7.4"), std::string::npos) << body;

  ASSERT_TRUE(platform.deploy("histologe", "release-1.7.5", ""));
  settle_slowly();
  EXPECT_EQ(platform.deployments("histologe", {})->items.front().status,
            DeploymentStatus::crashed_error);
  EXPECT_EQ(runtime.process_count(), 4u);
  for (const auto& body : web_versions()) EXPECT_NE(body.find("1.7.4"), std::string::npos) << body;
}
