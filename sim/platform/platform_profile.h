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

// The app's git repository as a rehearsal starts from it: what the git origin seeds and
// the GitHub fake serves. Every commit carries the release manifest (`app.yaml`).
struct RepositoryCommit {
  std::string message;
  // app.yaml at this commit, as to_yaml writes it (checked when read); "" keeps the
  // first parent's.
  std::string manifest_yaml;
  std::map<std::string, std::string> files;  // other files, path → content
  std::string merge;  // an earlier branch this commit merges (its head: second parent)
};
struct RepositoryBranch {
  std::string name;
  std::string from;  // "" for the first branch; else an earlier branch or a tag, opt. "~N"
  std::vector<RepositoryCommit> commits;
};
struct RepositoryTag {
  std::string name;
  std::string at;  // a branch (its head) or "branch~N" (N first parents back)
};
enum class PullRequestState { open, merged, closed };
const char* to_string(PullRequestState state);  // "open", "merged", "closed"
struct PullRequestProfile {
  int number = 0;
  std::string title;
  std::string head;  // branch names
  std::string base;
  PullRequestState state = PullRequestState::open;
  std::vector<std::string> labels;  // "feature", "bug": the release note sorts by them
  std::string body;
};
struct CiProfile {
  std::string result = "success";  // "success" | "failure"
  double duration_s = 180;
};
struct RepositoryProfile {
  std::string owner = "MTES-MCT";
  std::string name = "histologe";
  std::string default_branch = "main";
  // Commit dates count from here, one minute apart: the same profile, the same shas.
  Instant epoch = std::chrono::sys_days{std::chrono::year{2025} / 12 / 1} + std::chrono::hours{9};
  std::vector<RepositoryBranch> branches;  // in creation order
  std::vector<RepositoryTag> tags;
  std::vector<PullRequestProfile> pull_requests;
  CiProfile ci;
};

// One address the geocoding fake knows, as BAN's search answers it (GeoCodeJSON
// properties); lon/lat in WGS84 degrees.
struct AddressProfile {
  std::string label;        // "12 Rue Pasteur 13001 Marseille"
  std::string housenumber;  // "" for a street without a number
  std::string street;
  std::string postcode;  // 5 digits
  std::string citycode;  // INSEE code, 5 characters ("2A004")
  std::string city;
  std::string context;  // "13, Bouches-du-Rhône, Provence-Alpes-Côte d'Azur"
  double lon = 0;
  double lat = 0;
};

struct PlatformProfile {
  std::string name = "histologe";
  std::string region = "osc-fr1";
  User user{"us-0b3f6a1c-7c4d-4f4e-9d2a-1f5e8c7a9b10", "mepsim", "mep@signal-logement.fr"};
  Durations durations;
  std::vector<AppProfile> apps;
  std::optional<RepositoryProfile> repository;  // none: no git origin
  std::vector<AddressProfile> addresses;  // what the geocoding fake finds; none: it finds nothing
};

// Errors name `source:line:col`; unknown keys are errors.
Result<PlatformProfile> parse_platform_profile(const std::string& yaml_text,
                                               const std::string& source_name);

}  // namespace mepsim::platform
