#pragma once
// The Scalingo platform's objects as the model holds them. Field names follow the real
// API (developers.scalingo.com), so that the API fake only has to serialise them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim::platform {

enum class AppStatus { new_app, running, stopped, crashed, restarting, scaling, booting };
enum class DeploymentStatus {
  queued,
  building,
  pushing,
  starting,
  success,
  build_error,
  hook_error,
  crashed_error,
  timeout_error,
  aborted
};
enum class OperationStatus { pending, running, done, error };
enum class OneOffState { booting, running, exited };

const char* to_string(AppStatus s);         // "new", "running", …
const char* to_string(DeploymentStatus s);  // "queued", …, "build-error", …
const char* to_string(OperationStatus s);
const char* to_string(OneOffState s);
bool is_finished(DeploymentStatus s);
// [A-Za-z_][A-Za-z0-9_]*: what the platform accepts as an environment variable name.
bool is_variable_name(std::string_view name);
// The variables whose value may reach the event log: the maintenance switches and the
// banner's message (`MAINTENANCE_*`), unless the name looks secret. Every other value may
// be a secret (DSNs, passwords): events carry its name only.
bool is_public_variable(std::string_view name);
inline constexpr std::size_t kPublicValueBytesMax = 1024;  // longer values are cut
bool is_failure(DeploymentStatus s);

struct User {
  std::string id;
  std::string username;
  std::string email;
};

struct ProcessType {
  std::string name;  // "web", "worker", "clock", "postdeploy"…
  int amount = 0;
  std::string size = "M";
};

struct ScmLink {
  std::string id;
  std::string scm_type = "github";
  std::string owner;  // "MTES-MCT"
  std::string repo;   // "histologe"
  std::string branch;
  bool auto_deploy_enabled = false;
  bool deploy_review_apps_enabled = false;
  bool delete_on_close_enabled = true;
  int hours_before_delete_on_close = 0;
  Instant created_at{};
};

struct App {
  std::string id;
  std::string name;
  std::string region = "osc-fr1";
  Instant created_at{};
  AppStatus status = AppStatus::new_app;
  std::string url;      // https://<name>.osc-fr1.scalingo.io
  std::string git_url;  // git@ssh.osc-fr1.scalingo.com:<name>.git
  User owner;
  std::optional<Instant> last_deployed_at;
  std::string last_deployment_id;
  std::string parent_app_name;  // review apps only
  int pull_request_number = 0;  // review apps only
  std::vector<ProcessType> formation;
  std::optional<ScmLink> scm_link;
};

struct Variable {
  std::string id;
  std::string name;
  std::string value;
};

struct Deployment {
  std::string id;
  std::string app_id;
  std::string app_name;
  Instant created_at{};
  std::optional<Instant> finished_at;
  DeploymentStatus status = DeploymentStatus::queued;
  std::string git_ref;
  std::string source_url;
  User pusher;
  std::string version;  // the release manifest's version, once built
  std::string output;   // the build and deploy log, as `deployment-follow` shows it
  std::string error;    // why it failed, when it did
};

struct Operation {
  std::string id;
  std::string app_name;
  Instant created_at{};
  std::optional<Instant> finished_at;
  OperationStatus status = OperationStatus::pending;
  std::string type;  // "restart", "scale"
  std::string error;
};

// A running container of the app's formation.
struct Container {
  std::string id;
  std::string type;   // "web"
  int index = 0;      // web-1, web-2…
  std::string label;  // "web-1"
  std::string size;
  Instant started_at{};
  std::string deployment_id;  // the release it runs
  std::string version;
  std::map<std::string, std::string> env;  // the variables it was started with
  std::string runtime_id;                  // the ContainerRuntime's handle
};

struct OneOff {
  std::string id;
  std::string app_name;
  std::string command;
  std::string size = "M";
  bool detached = false;
  Instant created_at{};
  std::optional<Instant> finished_at;
  OneOffState state = OneOffState::booting;
  int exit_code = 0;
  std::string output;
  std::map<std::string, std::string> env;
};

// A Scalingo app event (`GET /apps/{app}/events`), newest last in the model.
struct AppEvent {
  std::string id;
  std::string app_id;
  std::string app_name;
  std::string type;  // deployment, run, restart, scale, new_variable, edit_variables…
  Instant created_at{};
  User user;
  nlohmann::json type_data;
};

struct VariableInput {
  std::string name;
  std::string value;
};

}  // namespace mepsim::platform
