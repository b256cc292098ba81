#pragma once
// The platform a rehearsal starts from: the apps that exist, their formations, variables
// and GitHub links, and how long the platform takes to do things. Loaded from a profile
// file (scenarios/profiles/*.yaml); durations default to the real platform's.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/result.h"
#include "sim/platform/platform_types.h"

namespace mepsim::platform {

struct AppProfile {
  std::string name;
  std::vector<ProcessType> formation;
  std::map<std::string, std::string> variables;
  std::optional<ScmLink> scm_link;
  std::string initial_ref = "main";  // the release already running when the rehearsal starts
};

struct Durations {
  double build_s = 90;
  double push_s = 15;
  double hook_base_s = 6;  // the postdeploy container's boot and teardown
  double hook_per_migration_s = 2;
  double start_timeout_s = 60;  // timeout-error when containers are not up by then
  double one_off_boot_s = 4;
  double one_off_command_s = 3;
  double jitter = 0.2;  // each duration is drawn in [1-jitter, 1+jitter] of itself
};

struct PlatformProfile {
  std::string name = "histologe";
  std::string region = "osc-fr1";
  User user{"us-0b3f6a1c-7c4d-4f4e-9d2a-1f5e8c7a9b10", "mepsim", "mep@signal-logement.fr"};
  Durations durations;
  std::vector<AppProfile> apps;
};

// Errors name `source:line:col`; unknown keys are errors.
Result<PlatformProfile> parse_platform_profile(const std::string& yaml_text,
                                               const std::string& source_name);

}  // namespace mepsim::platform
