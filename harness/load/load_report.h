#pragma once
// What a load run measured, as one value: the whole run, per class, per route, per phase,
// the sessions, the cache, the writes, the per-second series. A snapshot: report() makes
// one while the run goes on. Histograms are kept whole, so that reports of shards or
// processes merge exactly before percentiles are read.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/load/load_options.h"
#include "harness/load/load_series.h"
#include "harness/load/load_tally.h"
#include "harness/load/lost_writes.h"
#include "harness/load/toggle_record.h"
#include "harness/report/run_report.h"

namespace mepsim::load {

struct PhaseReport {
  std::string name;
  double start_s = 0;     // since the run's start, when it was first marked
  double duration_s = 0;  // time spent in it so far (a name marked twice adds up)
  Tally tally;
};

struct LoadReport {
  std::string name;
  std::string app;
  std::string target_url;
  bool closed = false;
  double rate_per_s = 0;
  std::optional<double> ramp_to_rate_per_s;
  int connections = 0;
  int threads = 1;
  bool running = false;   // a snapshot taken while the run went on
  double duration_s = 0;  // from the start to now (or to the stop)

  Tally total;
  std::map<UserClass, Tally> per_class;
  std::map<std::string, Tally> per_route;
  std::vector<PhaseReport> per_phase;       // in the order they were first marked
  std::map<UserClass, std::int64_t> users;  // virtual users per class
  SessionCounts sessions;
  std::map<UserClass, SessionCounts> sessions_per_class;
  CacheCounts cache;
  WriteCounts writes;
  std::vector<std::string> lost_references;  // the first lost ones, once checked
  // The run's list of accepted reports (shared, not copied): what a lost-writes check
  // looks up.
  std::shared_ptr<const AcceptedWrites> accepted_writes;

  std::vector<ToggleRecord> toggles;  // maintenance toggles made during the run, in order

  std::vector<SecondSummary> series;  // the last hour of closed seconds, oldest first
  std::int64_t series_evicted = 0;    // older seconds that left the ring
  std::int64_t series_late = 0;       // exchanges that ended after their second closed

  std::int64_t retries = 0;
  std::int64_t backlog_max = 0;
  std::int64_t unsent_at_stop = 0;
  std::int64_t events_published = 0;
  std::int64_t events_dropped = 0;
};

// requests, duration_s, rps, latency_ms {p50,p90,p99,p999,max,mean}, status {code: n},
// errors {kind: n}; the same under per_class, per_phase, per_route; sessions, cache,
// writes (lost is null until checked), series; the run's histogram for exact merges.
nlohmann::json to_json(const LoadReport& report);
// The series in the run report's shape (harness/report/run_report.h).
std::vector<report::SecondSample> to_series(const LoadReport& report);

// The error share of a group: answers other than 2xx/3xx plus transport errors.
double error_rate(const Tally& tally);

}  // namespace mepsim::load
