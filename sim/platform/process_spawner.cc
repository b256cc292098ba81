#include "sim/platform/process_spawner.h"

#include <optional>

namespace mepsim::platform {

struct ProcessSpawner::Request {
  SpawnSpec spec;
  std::optional<Result<ChildProcess>> result;  // set on the spawner's thread
  std::condition_variable done;
};

ProcessSpawner::ProcessSpawner() : thread_([this] { loop(); }) {}

ProcessSpawner::~ProcessSpawner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<ChildProcess> ProcessSpawner::spawn(const SpawnSpec& spec, Duration timeout) {
  auto request = std::make_shared<Request>();
  request->spec = spec;
  std::unique_lock lock(mutex_);
  if (stopping_) return make_error(ErrorCode::unavailable, "the process spawner is stopping");
  queue_.push_back(request);
  wake_.notify_all();
  if (!request->done.wait_for(lock, timeout, [&] { return request->result.has_value(); })) {
    return make_error(ErrorCode::timeout,
                      "spawning " + spec.program.filename().string() + " took too long");
  }
  return std::move(*request->result);
}

void ProcessSpawner::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to spawn
    auto request = queue_.front();
    queue_.pop_front();
    lock.unlock();
    auto spawned = ChildProcess::spawn(request->spec);
    lock.lock();
    request->result.emplace(std::move(spawned));
    request->done.notify_all();
  }
}

}  // namespace mepsim::platform
