#include "sim/platform/process_container_runtime.h"

#include <fmt/format.h>

#include "sim/net/free_port.h"
#include "sim/net/http_probe.h"

namespace mepsim::platform {

ProcessContainerRuntime::ProcessContainerRuntime(ProcessRuntimeOptions options)
    : options_(std::move(options)) {}

ProcessContainerRuntime::~ProcessContainerRuntime() {
  std::lock_guard lock(mutex_);
  for (auto& [handle, running] : running_) {
    if (running.process) running.process->stop(options_.stop_grace);
  }
}

Result<std::string> ProcessContainerRuntime::start(const ContainerSpec& spec) {
  std::lock_guard lock(mutex_);
  const std::string handle = fmt::format("{}.{}.{}", spec.app_name, spec.label, next_++);
  if (!options_.process_types.contains(spec.type)) {
    running_[handle] = Running{nullptr, 0, !spec.crash_on_boot};
    return handle;
  }
  auto port = free_loopback_port();
  if (!port) return port.error().context("starting " + handle);
  SpawnSpec process{options_.web_binary, {}, {}, options_.log_dir / (handle + ".log"), {}};
  for (const auto& [key, value] : spec.env) process.env.emplace_back(key, value);
  process.env.emplace_back("PORT", std::to_string(port.value()));
  // The release's planted fault: the process exits at boot, as a crashing app would.
  if (spec.crash_on_boot) process.env.emplace_back("MEPSIM_CRASH_ON_BOOT", "1");
  auto child = ChildProcess::spawn(process);
  if (!child) return child.error().context("starting " + handle);
  running_[handle] =
      Running{std::make_unique<ChildProcess>(std::move(child.value())), port.value(), true};
  return handle;
}

bool ProcessContainerRuntime::healthy(const std::string& handle) {
  std::uint16_t port = 0;
  {
    std::lock_guard lock(mutex_);
    const auto found = running_.find(handle);
    if (found == running_.end()) return false;
    if (!found->second.process) return found->second.model_healthy;
    if (found->second.process->poll_exit()) return false;
    port = found->second.port;
  }
  auto reply = http_get_loopback(port, "/_mepsim/health", options_.health_timeout);
  return reply && reply->status == 200;
}

void ProcessContainerRuntime::stop(const std::string& handle) {
  std::unique_ptr<ChildProcess> process;
  {
    std::lock_guard lock(mutex_);
    const auto found = running_.find(handle);
    if (found == running_.end()) return;
    process = std::move(found->second.process);
    running_.erase(found);
  }
  if (process) process->stop(options_.stop_grace);
}

std::uint16_t ProcessContainerRuntime::port_of(const std::string& handle) const {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  return found == running_.end() ? 0 : found->second.port;
}

std::size_t ProcessContainerRuntime::process_count() const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& [handle, running] : running_) count += running.process ? 1u : 0u;
  return count;
}

}  // namespace mepsim::platform
