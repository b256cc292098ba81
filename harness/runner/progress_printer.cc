#include "harness/runner/progress_printer.h"

#include <fmt/format.h>

namespace mepsim::runner {
namespace {

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr std::size_t kBarWidth = 20;

double seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string step_line(const report::StepResult& r, bool terminal) {
  const char* mark = r.passed ? (terminal ? "✓" : "PASS") : (terminal ? "✗" : "FAIL");
  std::string line = fmt::format("  {} {}  ({:.0f} ms)", mark, r.description, r.wall_ms);
  if (!r.message.empty()) {
    const std::string first_line = r.message.substr(0, r.message.find('\n'));
    line += r.passed ? "  " + first_line : "\n      " + r.pos + ": " + r.message;
  }
  return line;
}

}  // namespace

ProgressPrinter::ProgressPrinter(std::FILE* out, bool terminal, Clock& real_clock)
    : out_(out), terminal_(terminal), real_clock_(real_clock) {
  if (terminal_) {
    ticker_ = std::thread([this] {
      while (!stopping_) {
        real_clock_.sleep(kTick);
        tick();
      }
    });
  }
}

ProgressPrinter::~ProgressPrinter() {
  stopping_ = true;
  if (ticker_.joinable()) ticker_.join();
}

void ProgressPrinter::scenario_started(const scenario::Scenario& s, std::size_t index,
                                       std::size_t count) {
  std::lock_guard lock(mutex_);
  fmt::print(out_, "[{}/{}] {} ({})\n", index + 1, count, s.name, s.file);
  std::fflush(out_);
}

void ProgressPrinter::step(const StepProgress& p) {
  std::lock_guard lock(mutex_);
  if (p.result == nullptr) {
    running_ = p.scenario->steps[p.index].description;
    running_since_ = real_clock_.now();
    return;
  }
  clear_bar_locked();
  running_.clear();
  fmt::print(out_, "{}\n", step_line(*p.result, terminal_));
  std::fflush(out_);
}

void ProgressPrinter::scenario_finished(const report::ScenarioReport& r) {
  std::lock_guard lock(mutex_);
  clear_bar_locked();
  const char* verdict = r.passed ? "passed" : "FAILED";
  fmt::print(out_, "  {} {} in {:.1f} s (topology {:.1f} s), {} violation(s)\n",
             r.passed ? (terminal_ ? "✓" : "PASS") : (terminal_ ? "✗" : "FAIL"), verdict, r.wall_s,
             r.topology_start_s, r.violations.size());
  if (!r.passed && !r.failure.empty()) fmt::print(out_, "      {}\n", r.failure);
  std::fflush(out_);
}

// A bar that fills over a minute and starts again: a long step is alive, not stuck.
void ProgressPrinter::tick() {
  std::lock_guard lock(mutex_);
  if (running_.empty()) return;
  const Duration elapsed = real_clock_.now() - running_since_;
  if (elapsed < kBarAfter) return;
  const double s = seconds(elapsed);
  const auto filled = static_cast<std::size_t>(s) % 60 * kBarWidth / 60;
  fmt::print(out_, "\r\033[2K  … {} [{}{}] {:.1f} s", running_, std::string(filled, '#'),
             std::string(kBarWidth - filled, '.'), s);
  std::fflush(out_);
  bar_shown_ = true;
}

void ProgressPrinter::clear_bar_locked() {
  if (!bar_shown_) return;
  fmt::print(out_, "\r\033[2K");
  bar_shown_ = false;
}

}  // namespace mepsim::runner
