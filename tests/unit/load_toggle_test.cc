// A maintenance toggle's measurements: the mode a container says it serves, the run of
// answers that proves every container serves it, the cache's recovery, and the runner's
// reading of which `scalingo` lines restart an app and wait.

#include <gtest/gtest.h>

#include "harness/load/mode_probe.h"
#include "harness/load/toggle_record.h"
#include "harness/runner/load_steps.h"

namespace mepsim::load {
namespace {

using std::chrono::milliseconds;

Instant at_ms(int ms) {
  return Instant{} + milliseconds(ms);
}

TEST(ModeProbe, ReadsTheModeAContainerServes) {
  // The health route's body names the container and its two flags; maintenance wins.
  auto a = parse_mode_answer(
      R"({"status":"ok","version":"2.0.0","container":"web-2","maintenance":true,"banner":true})");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->container, "web-2");
  EXPECT_EQ(a->mode, ServedMode::maintenance);
  auto b = parse_mode_answer(R"({"container":"web-1","maintenance":false,"banner":true})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->mode, ServedMode::banner);
  EXPECT_FALSE(parse_mode_answer(R"({"status":"ok","version":"1.7.4"})"));
  EXPECT_FALSE(parse_mode_answer("<html>"));
}

TEST(ModeProbe, RunNeedsEveryContainerAndNoOldAnswer) {
  // Old and new containers answer in turn during a restart: no run is long enough until
  // the old ones are gone; the effect starts at the first answer of the final run.
  ModeRun run(ServedMode::maintenance, 2);
  const std::size_t needed = run.run_length_needed();
  EXPECT_GE(needed, 16u);
  int t = 0;
  for (int i = 0; i < 40; ++i) {
    const bool fresh = i % 2 == 0;
    EXPECT_FALSE(
        run.add({fresh ? "web-1" : "web-2", fresh ? ServedMode::maintenance : ServedMode::live},
                at_ms(t++)));
  }
  const int final_run_start = t;
  bool done = false;
  for (std::size_t i = 0; i < needed && !done; ++i) {
    done = run.add({i % 2 == 0 ? "web-1" : "web-2", ServedMode::maintenance}, at_ms(t++));
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(run.started_at(), at_ms(final_run_start));
}

TEST(ModeProbe, OneContainerAnsweringIsNotEnough) {
  // A long run from web-1 alone does not prove web-2 serves the mode; a failed answer
  // breaks the run.
  ModeRun run(ServedMode::banner, 2);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(run.add({"web-1", ServedMode::banner}, at_ms(i)));
  run.reset();
  bool done = false;
  for (int i = 0; i < 100 && !done; ++i) {
    done = run.add({i % 2 == 0 ? "web-1" : "web-2", ServedMode::banner}, at_ms(200 + i));
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(run.started_at(), at_ms(200));
}

SecondSummary second_with_cache(std::int64_t second, std::int64_t hits, std::int64_t misses) {
  SecondSummary s;
  s.second = second;
  s.cache.hits = hits;
  s.cache.misses = misses;
  return s;
}

TEST(ToggleRecord, CacheRecoveryIsMeasuredFromTheEffect) {
  // 80% hits before the restart at 10 s; effect at 12.5 s; cold until 15 s, 75% (≥ 0.9 ×
  // 80%) in the second [15, 16): recovered 3.5 s after the effect.
  std::vector<SecondSummary> series;
  for (int s = 0; s < 10; ++s) series.push_back(second_with_cache(s, 8, 2));
  for (int s = 10; s < 15; ++s) series.push_back(second_with_cache(s, 1, 9));
  series.push_back(second_with_cache(15, 75, 25));
  ToggleRecord toggle;
  toggle.restart_at_s = 10;
  toggle.effect_s = 2.5;
  const CacheRecovery r = cache_recovery(series, toggle);
  ASSERT_TRUE(r.ratio_before);
  EXPECT_DOUBLE_EQ(*r.ratio_before, 0.8);
  ASSERT_TRUE(r.recovery_s);
  EXPECT_DOUBLE_EQ(*r.recovery_s, 3.5);
}

TEST(ToggleRecord, NoRecoveryWithoutCacheAnswersOrEffect) {
  // No cache answers before: nothing to recover to. No effect seen: no recovery time.
  ToggleRecord toggle;
  toggle.restart_at_s = 5;
  toggle.effect_s = 1;
  EXPECT_FALSE(cache_recovery({second_with_cache(8, 5, 0)}, toggle).ratio_before);
  toggle.effect_s.reset();
  const auto r = cache_recovery({second_with_cache(2, 5, 5), second_with_cache(8, 5, 0)}, toggle);
  EXPECT_TRUE(r.ratio_before);
  EXPECT_FALSE(r.recovery_s);
}

}  // namespace
}  // namespace mepsim::load

namespace mepsim::runner {
namespace {

TEST(LoadSteps, SynchronousRestartsAreBracketed) {
  // Only a restart that waits for the platform (-s) can be timed from the step.
  EXPECT_EQ(synchronous_restart_of({"-a", "histologe", "restart", "-s", "web"}), "histologe");
  EXPECT_EQ(synchronous_restart_of({"--app=histologe-demo", "restart", "--synchronous"}),
            "histologe-demo");
  EXPECT_FALSE(synchronous_restart_of({"-a", "histologe", "restart", "web"}));
  EXPECT_FALSE(synchronous_restart_of({"-a", "histologe", "env-set", "restart=1"}));
}

}  // namespace
}  // namespace mepsim::runner
