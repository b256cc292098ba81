#pragma once
// What `mepsim run` shows while scenarios run. On a terminal: a line per step with ✓ or ✗
// and its time, and on a step that lasts, a live bar with its elapsed time; elsewhere (CI
// logs) plain lines only, never a control character.

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "harness/runner/scenario_runner.h"
#include "sim/core/clock.h"

namespace mepsim::runner {

class ProgressPrinter {
 public:
  // A step shows its bar once it has run this long.
  static constexpr Duration kBarAfter = std::chrono::milliseconds(700);

  ProgressPrinter(std::FILE* out, bool terminal, Clock& real_clock);
  ~ProgressPrinter();
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  void scenario_started(const scenario::Scenario& s, std::size_t index, std::size_t count);
  void step(const StepProgress& progress);
  void scenario_finished(const report::ScenarioReport& r);

 private:
  void tick();
  void clear_bar_locked();

  std::FILE* out_;
  bool terminal_;
  Clock& real_clock_;
  std::mutex mutex_;
  std::string running_;  // the step under way, "" between steps
  Instant running_since_{};
  bool bar_shown_ = false;
  std::atomic<bool> stopping_{false};
  std::thread ticker_;
};

}  // namespace mepsim::runner
