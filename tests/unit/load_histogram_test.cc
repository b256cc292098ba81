// Unit tests of harness/load/latency_histogram.h: 2 significant digits from 1 µs to 1 h,
// percentiles, exact merges, fixed memory, and a JSON form that reads back equal.

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "harness/load/latency_histogram.h"

namespace mepsim::load {
namespace {

constexpr std::int64_t kMicrosecondNs = 1'000;
constexpr std::int64_t kHourNs = 3'600'000'000'000;

TEST(LoadHistogram, TwoSignificantDigitsFromOneMicrosecondToOneHour) {
  // Every value between 1 µs and 1 h (log-spaced, 2000 of them) reads back, as its
  // bucket's upper edge, within 1% of itself; the bucket's lower edge is never above it.
  for (int i = 0; i <= 2000; ++i) {
    const double exponent =
        std::log10(double(kMicrosecondNs)) +
        (std::log10(double(kHourNs)) - std::log10(double(kMicrosecondNs))) * i / 2000;
    const auto value = static_cast<std::int64_t>(std::pow(10.0, exponent));
    const auto index = LatencyHistogram::index_of(value);
    const auto low = LatencyHistogram::lowest_equivalent_ns(index);
    const auto high = LatencyHistogram::highest_equivalent_ns(index);
    ASSERT_LE(low, value) << value;
    ASSERT_GE(high, value) << value;
    ASSERT_LT(double(high - value) / double(value), 0.01) << value;
    ASSERT_LT(double(value - low) / double(value), 0.01) << value;
    ASSERT_LT(index, LatencyHistogram::kCountsLength);
  }
}

TEST(LoadHistogram, ExactBelow256Nanoseconds) {
  // The first bucket is linear: every nanosecond has its own counter.
  for (std::int64_t v = 0; v < 256; ++v) {
    EXPECT_EQ(LatencyHistogram::lowest_equivalent_ns(LatencyHistogram::index_of(v)), v);
    EXPECT_EQ(LatencyHistogram::highest_equivalent_ns(LatencyHistogram::index_of(v)), v);
  }
}

TEST(LoadHistogram, PercentilesOfAKnownDistribution) {
  // 1..10000 µs once each: p50 ≈ 5 ms, p90 ≈ 9 ms, p99 ≈ 9.9 ms within 1%, exact max.
  auto h = std::make_unique<LatencyHistogram>();
  for (std::int64_t us = 1; us <= 10'000; ++us) h->record_ns(us * kMicrosecondNs);
  EXPECT_EQ(h->count(), 10'000);
  EXPECT_NEAR(h->percentile_ms(50), 5.0, 0.05);
  EXPECT_NEAR(h->percentile_ms(90), 9.0, 0.09);
  EXPECT_NEAR(h->percentile_ms(99), 9.9, 0.099);
  EXPECT_NEAR(h->percentile_ms(99.9), 9.99, 0.0999);
  EXPECT_DOUBLE_EQ(h->percentile_ms(100), 10.0);
  EXPECT_DOUBLE_EQ(h->max_ms(), 10.0);
  EXPECT_EQ(h->min_ns(), kMicrosecondNs);
  EXPECT_NEAR(h->mean_ns(), 5000.5 * double(kMicrosecondNs), 1);
}

TEST(LoadHistogram, EmptyAndClampedValues) {
  // An empty histogram reads 0; negatives count as 0; over 1 h counts as 1 h, saturated.
  auto h = std::make_unique<LatencyHistogram>();
  EXPECT_EQ(h->value_at_percentile_ns(99), 0);
  EXPECT_EQ(h->max_ns(), 0);
  h->record_ns(-5);
  h->record_ns(kHourNs * 3);
  EXPECT_EQ(h->count(), 2);
  EXPECT_EQ(h->saturated(), 1);
  EXPECT_EQ(h->min_ns(), 0);
  EXPECT_EQ(h->max_ns(), kHourNs);
  EXPECT_EQ(h->value_at_percentile_ns(100), kHourNs);
}

TEST(LoadHistogram, MergeEqualsRecordingEverythingInOne) {
  // Two shards' histograms merged are exactly the histogram of all their values.
  std::mt19937_64 draw(42);
  std::lognormal_distribution<double> latency(std::log(2e6), 1.5);
  auto a = std::make_unique<LatencyHistogram>();
  auto b = std::make_unique<LatencyHistogram>();
  auto all = std::make_unique<LatencyHistogram>();
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<std::int64_t>(latency(draw));
    (i % 3 == 0 ? *a : *b).record_ns(v);
    all->record_ns(v);
  }
  auto merged = std::make_unique<LatencyHistogram>(*a);
  merged->merge(*b);
  EXPECT_TRUE(*merged == *all);
  auto other_order = std::make_unique<LatencyHistogram>(*b);
  other_order->merge(*a);
  EXPECT_TRUE(*other_order == *all);
  auto empty = std::make_unique<LatencyHistogram>();
  empty->merge(*all);
  EXPECT_TRUE(*empty == *all) << "merging into an empty histogram copies it";
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(merged->value_at_percentile_ns(p), all->value_at_percentile_ns(p)) << p;
  }
}

TEST(LoadHistogram, JsonRoundTripIsExact) {
  // What to_json writes, from_json reads back equal, percentiles included.
  auto h = std::make_unique<LatencyHistogram>();
  for (std::int64_t v : std::initializer_list<std::int64_t>{1'000, 1'500, 2'000'000, 2'000'000,
                                                            3'000'000'000, kHourNs * 2}) {
    h->record_ns(v);
  }
  const auto text = h->to_json().dump();
  auto back = LatencyHistogram::from_json(nlohmann::json::parse(text));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back.value() == *h);
  EXPECT_EQ(back->value_at_percentile_ns(50), h->value_at_percentile_ns(50));
  auto empty = LatencyHistogram::from_json(LatencyHistogram().to_json());
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty.value() == LatencyHistogram());
}

TEST(LoadHistogram, JsonOfAnotherShapeIsRefused) {
  // A counter out of range, a count that disagrees, another precision: refused, named.
  auto j = LatencyHistogram().to_json();
  j["counts"] = {{LatencyHistogram::kCountsLength, 1}};
  j["count"] = 1;
  EXPECT_FALSE(LatencyHistogram::from_json(j));
  j["counts"] = {{3, 1}};
  j["count"] = 2;
  EXPECT_FALSE(LatencyHistogram::from_json(j));
  j["count"] = 1;
  j["sub_bucket_half_count_magnitude"] = 10;
  const auto refused = LatencyHistogram::from_json(j);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("precision"), std::string::npos);
  EXPECT_FALSE(LatencyHistogram::from_json(nlohmann::json::array()));
}

TEST(LoadHistogram, FixedMemory) {
  // Its size is a constant of the type: 4608 counters, whatever it records.
  EXPECT_EQ(LatencyHistogram::kCountsLength, 4608u);
  EXPECT_LT(sizeof(LatencyHistogram), 40u * 1024u);
}

}  // namespace
}  // namespace mepsim::load
