#include "harness/load/load_series.h"

namespace mepsim::load {

void SecondBin::merge(const SecondBin& other) {
  tally.merge(other.tally);
  session_losses += other.session_losses;
  expected_logouts += other.expected_logouts;
  cache.merge(other.cache);
}

SecondSummary SecondSummary::of(const SecondBin& bin) {
  SecondSummary s;
  s.second = bin.second;
  s.requests = bin.tally.requests;
  s.status = bin.tally.status;
  for (const auto& [kind, n] : bin.tally.errors) s.errors += n;
  s.p50_ms = bin.tally.latency.percentile_ms(50);
  s.p90_ms = bin.tally.latency.percentile_ms(90);
  s.p99_ms = bin.tally.latency.percentile_ms(99);
  s.max_ms = bin.tally.latency.max_ms();
  s.session_losses = bin.session_losses;
  s.expected_logouts = bin.expected_logouts;
  s.cache = bin.cache;
  return s;
}

SecondBin* SecondBins::bin_for(std::int64_t second, std::int64_t closed_before) {
  if (second < closed_before || second < 0) {
    ++late_;
    return nullptr;
  }
  auto& bin = bins_[static_cast<std::size_t>(second) % kLiveSeconds];
  if (bin.second != second) {
    if (bin.second >= closed_before) ++overwritten_;
    bin = SecondBin();
    bin.second = second;
  }
  return &bin;
}

const SecondBin* SecondBins::find(std::int64_t second) const {
  if (second < 0) return nullptr;
  const auto& bin = bins_[static_cast<std::size_t>(second) % kLiveSeconds];
  return bin.second == second ? &bin : nullptr;
}

void SeriesRing::push(SecondSummary summary) {
  if (seconds_.size() >= kSecondsMax) {
    seconds_.pop_front();
    ++evicted_;
  }
  seconds_.push_back(std::move(summary));
}

}  // namespace mepsim::load
