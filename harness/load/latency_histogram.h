#pragma once
// A log-linear (HDR-style) latency histogram: values in nanoseconds from 1 ns to 1 h, in
// buckets whose width is at most 1/128 of their value, so that any recorded latency reads
// back with at least 2 significant digits (better than 1%). Fixed memory (36 KiB of
// counters, whatever the run's length), recording in O(1) with no allocation, and an
// exact merge: merging the histograms of two shards gives the histogram of all their
// values, which is what lets shards (threads, later processes) record apart.

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::load {

class LatencyHistogram {
 public:
  // 1 h: a value above it is recorded as 1 h and counted as saturated.
  static constexpr std::int64_t kHighestTrackableNs = 3'600'000'000'000;
  // 2^(7+1) = 256 linear sub-buckets in the first bucket, 128 in each later one.
  static constexpr int kSubBucketHalfCountMagnitude = 7;
  static constexpr std::int64_t kSubBucketCount = std::int64_t{1}
                                                  << (kSubBucketHalfCountMagnitude + 1);
  static constexpr std::int64_t kSubBucketHalfCount = kSubBucketCount / 2;
  // Buckets until 256 << (n - 1) covers 1 h: 35.
  static constexpr int kBucketCount = 35;
  static constexpr std::size_t kCountsLength =
      static_cast<std::size_t>(kBucketCount + 1) * static_cast<std::size_t>(kSubBucketHalfCount);

  void record(Duration latency) { record_ns(latency.count()); }
  void record_ns(std::int64_t value_ns);

  std::int64_t count() const { return total_; }
  std::int64_t saturated() const { return saturated_; }
  // Exact extremes of what was recorded (after clamping to [0, 1 h]); 0 when empty.
  std::int64_t min_ns() const { return total_ == 0 ? 0 : min_ns_; }
  std::int64_t max_ns() const { return max_ns_; }
  double mean_ns() const;

  // The smallest bucket's upper edge that at least `percentile`% of the values reach:
  // HDR's convention, an upper bound within 1% of the true value. 0 when empty;
  // percentile 100 gives the exact maximum.
  std::int64_t value_at_percentile_ns(double percentile) const;
  double percentile_ms(double percentile) const {
    return static_cast<double>(value_at_percentile_ns(percentile)) / 1e6;
  }
  double max_ms() const { return static_cast<double>(max_ns_) / 1e6; }

  void merge(const LatencyHistogram& other);
  void reset();
  bool operator==(const LatencyHistogram& other) const = default;

  // The nonzero counters as [index, count] pairs, with count, min, max, sum and saturated:
  // reading it back gives an equal histogram.
  nlohmann::json to_json() const;
  static Result<LatencyHistogram> from_json(const nlohmann::json& json);

  // The bucketing, exposed for tests and benchmarks.
  static std::size_t index_of(std::int64_t value_ns);
  static std::int64_t lowest_equivalent_ns(std::size_t index);
  static std::int64_t highest_equivalent_ns(std::size_t index);

 private:
  std::array<std::int64_t, kCountsLength> counts_{};
  std::int64_t total_ = 0;
  std::int64_t saturated_ = 0;
  std::int64_t min_ns_ = 0;
  std::int64_t max_ns_ = 0;
  // Sum of the values, for the mean: 1 h × 2^63/3.6e12 ≈ 2.5 million hours of latency
  // before it could overflow.
  std::int64_t sum_ns_ = 0;
};

}  // namespace mepsim::load
