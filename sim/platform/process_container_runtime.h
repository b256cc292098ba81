#pragma once
// Containers as real processes: each container of a process type listed in the options
// (by default `web`) is a `mepsim-web` started with the container's environment, its
// release (MEPSIM_RELEASE) and its own PORT, as on the platform. It is healthy when it
// answers its health route. What it keeps in memory dies with it; what it keeps in Redis
// or MySQL does not. Tasks (the postdeploy hook) are `mepsim-web console …` processes
// run to their end. Other types (worker, clock) stay model objects until they have a
// process of their own.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "sim/core/clock.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/process_spawner.h"
#include "sim/process/child_process.h"

namespace mepsim::platform {

struct ProcessRuntimeOptions {
  std::filesystem::path web_binary;  // mepsim-web
  std::filesystem::path log_dir;     // one log per container or task: <app>.<label>.<n>.log
  std::set<std::string> process_types = {"web"};
  Duration health_timeout = std::chrono::seconds(1);
  Duration stop_grace = std::chrono::seconds(10);
  // A process boots in real time whatever the platform clock's speed: it gets the
  // platform's start timeout (60 s on Scalingo) in real seconds to answer its health route.
  Duration start_allowance = std::chrono::seconds(60);
};

class ProcessContainerRuntime final : public ContainerRuntime {
 public:
  // `real_clock` runs in real time: what the start allowance is measured on.
  ProcessContainerRuntime(ProcessRuntimeOptions options, Clock& real_clock);
  ~ProcessContainerRuntime() override;

  Result<std::string> start(const ContainerSpec& spec) override;
  bool healthy(const std::string& handle) override;
  // A process that has not exited, does not answer yet and is within its start allowance.
  bool booting(const std::string& handle) override;
  bool alive(const std::string& handle) override;
  // SIGTERM, then SIGKILL after the stop grace; blocks that long at most.
  void stop(const std::string& handle) override;
  bool runs_tasks() const override { return true; }
  // `mepsim-web <args…>` with the spec's environment, in the caller's thread.
  Result<TaskOutcome> run_task(const ContainerSpec& spec, std::vector<std::string> args,
                               Duration timeout) override;

  // The loopback port a process container listens on (0 for model containers): what a
  // router sends the app's traffic to.
  std::uint16_t port_of(const std::string& handle) const;
  pid_t pid_of(const std::string& handle) const;  // -1 for model containers
  std::filesystem::path log_of(const std::string& handle) const;
  std::size_t process_count() const;
  const ProcessRuntimeOptions& options() const { return options_; }

 private:
  struct Running {
    std::unique_ptr<ChildProcess> process;  // null for a model container
    std::uint16_t port = 0;
    bool model_healthy = true;
    std::filesystem::path log;
    Instant started{};
  };
  std::vector<std::pair<std::string, std::string>> process_env(const ContainerSpec& spec) const;
  std::string next_log_name(const ContainerSpec& spec);

  ProcessRuntimeOptions options_;
  Clock& real_clock_;
  ProcessSpawner spawner_;
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::map<std::string, Running> running_;
};

}  // namespace mepsim::platform
