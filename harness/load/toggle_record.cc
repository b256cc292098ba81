#include "harness/load/toggle_record.h"

#include <algorithm>

namespace mepsim::load {
namespace {

constexpr double kBeforeWindow_s = 10;
constexpr double kRecoveredShare = 0.9;

}  // namespace

CacheRecovery cache_recovery(const std::vector<SecondSummary>& series, const ToggleRecord& toggle) {
  CacheRecovery out;
  CacheCounts before;
  for (const auto& s : series) {
    const auto t = static_cast<double>(s.second);
    if (t >= toggle.restart_at_s - kBeforeWindow_s && t + 1 <= toggle.restart_at_s) {
      before.merge(s.cache);
    }
  }
  if (before.hits + before.misses == 0) return out;
  out.ratio_before = before.hit_ratio();
  if (!toggle.effect_s) return out;
  const double effect_at_s = toggle.restart_at_s + *toggle.effect_s;
  for (const auto& s : series) {
    const auto t = static_cast<double>(s.second);
    if (t + 1 <= effect_at_s || s.cache.hits + s.cache.misses == 0) continue;
    if (s.cache.hit_ratio() >= kRecoveredShare * *out.ratio_before) {
      out.recovery_s = std::max(0.0, t + 1 - effect_at_s);
      break;
    }
  }
  return out;
}

}  // namespace mepsim::load
