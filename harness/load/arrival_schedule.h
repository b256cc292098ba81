#pragma once
// When each request of an open loop is meant to leave: the k-th arrival of a constant
// rate R at k/R, of a linear ramp from R0 to R1 over D where the arrivals so far,
// R0·t + (R1−R0)·t²/2D, reach k. A request's latency counts from this intended time, not
// from when it could actually be sent: a stalled server delays the requests queued
// behind it, and that delay is measured (no coordinated omission).

#include <cstdint>
#include <optional>

#include "sim/core/clock.h"

namespace mepsim::load {

class ArrivalSchedule {
 public:
  // `rate_per_s` > 0; a ramp needs `duration`.
  ArrivalSchedule(double rate_per_s, std::optional<double> ramp_to_rate_per_s,
                  std::optional<Duration> duration, Duration first_offset = Duration::zero());

  // The k-th arrival's time since the start (k from 0); none at or past the duration.
  std::optional<Duration> offset_of(std::uint64_t k) const;
  // The rate at its highest, for sizing the user population.
  double peak_rate_per_s() const;

 private:
  double rate_per_s_;
  double acceleration_;  // (R1−R0)/2D per s²: 0 for a constant rate
  std::optional<Duration> duration_;
  Duration first_offset_;
  double ramp_to_rate_per_s_;
};

}  // namespace mepsim::load
