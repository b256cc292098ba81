#include "harness/load/arrival_schedule.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace mepsim::load {

ArrivalSchedule::ArrivalSchedule(double rate_per_s, std::optional<double> ramp_to_rate_per_s,
                                 std::optional<Duration> duration, Duration first_offset)
    : rate_per_s_(rate_per_s),
      acceleration_(0),
      duration_(duration),
      first_offset_(first_offset),
      ramp_to_rate_per_s_(ramp_to_rate_per_s.value_or(rate_per_s)) {
  assert(rate_per_s > 0);
  if (ramp_to_rate_per_s && duration) {
    const double d_s = std::chrono::duration<double>(*duration).count();
    acceleration_ = (*ramp_to_rate_per_s - rate_per_s) / (2 * d_s);
  }
}

std::optional<Duration> ArrivalSchedule::offset_of(std::uint64_t k) const {
  const auto n = static_cast<double>(k);
  double t_s = 0;
  if (acceleration_ == 0) {
    t_s = n / rate_per_s_;
  } else {
    // The root of a·t² + R0·t − k = 0 in its stable form (no cancellation when a → 0).
    const double discriminant = rate_per_s_ * rate_per_s_ + 4 * acceleration_ * n;
    if (discriminant < 0) return std::nullopt;  // a ramp down ran out of arrivals
    t_s = 2 * n / (rate_per_s_ + std::sqrt(discriminant));
  }
  const auto offset =
      first_offset_ + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(t_s));
  if (duration_ && offset >= *duration_) return std::nullopt;
  return offset;
}

double ArrivalSchedule::peak_rate_per_s() const {
  return std::max(rate_per_s_, ramp_to_rate_per_s_);
}

}  // namespace mepsim::load
