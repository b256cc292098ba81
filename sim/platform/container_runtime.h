#pragma once
// How the platform starts and stops containers. The model never knows whether a container
// is a model object or a real `mepsim-web` process: both sit behind this interface.

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "sim/core/result.h"

namespace mepsim::platform {

struct ContainerSpec {
  std::string app_name;
  std::string label;  // "web-1"
  std::string type;   // "web"
  std::string version;
  bool crash_on_boot = false;
  std::map<std::string, std::string> env;
};

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;
  // Returns a handle; a container that cannot even be started is an error.
  virtual Result<std::string> start(const ContainerSpec& spec) = 0;
  // Healthy once booted and serving; asked by the platform at the end of the boot time.
  virtual bool healthy(const std::string& handle) = 0;
  virtual void stop(const std::string& handle) = 0;
};

// Containers as model objects: healthy unless the release crashes on boot. Thread-safe.
class ModelContainerRuntime final : public ContainerRuntime {
 public:
  Result<std::string> start(const ContainerSpec& spec) override;
  bool healthy(const std::string& handle) override;
  void stop(const std::string& handle) override;
  std::size_t running_count() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::map<std::string, bool> healthy_by_handle_;
};

}  // namespace mepsim::platform
