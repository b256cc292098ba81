#pragma once
// What a deployment builds: the release manifest (`app.yaml`) at the pushed commit. It
// stands for the app's code: its version, its migrations, and the faults a scenario
// plants in it (a build that fails, a migration that fails, a crash or a slow boot).
//
//   version: 1.7.4
//   migrations:
//     - name: Version20260105120000
//     - name: Version20260105130000
//       fails: true          # hook-error
//   boot_s: 8                # time for a container to become healthy
//   crash_on_boot: false     # crashed-error
//   build_error: ""          # non-empty: build-error with this message
//   session_format: 1        # a new format invalidates the sessions of older ones
//   cache_namespace: v1      # a new namespace starts with a cold Redis cache
//   faults:
//     - route: /bo           # this share of the route's requests fail with a 500
//       error_rate: 0.05
//   defects:                 # a broken replica, for negative tests: mepsim must catch it
//     drop_write_rate: 0.5   # this share of accepted reports rolled back after the answer
//     ignore_maintenance: true  # MAINTENANCE_ENABLE=1 announced by /health, never applied

#include <string>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::platform {

struct Migration {
  std::string name;
  bool fails = false;
};

// A planted fault: the app throws on this share of a route's requests (500 + Sentry).
struct RouteFault {
  std::string route;  // "/bo", "/api/signalements": the route's path pattern
  double error_rate = 0;
};

// Defects planted in the replica of the app itself: behaviour the real app never has,
// there so that a negative test can prove the harness catches a replica that loses an
// acknowledged write or lets users through maintenance.
struct ReleaseDefects {
  double drop_write_rate = 0;
  bool ignore_maintenance = false;
};

struct ReleaseManifest {
  std::string version;
  std::vector<Migration> migrations;
  double boot_s = 8.0;
  bool crash_on_boot = false;
  std::string build_error;
  int session_format = 1;
  std::string cache_namespace = "v1";
  std::vector<RouteFault> faults;
  ReleaseDefects defects;
};

// The manifest as YAML that parse_release_manifest reads back to the same values: what a
// web container is given (MEPSIM_RELEASE) of the commit it runs.
std::string to_yaml(const ReleaseManifest& manifest);

// Errors name the line and column in the manifest ("app.yaml:3:5: …"); unknown keys are
// errors too, so that a typo in a planted fault cannot pass silently.
Result<ReleaseManifest> parse_release_manifest(const std::string& yaml_text,
                                               const std::string& source_name = "app.yaml");

}  // namespace mepsim::platform
