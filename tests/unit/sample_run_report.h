#pragma once
// A run report with every part filled, for the report tests: a passing scenario with
// traffic (a series, markers, a load, timeline events) and a failing one (a failed step, an
// unexpected and a missing violation), with text that needs escaping here and there.

#include <chrono>
#include <cmath>
#include <limits>

#include "harness/report/run_report.h"

namespace mepsim::testing {

inline Instant sample_instant(double offset_s) {
  return default_scenario_start() +
         std::chrono::duration_cast<Duration>(std::chrono::duration<double>(offset_s));
}

inline report::SecondSample sample_second(int t) {
  const bool maintenance = t >= 20 && t < 30;
  report::SecondSample s;
  s.t_s = t;
  s.requests = 100 + (t % 7) * 3;
  s.status[maintenance ? 503 : 200] = s.requests - 3;
  s.status[302] = 2;
  s.status[t % 10 == 0 ? 0 : 404] = 1;
  s.p50_ms = 4 + (t % 5) * 0.25;
  s.p90_ms = 9 + (t % 5) * 0.5;
  s.p99_ms = (t >= 10 && t < 14) ? 180 : 21.5;
  s.max_ms = s.p99_ms * 2;
  s.session_losses = t == 20 ? 12 : 0;
  s.cache_hit_ratio = t < 40 ? 0.9 : -1;
  return s;
}

inline report::ScenarioReport sample_traffic_scenario() {
  report::ScenarioReport s;
  s.name = "maintenance-toggle";
  s.file = "scenarios/maintenance.yaml";
  s.description = "Maintenance on and off under load; sessions survive.";
  s.tags = {"load", "maintenance"};
  s.seed = 42;
  s.fingerprint = "9f2c5e0d4b7a61f38e2d9c0b1a7f6e5d4c3b2a1908f7e6d5c4b3a29181706f5e";
  s.wall_s = 63.25;
  s.topology_start_s = 1.5;
  s.steps = {{"load", "start load: 100 rps, 60 s", "scenarios/maintenance.yaml:9:5", true,
              "started", 1.25, sample_instant(0), sample_instant(0)},
             {"env_set", "scalingo env-set MAINTENANCE_ENABLE=1", "scenarios/maintenance.yaml:12:5",
              true, "", 30.5, sample_instant(20), sample_instant(20.25)}};
  s.markers = {{10, sample_instant(10), "deployment", "histologe 1.7.4 success"},
               {20, sample_instant(20), "maintenance", "MAINTENANCE_ENABLE=1"},
               {30, sample_instant(30), "maintenance", "MAINTENANCE_ENABLE=0"},
               {40, sample_instant(40), "restart", "histologe web restarted"},
               {50, sample_instant(50), "fault", "redis.latency 200 ms"}};
  for (int t = 0; t < 60; ++t) s.series.push_back(sample_second(t));
  s.timeline = {
      {1,
       sample_instant(5),
       Plane::control,
       "platform",
       "deployment.status",
       {{"app", "histologe"}, {"deployment", "d-1"}, {"status", "building"}, {"git_ref", "main"}}},
      {2,
       sample_instant(10),
       Plane::control,
       "platform",
       "deployment.status",
       {{"app", "histologe"}, {"status", "success"}, {"version", "1.7.4"}}},
      {3, sample_instant(11), Plane::control, "github", "github.push", {{"ref", "main"}}},
      {4,
       sample_instant(20),
       Plane::control,
       "platform",
       "event.edit_variables",
       {{"app", "histologe"},
        {"type_data", R"({"new_vars":["MAINTENANCE_ENABLE"],"updated_vars":[]})"}}},
      {5,
       sample_instant(40),
       Plane::control,
       "platform",
       "operation.finished",
       {{"app", "histologe"}, {"type", "restart"}, {"status", "done"}}},
      {6,
       sample_instant(50),
       Plane::data,
       "chaos",
       "fault.fired",
       {{"site", "redis.latency"}, {"delay_ms", "200"}}}};
  s.loads = {{"browse", {{"requests", 6100}, {"rps", 101.7}, {"latency_ms", {{"p99", 21.5}}}}}};
  s.faults_used = {"redis.latency"};
  s.measurements = {{"sessions", {{"lost", 12}, {"kept", 388}}}};
  return s;
}

inline report::ScenarioReport sample_failing_scenario() {
  report::ScenarioReport s;
  s.name = "production-mep";
  s.file = "scenarios/mep.yaml";
  s.tags = {"mep"};
  s.seed = 42;
  s.fingerprint = "0d4b7a61";
  s.passed = false;
  s.failure = "scenarios/mep.yaml:14:5: expected deployment success, got hook-error";
  s.wall_s = 4.5;
  s.steps = {{"git", "git push origin main", "scenarios/mep.yaml:12:5", true, "", 120.0,
              sample_instant(60), sample_instant(61)},
             {"expect", "expect deployment histologe success", "scenarios/mep.yaml:14:5", false,
              "expected deployment success, got hook-error (see https://example.test/d?a=1&b=2)",
              2.5, sample_instant(61), sample_instant(241)}};
  s.violations = {{"R3-review-apps-closed",
                   sample_instant(60.5),
                   "PR #1141 (review_app → main) merged implicitly by the push of main",
                   {{"pr", "1141"}, {"app", "histologe"}},
                   {7, 9}},
                  {"R7-demo-parity",
                   sample_instant(200),
                   "demo is one release behind",
                   {{"app", "histologe-demo"}},
                   {12}}};
  s.expected_violations = {"R7-demo-parity", "R5-release-note"};
  s.unexpected_violations = {"R3-review-apps-closed"};
  s.missing_violations = {"R5-release-note"};
  return s;
}

inline report::RunReport sample_run_report() {
  report::RunReport r;
  r.tool_version = "0.4.0";
  r.seed = 42;
  r.fingerprint = "5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
  r.started_at = "2026-11-26T21:04:05.123Z";
  r.wall_s = 67.75;
  r.scenarios = {sample_traffic_scenario(), sample_failing_scenario()};
  return r;
}

}  // namespace mepsim::testing
