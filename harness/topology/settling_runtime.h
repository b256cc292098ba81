#pragma once
// The container runtime a scenario run gives the platform: the routers' real processes, seen
// only once they have settled. Asked whether a container is healthy, it first waits (real
// time, bounded) until the process is no longer booting, so the platform never sees a
// container "still booting" because the machine was slow: the control plane's decisions —
// and the run's fingerprint — do not depend on real boot times.

#include "sim/core/clock.h"
#include "sim/platform/container_runtime.h"

namespace mepsim {

class SettlingRuntime final : public platform::ContainerRuntime {
 public:
  // A process still booting after this much real time is reported as booting, and the
  // platform's start timeout decides.
  static constexpr Duration kSettleMax = std::chrono::seconds(30);
  static constexpr Duration kPoll = std::chrono::milliseconds(5);

  SettlingRuntime(platform::ContainerRuntime& inner, Clock& real_clock)
      : inner_(inner), real_clock_(real_clock) {}

  Result<std::string> start(const platform::ContainerSpec& spec) override {
    return inner_.start(spec);
  }
  bool healthy(const std::string& handle) override;
  bool booting(const std::string& handle) override { return inner_.booting(handle); }
  bool alive(const std::string& handle) override { return inner_.alive(handle); }
  void stop(const std::string& handle) override { inner_.stop(handle); }
  bool runs_tasks() const override { return inner_.runs_tasks(); }
  Result<platform::TaskOutcome> run_task(const platform::ContainerSpec& spec,
                                         std::vector<std::string> args, Duration timeout) override {
    return inner_.run_task(spec, std::move(args), timeout);
  }

 private:
  platform::ContainerRuntime& inner_;
  Clock& real_clock_;
};

}  // namespace mepsim
