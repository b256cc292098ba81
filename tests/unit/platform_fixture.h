#pragma once
// Shared set-up of the platform unit tests: the real Histologe profile
// (scenarios/profiles/histologe.yaml) booted on a virtual clock at the default scenario
// start, with model containers and release manifests set by hand. Nothing sleeps and no
// process starts: time moves only through Platform::advance_to and Platform::settle.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform.h"
#include "sim/platform/platform_profile.h"
#include "sim/platform/platform_types.h"
#include "sim/platform/source_provider.h"

#ifndef MEPSIM_SOURCE_DIR
#error "the platform tests read the real profile from MEPSIM_SOURCE_DIR (tests/CMakeLists.txt)"
#endif

namespace mepsim::platform_test {

// Suites are named after the domain (Deployment, ScmLink…), so the model's types that
// share those names are spelled platform::Deployment here; the others come in by name.
using platform::App;
using platform::AppStatus;
using platform::Container;
using platform::DeploymentStatus;
using platform::OneOffState;
using platform::Operation;
using platform::OperationStatus;
using platform::Page;
using platform::Platform;
using platform::ProcessType;
using platform::Variable;
using platform::VariableInput;

inline constexpr std::uint64_t kSeed = 20260105;
inline const std::string kProd = "histologe";
inline const std::string kStaging = "histologe-staging";
inline const std::string kDemo = "histologe-demo";

// Passes when `text` contains `part`, and shows both otherwise.
inline ::testing::AssertionResult HasSubstring(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

inline std::string histologe_profile_path() {
  return std::string(MEPSIM_SOURCE_DIR) + "/scenarios/profiles/histologe.yaml";
}

inline Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorCode::not_found, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Result<platform::PlatformProfile> load_histologe_profile() {
  const std::string path = histologe_profile_path();
  auto text = read_text_file(path);
  if (!text) return text.error();
  return platform::parse_platform_profile(text.value(), path);
}

// Everything one platform needs, owned together. Members are destroyed in reverse order:
// the platform goes first, while the runtime it stops its containers on still exists.
struct PlatformWorld {
  PlatformWorld(std::uint64_t seed, platform::PlatformProfile profile)
      : platform(clock, Rng(seed), log, std::move(profile), source, runtime) {}

  VirtualClock clock{default_scenario_start()};
  EventLog log;
  platform::MapSourceProvider source;
  platform::ModelContainerRuntime runtime;
  Platform platform;
};

// The real profile's platform, booted: histologe (web×2, worker, clock), staging (web,
// worker) and demo (web), each serving its initial release (version = its initial ref).
class PlatformFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = load_histologe_profile();
    ASSERT_TRUE(profile.ok()) << profile.error().message;
    world_ = std::make_unique<PlatformWorld>(kSeed, std::move(profile.value()));
    auto booted = world_->platform.boot();
    ASSERT_TRUE(booted.ok()) << booted.error().message;
  }

  Platform& platform() { return world_->platform; }
  EventLog& log() { return world_->log; }
  platform::MapSourceProvider& source() { return world_->source; }
  platform::ModelContainerRuntime& runtime() { return world_->runtime; }

  // Moves the virtual clock `d` on, running the tasks due by then.
  void advance(Duration d) { platform().advance_to(platform().now() + d); }

  platform::Deployment deploy(const std::string& app, const std::string& git_ref) {
    auto d = platform().deploy(app, git_ref, "");
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? d.value() : platform::Deployment{};
  }

  platform::Deployment deployment(const std::string& app, const std::string& id) {
    auto d = platform().deployment(app, id);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? d.value() : platform::Deployment{};
  }

  std::string serving_id(const std::string& app) {
    auto d = platform().serving_release(app);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? d->id : "";
  }

  std::vector<Container> containers(const std::string& app) {
    auto c = platform().containers(app);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? c.value() : std::vector<Container>{};
  }

  std::set<std::string> container_ids(const std::string& app) {
    std::set<std::string> ids;
    for (const auto& c : containers(app)) ids.insert(c.id);
    return ids;
  }

  std::multiset<std::string> container_versions(const std::string& app) {
    std::multiset<std::string> versions;
    for (const auto& c : containers(app)) versions.insert(c.version);
    return versions;
  }

  std::vector<std::string> not_in_effect(const std::string& app) {
    auto names = platform().variables_not_in_effect(app);
    EXPECT_TRUE(names.ok()) << (names.ok() ? "" : names.error().message);
    return names.ok() ? names.value() : std::vector<std::string>{};
  }

  // The app events' types on one page, newest first.
  std::vector<std::string> event_types(const std::string& app, Page page = {1, 100}) {
    std::vector<std::string> types;
    auto events = platform().events(app, page);
    EXPECT_TRUE(events.ok()) << (events.ok() ? "" : events.error().message);
    if (events.ok()) {
      for (const auto& e : events->items) types.push_back(e.type);
    }
    return types;
  }

  // The EventLog's events named `name` whose field `key` is `value`, oldest first.
  std::vector<Event> logged(const std::string& name, const std::string& key,
                            const std::string& value) {
    std::vector<Event> out;
    for (const auto& e : log().retained()) {
      if (e.name == name && e.field(key) == value) out.push_back(e);
    }
    return out;
  }

  // The "status" fields of the EventLog's "deployment.status" events of one deployment.
  std::vector<std::string> logged_statuses(const std::string& deployment_id) {
    std::vector<std::string> statuses;
    for (const auto& e : logged("deployment.status", "deployment", deployment_id)) {
      statuses.push_back(e.field("status"));
    }
    return statuses;
  }

  std::unique_ptr<PlatformWorld> world_;
};

}  // namespace mepsim::platform_test
