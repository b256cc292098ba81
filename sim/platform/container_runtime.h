#pragma once
// How the platform starts and stops containers. The model never knows whether a container
// is a model object or a real `mepsim-web` process: both sit behind this interface.

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/platform/release_manifest.h"

namespace mepsim::platform {

struct ContainerSpec {
  std::string app_name;
  std::string label;  // "web-1", "postdeploy-1"
  std::string type;   // "web"
  std::string version;
  // The code the container runs: a process gets it as MEPSIM_RELEASE (its faults, session
  // format and cache namespace are the app's behaviour, not the platform's).
  ReleaseManifest release;
  std::map<std::string, std::string> env;
};

// How a one-shot task (the postdeploy hook, a console command) ended.
struct TaskOutcome {
  int exit_code = 0;
  std::string output;  // the last lines of what it printed, each behind "  | "
};

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;
  // Returns a handle; a container that cannot even be started is an error.
  virtual Result<std::string> start(const ContainerSpec& spec) = 0;
  // Healthy once booted and serving; asked by the platform at the end of the boot time.
  virtual bool healthy(const std::string& handle) = 0;
  // Neither healthy nor crashed yet: a real process may need longer than the boot time
  // of a sped-up clock. The platform asks again for as long as it is; the runtime bounds
  // that in real time. A model container is never still booting.
  virtual bool booting(const std::string& handle);
  // Running but neither healthy nor booting any more: it outlived its start allowance.
  virtual bool alive(const std::string& handle) { return healthy(handle); }
  virtual void stop(const std::string& handle) = 0;

  // Whether run_task runs real commands. When it does not, the platform models the
  // postdeploy hook itself from the manifest.
  virtual bool runs_tasks() const;
  // Runs `args` to its end (at most `timeout`) in a one-shot container made from `spec`.
  // An error when it could not run or did not finish; a non-zero exit is an outcome.
  virtual Result<TaskOutcome> run_task(const ContainerSpec& spec, std::vector<std::string> args,
                                       Duration timeout);
};

// Containers as model objects: healthy unless the release crashes on boot. Thread-safe.
class ModelContainerRuntime final : public ContainerRuntime {
 public:
  Result<std::string> start(const ContainerSpec& spec) override;
  bool healthy(const std::string& handle) override;
  void stop(const std::string& handle) override;
  bool alive(const std::string& handle) override;
  // The model's way for a running container to die, as a SIGKILL ends a process: neither
  // healthy nor alive from now on, until the platform stops it.
  void crash(const std::string& handle);
  std::size_t running_count() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::map<std::string, bool> healthy_by_handle_;
  std::set<std::string> crashed_;
};

}  // namespace mepsim::platform
