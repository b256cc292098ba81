#pragma once
// The load generator (issue 8): virtual users of each class on keep-alive connections,
// an open loop at a constant or ramping arrival rate with latency counted from each
// request's intended send time (no coordinated omission), or a closed loop of N
// connections as fast as they go. It counts per class, route and phase, per second,
// the sessions kept and lost, the cache's hit ratio and the reports written, for the
// scenario runner and `mepsim load`.
//
//   auto gen = LoadGenerator::start(options, real_clock, &log);
//   gen->mark_phase("during-toggle-1");
//   gen->set_maintenance_expected(true);
//   …
//   gen->stop();
//   auto report = gen->report();
//   check_lost_writes(report, database_url);

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/load/load_options.h"
#include "harness/load/load_report.h"
#include "harness/load/lost_writes.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"

namespace mepsim::load {

struct LoadShared;
class LoadShard;

class LoadGenerator {
 public:
  // Validates the options, resolves the target, and starts the shards' threads. The
  // clock must be a real one at scale 1 (latencies are real time); `log` may be null and
  // must outlive the generator.
  static Result<std::unique_ptr<LoadGenerator>> start(LoadOptions options, Clock& real_clock,
                                                      EventLog* log);
  ~LoadGenerator();
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  // Requests intended from now on count in `phase` ("during-toggle-1"); a name marked
  // again adds to its first counts. At most 64 names; later ones count in the 64th.
  void mark_phase(const std::string& phase);
  // Whether maintenance is in effect (the caller knows: it restarted the app with it): a
  // non-admin sent to /logout then is an expected logout, not a loss, and the logged-in
  // classes log in again once it is off.
  void set_maintenance_expected(bool on);
  // A restart switching maintenance on or off is under way: users may meet either mode.
  // `expected` says how they behave (a non-admin's logout is then expected, not a loss);
  // their exchanges are not reported as made in maintenance (R10 judges those).
  void set_maintenance_switching(bool expected);
  bool maintenance_expected() const;
  // A toggle made while the load ran (restart_at_s since the load's start: see since_start_s).
  void record_toggle(ToggleRecord toggle);
  double since_start_s(Instant at) const;
  // Stops the arrivals; exchanges in flight get `stop_grace` to finish, then are cut.
  // Idempotent; returns once every shard's thread has ended.
  void stop();
  // The duration has elapsed (the run ends by itself).
  bool finished() const;
  // A snapshot; callable while running.
  LoadReport report() const;
  // The closed seconds after `second` (-1: all kept), oldest first: cheap (no shard is
  // read), for a live view of the run (dashboard_poster.h).
  std::vector<SecondSummary> closed_seconds_after(std::int64_t second) const;

  // Looks every accepted report up in MySQL; the result shows in later reports.
  Result<LostWritesCheck> check_lost_writes(const MysqlUrl& url);

  const LoadOptions& options() const { return options_; }

 private:
  struct Phase {
    std::string name;
    Instant first_start{};
    Duration time_in{};  // closed intervals so far
  };
  LoadGenerator(LoadOptions options, Clock& clock, EventLog* log);
  void close_series(std::int64_t before_second);
  void close_due_seconds();

  LoadOptions options_;
  Clock& clock_;
  std::unique_ptr<LoadShared> shared_;
  std::vector<std::unique_ptr<LoadShard>> shards_;

  mutable std::mutex mutex_;  // guards what follows
  std::vector<Phase> phases_;
  std::size_t current_phase_ = 0;
  Instant current_phase_since_{};
  std::optional<Instant> stopped_at_;
  SeriesRing series_;
  std::int64_t next_second_to_close_ = 0;
  // When each phase was marked (the second it began in), since the last closed second's:
  // what names a closed second's phase.
  struct PhaseMark {
    std::int64_t second = 0;
    std::size_t phase = 0;
  };
  std::deque<PhaseMark> phase_marks_;
  std::optional<LostWritesCheck> lost_check_;
  std::vector<ToggleRecord> toggles_;
  std::once_flag stop_once_;
};

// The free form the scenario runner uses: checks the writes `report` was made with and
// writes the result into it (writes.lost, lost_references).
Result<LostWritesCheck> check_lost_writes(LoadReport& report, const MysqlUrl& url);

}  // namespace mepsim::load
