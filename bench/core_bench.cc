// The control plane's hot paths: every platform decision publishes an event, schedules a
// task and draws from an Rng, so these bound how fast a scenario can replay.

#include <benchmark/benchmark.h>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/core/scheduler.h"

namespace {

using namespace mepsim;

void BM_EventLogPublishControl(benchmark::State& state) {
  EventLog log(10'000);
  const Instant t = default_scenario_start();
  for (auto _ : state) {
    log.publish(t, Plane::control, "platform", "deployment.status",
                {{"app", "histologe"}, {"status", "building"}, {"deployment_id", "d-42"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventLogPublishControl);

void BM_EventLogFingerprint(benchmark::State& state) {
  EventLog log;
  for (int i = 0; i < 1000; ++i) {
    log.publish(default_scenario_start(), Plane::control, "platform", "x", {{"i", "1"}});
  }
  for (auto _ : state) benchmark::DoNotOptimize(log.fingerprint());
}
BENCHMARK(BM_EventLogFingerprint);

void BM_SchedulerScheduleAndRun(benchmark::State& state) {
  VirtualClock clock(default_scenario_start());
  Scheduler scheduler(clock);
  Rng rng(1);
  std::int64_t ran = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const auto delay = std::chrono::milliseconds(rng.uniform_int(0, 60'000));
      (void)scheduler.after(delay, "task", [&ran] { ++ran; });
    }
    scheduler.run_all(1000);
  }
  state.SetItemsProcessed(ran);
}
BENCHMARK(BM_SchedulerScheduleAndRun);

void BM_RngUniformInt(benchmark::State& state) {
  Rng rng(7);
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform_int(0, 1000));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngUniformInt);

}  // namespace

BENCHMARK_MAIN();
