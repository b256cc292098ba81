#pragma once
// The procedure's rules, live, on a topology someone drives by hand (`mepsim up`, `mepsim
// shell`): every poll interval the monitor evaluates the rules on the event log so far
// (final = false: obligations that may still be met are not reported yet) and announces
// each violation the first time it appears. It also serves the rehearsal report on the
// admin API (GET {MEPSIM_ADMIN_URL}/_mepsim/rehearsal/report), built on each request.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness/report/run_report.h"
#include "harness/rules/procedure_rules.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim {

class Topology;

// Which violations were announced already: a live evaluation finds the same ones again on
// every poll.
class ViolationTracker {
 public:
  // Past this many, new violations are still in the report but no longer announced.
  static constexpr std::size_t kAnnouncedMax = 10'000;

  // Those of `all` not seen before, in order; they are remembered.
  std::vector<rules::Violation> fresh(const std::vector<rules::Violation>& all);

 private:
  std::set<std::string> seen_;  // rule, time and summary; at most kAnnouncedMax
};

// "violation R3-review-apps-closed at 2026-01-05T08:00:00.000Z: PR #1141 …"
std::string violation_line(const rules::Violation& violation);

struct RehearsalMonitorOptions {
  std::uint64_t seed = 0;
  std::string tool_version;
  rules::RuleOptions rules;
  double time_scale = 1.0;  // the platform clock's (`--time-scale`), for the report's marks
  Duration poll_interval = std::chrono::milliseconds(500);  // of the real clock
};

class RehearsalMonitor {
 public:
  // `topology`, `log` and `real_clock` (unscaled) must outlive the monitor. `announce` gets
  // each new violation's line, on the monitor's thread.
  RehearsalMonitor(Topology& topology, EventLog& log, Clock& real_clock,
                   RehearsalMonitorOptions options,
                   std::function<void(const std::string&)> announce);
  ~RehearsalMonitor();  // stops
  RehearsalMonitor(const RehearsalMonitor&) = delete;
  RehearsalMonitor& operator=(const RehearsalMonitor&) = delete;

  // Starts polling and serves the report on the admin API.
  void start();
  // Stops polling (within one poll interval); the report is served until the monitor goes.
  void stop();
  // One evaluation now: announces what is new.
  void poll();
  // The violations of the last evaluation (final = false), in timeline order: what the
  // dashboard shows as they appear.
  std::vector<rules::Violation> live_violations() const;

  // The report as it stands: final rules, the measured figures read now.
  report::RunReport report() const;
  // The same as JSON, with the env file's secrets redacted: what the admin API serves.
  nlohmann::json report_json() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the admin API's document while it runs
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> last_published_{0};
};

}  // namespace mepsim
