#pragma once
// Timed tasks on the virtual clock, run in (due time, order of scheduling): two tasks due
// at the same instant always run in the order they were scheduled, which keeps a run
// deterministic for its seed.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim {

using TaskId = std::uint64_t;

class Scheduler {
 public:
  using Task = std::function<void()>;
  // A run never has more pending tasks than this; scheduling one more is an error, not
  // an unbounded queue.
  static constexpr std::size_t kDefaultPendingMax = 100'000;

  explicit Scheduler(VirtualClock& clock, std::size_t pending_max = kDefaultPendingMax);

  // A due time in the past means "now".
  Result<TaskId> at(Instant due, std::string label, Task task);
  Result<TaskId> after(Duration delay, std::string label, Task task);
  // False when the task already ran or was cancelled.
  bool cancel(TaskId id);

  // Runs every task due up to and including `until`, moving the clock to each task's due
  // time and then to `until`. Tasks may schedule others; those due by `until` run too.
  std::size_t run_until(Instant until);
  std::size_t run_for(Duration d) { return run_until(clock_.now() + d); }
  // Runs tasks until none is pending or `tasks_max` have run.
  std::size_t run_all(std::size_t tasks_max);

  std::optional<Instant> next_due() const;
  std::size_t pending() const { return queue_.size(); }
  VirtualClock& clock() { return clock_; }

 private:
  struct Key {
    Instant due;
    TaskId id;
    auto operator<=>(const Key&) const = default;
  };
  struct Entry {
    std::string label;
    Task task;
  };
  bool run_next();

  VirtualClock& clock_;
  std::size_t pending_max_;
  TaskId next_id_ = 1;
  std::map<Key, Entry> queue_;
  std::unordered_map<TaskId, Instant> due_by_id_;
};

}  // namespace mepsim
