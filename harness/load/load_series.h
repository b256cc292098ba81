#pragma once
// The per-second series of a run. Each shard counts the current second in a small ring of
// live bins; once a second is over (and a grace second after it), the generator merges
// that second's bins from every shard into one summary and appends it to a ring holding
// the last hour. Memory stays fixed however long the run: 8 live bins per shard and
// 3600 summaries of a few hundred bytes.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "harness/load/load_tally.h"

namespace mepsim::load {

// One second as counted by one shard.
struct SecondBin {
  std::int64_t second = -1;  // since the run's start; -1: unused
  Tally tally;
  std::int64_t session_losses = 0;  // unexpected ones
  std::int64_t expected_logouts = 0;
  CacheCounts cache;

  void merge(const SecondBin& other);
};

// One finished second of the whole run.
struct SecondSummary {
  std::int64_t second = 0;
  std::int64_t requests = 0;
  std::map<int, std::int64_t> status;
  std::int64_t errors = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::int64_t session_losses = 0;
  std::int64_t expected_logouts = 0;
  CacheCounts cache;
  std::string phase;  // the run's phase when the second ended (set by the generator)

  static SecondSummary of(const SecondBin& bin);
};

// A shard's live seconds.
class SecondBins {
 public:
  // Seconds kept open per shard: the closer runs every 250 ms and closes a second two
  // seconds after it began, so eight leave a wide margin before a bin is reused.
  static constexpr std::size_t kLiveSeconds = 8;

  // The bin counting `second`, or null when that second was already closed (a record
  // that arrived late; `late` counts it). Reusing a bin whose second was never closed
  // counts in `overwritten`.
  SecondBin* bin_for(std::int64_t second, std::int64_t closed_before);
  const SecondBin* find(std::int64_t second) const;
  std::int64_t late() const { return late_; }
  std::int64_t overwritten() const { return overwritten_; }

 private:
  std::array<SecondBin, kLiveSeconds> bins_;
  std::int64_t late_ = 0;
  std::int64_t overwritten_ = 0;
};

// The closed seconds, the last hour of them.
class SeriesRing {
 public:
  static constexpr std::size_t kSecondsMax = 3600;
  void push(SecondSummary summary);
  const std::deque<SecondSummary>& seconds() const { return seconds_; }
  std::int64_t evicted() const { return evicted_; }

 private:
  std::deque<SecondSummary> seconds_;
  std::int64_t evicted_ = 0;
};

}  // namespace mepsim::load
