#include "harness/topology/container_stopper.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace mepsim {
namespace {

// With nothing pending the thread still looks again this often: a bound, not a poll
// anyone relies on (every change notifies).
constexpr auto kIdleWait = std::chrono::seconds(1);

}  // namespace

struct ContainerStopper::Shared {
  struct Pending {
    Instant deadline;
    bool drained = false;
  };
  mutable std::mutex mutex;
  std::condition_variable changed;
  // One entry per container being stopped: bounded by the platform's containers.
  std::map<std::string, Pending> pending;
  bool finishing = false;
};

ContainerStopper::ContainerStopper(platform::ContainerRuntime& runtime, Clock& clock,
                                   Duration drain_max)
    : runtime_(runtime),
      clock_(clock),
      drain_max_(drain_max),
      shared_(std::make_shared<Shared>()),
      thread_([this] { loop(); }) {}

ContainerStopper::~ContainerStopper() {
  finish();
}

std::function<void()> ContainerStopper::stop_when_drained(const std::string& handle) {
  {
    std::unique_lock lock(shared_->mutex);
    if (shared_->finishing) {
      // The thread may be gone: no one would stop it later.
      lock.unlock();
      runtime_.stop(handle);
      return [] {};
    }
    shared_->pending[handle] = {clock_.now() + drain_max_, false};
  }
  shared_->changed.notify_all();
  return [shared = shared_, handle] {
    {
      std::lock_guard lock(shared->mutex);
      const auto found = shared->pending.find(handle);
      if (found != shared->pending.end()) found->second.drained = true;
    }
    shared->changed.notify_all();
  };
}

void ContainerStopper::stop_soon(const std::string& handle) {
  {
    std::unique_lock lock(shared_->mutex);
    if (shared_->finishing) {
      lock.unlock();
      runtime_.stop(handle);
      return;
    }
    shared_->pending[handle] = {clock_.now(), true};
  }
  shared_->changed.notify_all();
}

void ContainerStopper::finish() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->finishing = true;
  }
  shared_->changed.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t ContainerStopper::pending() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->pending.size();
}

void ContainerStopper::loop() {
  std::unique_lock lock(shared_->mutex);
  while (true) {
    const Instant now = clock_.now();
    auto ready = std::find_if(shared_->pending.begin(), shared_->pending.end(), [&](auto& entry) {
      return entry.second.drained || entry.second.deadline <= now;
    });
    if (ready != shared_->pending.end()) {
      const std::string handle = ready->first;
      shared_->pending.erase(ready);
      lock.unlock();
      runtime_.stop(handle);  // SIGTERM, bounded by the runtime's grace
      lock.lock();
      continue;
    }
    if (shared_->finishing && shared_->pending.empty()) return;
    Duration wait = kIdleWait;
    for (const auto& [handle, entry] : shared_->pending)
      wait = std::min(wait, entry.deadline - now);
    shared_->changed.wait_for(lock, wait);
  }
}

}  // namespace mepsim
