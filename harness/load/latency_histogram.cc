#include "harness/load/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mepsim::load {
namespace {

constexpr int kHalfMagnitude = LatencyHistogram::kSubBucketHalfCountMagnitude;
constexpr std::uint64_t kSubBucketMask =
    static_cast<std::uint64_t>(LatencyHistogram::kSubBucketCount) - 1;

}  // namespace

std::size_t LatencyHistogram::index_of(std::int64_t value_ns) {
  const auto value = static_cast<std::uint64_t>(value_ns);
  // The power of two just above the value, counted from the first bucket's range.
  const int bucket = 64 - std::countl_zero(value | kSubBucketMask) - (kHalfMagnitude + 1);
  const auto sub_bucket = static_cast<std::int64_t>(value >> bucket);
  return static_cast<std::size_t>(((static_cast<std::int64_t>(bucket) + 1) << kHalfMagnitude) +
                                  (sub_bucket - kSubBucketHalfCount));
}

std::int64_t LatencyHistogram::lowest_equivalent_ns(std::size_t index) {
  auto bucket = static_cast<std::int64_t>(index >> kHalfMagnitude) - 1;
  auto sub_bucket =
      static_cast<std::int64_t>(index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

std::int64_t LatencyHistogram::highest_equivalent_ns(std::size_t index) {
  const auto bucket =
      std::max<std::int64_t>(static_cast<std::int64_t>(index >> kHalfMagnitude) - 1, 0);
  return lowest_equivalent_ns(index) + (std::int64_t{1} << bucket) - 1;
}

void LatencyHistogram::record_ns(std::int64_t value_ns) {
  if (value_ns < 0) value_ns = 0;
  if (value_ns > kHighestTrackableNs) {
    value_ns = kHighestTrackableNs;
    ++saturated_;
  }
  ++counts_[index_of(value_ns)];
  if (total_ == 0 || value_ns < min_ns_) min_ns_ = value_ns;
  if (value_ns > max_ns_) max_ns_ = value_ns;
  ++total_;
  sum_ns_ += value_ns;
}

double LatencyHistogram::mean_ns() const {
  return total_ == 0 ? 0.0 : static_cast<double>(sum_ns_) / static_cast<double>(total_);
}

std::int64_t LatencyHistogram::value_at_percentile_ns(double percentile) const {
  if (total_ == 0) return 0;
  const double p = std::clamp(percentile, 0.0, 100.0);
  auto wanted = static_cast<std::int64_t>(std::ceil(p / 100.0 * static_cast<double>(total_)));
  wanted = std::clamp<std::int64_t>(wanted, 1, total_);
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted) return std::min(highest_equivalent_ns(i), max_ns_);
  }
  return max_ns_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.total_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ns_ = total_ == 0 ? other.min_ns_ : std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  total_ += other.total_;
  saturated_ += other.saturated_;
  sum_ns_ += other.sum_ns_;
}

void LatencyHistogram::reset() {
  *this = LatencyHistogram();
}

nlohmann::json LatencyHistogram::to_json() const {
  nlohmann::json counts = nlohmann::json::array();
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) counts.push_back({i, counts_[i]});
  }
  return {{"unit", "ns"},
          {"sub_bucket_half_count_magnitude", kHalfMagnitude},
          {"count", total_},
          {"min", min_ns()},
          {"max", max_ns_},
          {"sum", sum_ns_},
          {"saturated", saturated_},
          {"counts", std::move(counts)}};
}

Result<LatencyHistogram> LatencyHistogram::from_json(const nlohmann::json& json) {
  const auto bad = [](const std::string& why) {
    return make_error(ErrorCode::invalid_input, "latency histogram: " + why);
  };
  if (!json.is_object()) return bad("not an object");
  if (json.value("unit", "") != "ns" ||
      json.value("sub_bucket_half_count_magnitude", -1) != kHalfMagnitude) {
    return bad("another unit or precision than this build's (ns, magnitude 7)");
  }
  LatencyHistogram h;
  try {
    const auto& counts = json.at("counts");
    if (!counts.is_array()) return bad("counts is not an array");
    std::int64_t total = 0;
    for (const auto& pair : counts) {
      const auto index = pair.at(0).get<std::size_t>();
      const auto n = pair.at(1).get<std::int64_t>();
      if (index >= kCountsLength || n < 0) return bad("counter out of range");
      h.counts_[index] += n;
      total += n;
    }
    h.total_ = json.at("count").get<std::int64_t>();
    if (h.total_ != total) return bad("count differs from the counters' sum");
    h.min_ns_ = json.at("min").get<std::int64_t>();
    h.max_ns_ = json.at("max").get<std::int64_t>();
    h.sum_ns_ = json.at("sum").get<std::int64_t>();
    h.saturated_ = json.at("saturated").get<std::int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  if (h.total_ == 0) h.min_ns_ = 0;
  return h;
}

}  // namespace mepsim::load
