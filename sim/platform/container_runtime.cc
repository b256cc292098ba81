#include "sim/platform/container_runtime.h"

namespace mepsim::platform {

bool ContainerRuntime::booting(const std::string&) {
  return false;
}

bool ContainerRuntime::runs_tasks() const {
  return false;
}

Result<TaskOutcome> ContainerRuntime::run_task(const ContainerSpec& spec, std::vector<std::string>,
                                               Duration) {
  return make_error(ErrorCode::internal, "this container runtime runs no tasks (" + spec.app_name +
                                             " " + spec.label + ")");
}

Result<std::string> ModelContainerRuntime::start(const ContainerSpec& spec) {
  std::lock_guard lock(mutex_);
  const std::string handle = "model-" + std::to_string(next_++);
  healthy_by_handle_[handle] = !spec.release.crash_on_boot;
  return handle;
}

bool ModelContainerRuntime::healthy(const std::string& handle) {
  std::lock_guard lock(mutex_);
  const auto found = healthy_by_handle_.find(handle);
  return found != healthy_by_handle_.end() && found->second && !crashed_.contains(handle);
}

bool ModelContainerRuntime::alive(const std::string& handle) {
  return healthy(handle);
}

void ModelContainerRuntime::crash(const std::string& handle) {
  std::lock_guard lock(mutex_);
  if (healthy_by_handle_.contains(handle)) crashed_.insert(handle);
}

void ModelContainerRuntime::stop(const std::string& handle) {
  std::lock_guard lock(mutex_);
  healthy_by_handle_.erase(handle);
  crashed_.erase(handle);
}

std::size_t ModelContainerRuntime::running_count() const {
  std::lock_guard lock(mutex_);
  return healthy_by_handle_.size();
}

}  // namespace mepsim::platform
