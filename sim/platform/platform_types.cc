#include "sim/platform/platform_types.h"

#include <algorithm>

#include "sim/core/event_log.h"

namespace mepsim::platform {

const char* to_string(AppStatus s) {
  switch (s) {
    case AppStatus::new_app:
      return "new";
    case AppStatus::running:
      return "running";
    case AppStatus::stopped:
      return "stopped";
    case AppStatus::crashed:
      return "crashed";
    case AppStatus::restarting:
      return "restarting";
    case AppStatus::scaling:
      return "scaling";
    case AppStatus::booting:
      return "booting";
  }
  return "unknown";
}

const char* to_string(DeploymentStatus s) {
  switch (s) {
    case DeploymentStatus::queued:
      return "queued";
    case DeploymentStatus::building:
      return "building";
    case DeploymentStatus::pushing:
      return "pushing";
    case DeploymentStatus::starting:
      return "starting";
    case DeploymentStatus::success:
      return "success";
    case DeploymentStatus::build_error:
      return "build-error";
    case DeploymentStatus::hook_error:
      return "hook-error";
    case DeploymentStatus::crashed_error:
      return "crashed-error";
    case DeploymentStatus::timeout_error:
      return "timeout-error";
    case DeploymentStatus::aborted:
      return "aborted";
  }
  return "unknown";
}

const char* to_string(OperationStatus s) {
  switch (s) {
    case OperationStatus::pending:
      return "pending";
    case OperationStatus::running:
      return "running";
    case OperationStatus::done:
      return "done";
    case OperationStatus::error:
      return "error";
  }
  return "unknown";
}

const char* to_string(OneOffState s) {
  switch (s) {
    case OneOffState::booting:
      return "booting";
    case OneOffState::running:
      return "running";
    case OneOffState::exited:
      return "exited";
  }
  return "unknown";
}

bool is_finished(DeploymentStatus s) {
  return s != DeploymentStatus::queued && s != DeploymentStatus::building &&
         s != DeploymentStatus::pushing && s != DeploymentStatus::starting;
}

bool is_variable_name(std::string_view name) {
  const auto letter = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || !letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || digit(c); });
}

bool is_public_variable(std::string_view name) {
  return name.starts_with("MAINTENANCE_") && !EventLog::is_secret_key(name);
}

bool is_failure(DeploymentStatus s) {
  return is_finished(s) && s != DeploymentStatus::success;
}

}  // namespace mepsim::platform
