#pragma once
// Spawns child processes from one thread of its own. The kernel ties a child's death
// signal (see ChildProcess) to the thread that spawned it, and the platform starts
// containers from whatever thread calls it: an HTTP handler of the API fake, the clock
// driver. Spawned from those, a container would be killed when that thread ends; spawned
// here, it lives until it is stopped or mepsim dies.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "sim/core/result.h"
#include "sim/process/child_process.h"

namespace mepsim::platform {

class ProcessSpawner {
 public:
  ProcessSpawner();
  ~ProcessSpawner();
  ProcessSpawner(const ProcessSpawner&) = delete;
  ProcessSpawner& operator=(const ProcessSpawner&) = delete;

  // Spawns on the spawner's thread and waits for it (fork and exec: milliseconds; past
  // `timeout`, a timeout error and the child, if it comes, is killed).
  Result<ChildProcess> spawn(const SpawnSpec& spec, Duration timeout = std::chrono::seconds(10));

 private:
  struct Request;
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Request>> queue_;  // at most one per waiting caller
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mepsim::platform
