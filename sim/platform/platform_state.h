#pragma once
// The platform's private state per app, shared by the platform_*.cc files only.

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/platform/platform.h"

namespace mepsim::platform {

// Where a deployment in progress stands; the public status is coarser.
enum class DeployPhase { build, push, hook, boot };

struct Platform::AppState {
  App app;
  std::vector<Variable> variables;
  std::deque<Deployment> deployments;  // oldest first, bounded
  std::deque<AppEvent> events;         // oldest first, bounded
  std::map<std::string, Operation> operations;
  std::vector<Container> containers;  // running, serving or booting
  std::set<std::string> applied_migrations;

  std::string serving_deployment_id;
  ReleaseManifest serving_manifest;

  // The deployment in progress, the ones waiting behind it, and its new containers.
  std::string active_deployment_id;
  std::deque<std::string> queued_deployment_ids;
  DeployPhase phase = DeployPhase::build;
  ReleaseManifest building_manifest;
  std::vector<std::string> booting_container_ids;
  // Replacements of crashed containers not yet judged healthy: not replaced again until
  // they are, so a release that crashes at once ends in `repeated_crash`, not a loop.
  std::set<std::string> crash_replacement_ids;
  Duration boot_drawn{};  // this deployment's boot time, drawn once from the manifest's
  Instant boot_started_at{};

  Deployment* deployment(const std::string& id) {
    for (auto& d : deployments) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }
};

}  // namespace mepsim::platform
