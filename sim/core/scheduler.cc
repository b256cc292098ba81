#include "sim/core/scheduler.h"

#include <fmt/format.h>

namespace mepsim {

Scheduler::Scheduler(VirtualClock& clock, std::size_t pending_max)
    : clock_(clock), pending_max_(pending_max) {}

Result<TaskId> Scheduler::at(Instant due, std::string label, Task task) {
  if (queue_.size() >= pending_max_) {
    return make_error(ErrorCode::capacity,
                      fmt::format("scheduler full ({} tasks pending) while scheduling '{}'",
                                  pending_max_, label));
  }
  due = std::max(due, clock_.now());
  const TaskId id = next_id_++;
  queue_.emplace(Key{due, id}, Entry{std::move(label), std::move(task)});
  due_by_id_.emplace(id, due);
  return id;
}

Result<TaskId> Scheduler::after(Duration delay, std::string label, Task task) {
  return at(clock_.now() + delay, std::move(label), std::move(task));
}

bool Scheduler::cancel(TaskId id) {
  const auto found = due_by_id_.find(id);
  if (found == due_by_id_.end()) return false;
  queue_.erase(Key{found->second, id});
  due_by_id_.erase(found);
  return true;
}

bool Scheduler::run_next() {
  if (queue_.empty()) return false;
  auto node = queue_.extract(queue_.begin());
  due_by_id_.erase(node.key().id);
  clock_.advance_to(node.key().due);
  node.mapped().task();
  return true;
}

std::size_t Scheduler::run_until(Instant until) {
  std::size_t ran = 0;
  while (!queue_.empty() && queue_.begin()->first.due <= until) {
    run_next();
    ++ran;
  }
  clock_.advance_to(until);
  return ran;
}

std::size_t Scheduler::run_all(std::size_t tasks_max) {
  std::size_t ran = 0;
  while (ran < tasks_max && run_next()) ++ran;
  return ran;
}

std::optional<Instant> Scheduler::next_due() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.begin()->first.due;
}

}  // namespace mepsim
