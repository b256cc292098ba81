#include "sim/platform/process_container_runtime.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/net/free_port.h"
#include "sim/net/http_probe.h"

namespace mepsim::platform {
namespace {

// Enough of a failed task's output to show why, short enough for a deployment's output.
constexpr std::size_t kTaskOutputLines = 40;
// A task past its timeout gets this long to exit on SIGTERM before SIGKILL.
constexpr auto kTaskStopGrace = std::chrono::seconds(2);

}  // namespace

ProcessContainerRuntime::ProcessContainerRuntime(ProcessRuntimeOptions options, Clock& real_clock)
    : options_(std::move(options)), real_clock_(real_clock) {}

ProcessContainerRuntime::~ProcessContainerRuntime() {
  std::lock_guard lock(mutex_);
  for (auto& [handle, running] : running_) {
    if (running.process) running.process->stop(options_.stop_grace);
  }
}

std::vector<std::pair<std::string, std::string>> ProcessContainerRuntime::process_env(
    const ContainerSpec& spec) const {
  std::vector<std::pair<std::string, std::string>> env(spec.env.begin(), spec.env.end());
  env.emplace_back("MEPSIM_RELEASE", to_yaml(spec.release));
  // The release's planted fault: the process exits at boot, as a crashing app would.
  if (spec.release.crash_on_boot) env.emplace_back("MEPSIM_CRASH_ON_BOOT", "1");
  return env;
}

std::string ProcessContainerRuntime::next_log_name(const ContainerSpec& spec) {
  std::lock_guard lock(mutex_);
  return fmt::format("{}.{}.{}", spec.app_name, spec.label, next_++);
}

Result<std::string> ProcessContainerRuntime::start(const ContainerSpec& spec) {
  const std::string handle = next_log_name(spec);
  if (!options_.process_types.contains(spec.type)) {
    std::lock_guard lock(mutex_);
    running_[handle] = Running{nullptr, 0, !spec.release.crash_on_boot, {}, {}};
    return handle;
  }
  auto port = free_loopback_port();
  if (!port) return port.error().context("starting " + handle);
  SpawnSpec process{
      options_.web_binary, {}, process_env(spec), options_.log_dir / (handle + ".log"), {}};
  process.env.emplace_back("PORT", std::to_string(port.value()));
  auto child = spawner_.spawn(process);
  if (!child) return child.error().context("starting " + handle);
  std::lock_guard lock(mutex_);
  running_[handle] = Running{std::make_unique<ChildProcess>(std::move(child.value())), port.value(),
                             true, process.log_path, real_clock_.now()};
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

bool ProcessContainerRuntime::booting(const std::string& handle) {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  if (found == running_.end() || !found->second.process) return false;
  if (found->second.process->poll_exit().has_value()) return false;
  return real_clock_.now() - found->second.started < options_.start_allowance;
}

bool ProcessContainerRuntime::alive(const std::string& handle) {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  if (found == running_.end()) return false;
  if (!found->second.process) return found->second.model_healthy;
  return !found->second.process->poll_exit().has_value();
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

Result<TaskOutcome> ProcessContainerRuntime::run_task(const ContainerSpec& spec,
                                                      std::vector<std::string> args,
                                                      Duration timeout) {
  const std::string name = next_log_name(spec);
  const std::string command = fmt::format("mepsim-web {}", fmt::join(args, " "));
  SpawnSpec process{options_.web_binary,
                    std::move(args),
                    process_env(spec),
                    options_.log_dir / (name + ".log"),
                    {}};
  // Waited for right here: the calling thread outlives the child, whatever thread it is.
  auto child = ChildProcess::spawn(process);
  if (!child) return child.error().context("running " + command);
  if (auto exit = child->wait_exit(timeout)) {
    return TaskOutcome{exit->code, tail_of_file(process.log_path, kTaskOutputLines)};
  }
  child->stop(kTaskStopGrace);
  return make_error(ErrorCode::timeout,
                    fmt::format("{} did not finish within {} s\n{}", command,
                                std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
                                tail_of_file(process.log_path, kTaskOutputLines)));
}

std::uint16_t ProcessContainerRuntime::port_of(const std::string& handle) const {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  return found == running_.end() ? 0 : found->second.port;
}

pid_t ProcessContainerRuntime::pid_of(const std::string& handle) const {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  if (found == running_.end() || !found->second.process) return -1;
  return found->second.process->pid();
}

std::filesystem::path ProcessContainerRuntime::log_of(const std::string& handle) const {
  std::lock_guard lock(mutex_);
  const auto found = running_.find(handle);
  return found == running_.end() ? std::filesystem::path() : found->second.log;
}

std::size_t ProcessContainerRuntime::process_count() const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& [handle, running] : running_) count += running.process ? 1u : 0u;
  return count;
}

}  // namespace mepsim::platform
