#include "harness/runner/scenario_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "harness/runner/fault_steps.h"
#include "harness/runner/load_steps.h"
#include "harness/runner/network_fault_steps.h"
#include "harness/runner/report_markers.h"
#include "harness/runner/repository_steps.h"
#include "harness/runner/step_dispatch.h"
#include "harness/runner/user_agents.h"
#include "harness/runner/virtual_time.h"
#include "harness/topology/network_links.h"
#include "harness/topology/topology.h"
#include "sim/core/rng.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

double seconds_between(Instant from, Instant to) {
  return std::chrono::duration<double>(to - from).count();
}

std::optional<std::string> profile_path(const scenario::Scenario& s) {
  if (s.profile == "histologe") return std::nullopt;  // the built-in one
  std::filesystem::path path(s.profile);
  if (path.is_relative()) path = std::filesystem::path(s.file).parent_path() / path;
  return path.string();
}

rules::RuleOptions rule_options(const scenario::Scenario& s, bool final) {
  rules::RuleOptions options;
  for (const auto& waiver : s.waivers) options.waived.insert(waiver.rule);
  options.final = final;
  return options;
}

// The run's violations against what the scenario said it expects: an unexpected rule or
// an expected one that did not show fails the scenario.
void judge(const scenario::Scenario& s, report::ScenarioReport& r) {
  std::set<std::string> found;
  for (const auto& v : r.violations) found.insert(v.rule);
  const std::set<std::string> expected(s.expect_violations.begin(), s.expect_violations.end());
  for (const auto& rule : found) {
    if (!expected.contains(rule)) r.unexpected_violations.push_back(rule);
  }
  for (const auto& rule : expected) {
    if (!found.contains(rule)) r.missing_violations.push_back(rule);
  }
  if (!r.passed) return;
  if (!r.unexpected_violations.empty()) {
    const auto& rule = r.unexpected_violations.front();
    const auto v = std::find_if(r.violations.begin(), r.violations.end(),
                                [&](const rules::Violation& x) { return x.rule == rule; });
    r.passed = false;
    r.failure = fmt::format("{}: unexpected violation {}: {}", s.file, rule, v->summary);
  } else if (!r.missing_violations.empty()) {
    r.passed = false;
    r.failure = fmt::format("{}: expected violation {} did not happen", s.file,
                            r.missing_violations.front());
  }
}

struct Run {
  const scenario::Scenario& scenario;
  const RunnerOptions& options;
  Clock& real_clock;
  report::ScenarioReport& report;
};

void run_steps(Run& run, RunContext& ctx, LoadSet& loads, std::vector<StepSpan>& spans) {
  StepEnvironment env{ctx, loads, run.options.time_scale};
  const Instant wall_start = run.real_clock.now();
  const auto& steps = run.scenario.steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    if (run.options.on_progress) run.options.on_progress({&run.scenario, i, steps.size(), nullptr});
    report::StepResult result;
    result.kind = step.kind;
    result.description = step.description;
    result.pos = step.pos.str();
    result.virtual_start = ctx.clock().now();
    const Instant started = run.real_clock.now();
    const std::uint64_t first_seq = ctx.log.published_count() + 1;
    StepOutcome outcome = run_step(step, env);
    result.wall_ms = seconds_between(started, run.real_clock.now()) * 1000;
    result.virtual_end = ctx.clock().now();
    result.passed = outcome.passed;
    result.message = outcome.message;
    spans.push_back({first_seq, ctx.log.published_count(), seconds_between(wall_start, started)});
    run.report.steps.push_back(result);
    if (run.options.on_progress) {
      run.options.on_progress({&run.scenario, i, steps.size(), &run.report.steps.back()});
    }
    if (!outcome.passed) {
      run.report.passed = false;
      run.report.failure = fmt::format("{}: {}", result.pos, outcome.message);
      return;
    }
  }
}

void run_on(Run& run, Topology& topology, EventLog& log, const std::filesystem::path& folder) {
  RunContext ctx{.topology = topology,
                 .log = log,
                 .real_clock = run.real_clock,
                 .clone_dir = folder / "histologe",
                 .env = topology.env(),
                 .mepsim_binary = run.options.mepsim_binary,
                 .seed = run.report.seed,
                 .users = nullptr,
                 .rule_options = rule_options(run.scenario, false),
                 .load_report = {},
                 .lost_writes_now = {},
                 .settle = {}};
  UserAgents users(ctx);
  ctx.users = &users;
  LoadSet loads(ctx);
  ctx.load_report = [&loads](const std::string& name) { return loads.report_json(name); };
  ctx.lost_writes_now = [&loads](const std::string& name) { return loads.lost_writes_now(name); };
  ctx.settle = [&topology] { settle(topology); };
  std::vector<StepSpan> spans;
  if (auto cloned = make_working_clone(ctx); !cloned) {
    run.report.passed = false;
    run.report.failure = run.scenario.file + ": cloning the origin: " + cloned.error().message;
  } else {
    run_steps(run, ctx, loads, spans);
  }
  loads.stop_all();
  settle(topology);
  run.report.loads = loads.summaries();
  run.report.series = loads.series();
  run.report.measurements = users.measurements();
  run.report.faults_used = faults_used(ctx);
  if (const auto* links = topology.network_links()) {
    run.report.measurements["network_links"] = links->to_json();
  }
  if (loads.faults_injected() > 0) {
    run.report.measurements["faults"] = {
        {"injected", loads.faults_injected()},
        {"requests_during", requests_during_faults(run.report.loads)}};
  }
  run.report.timeline = log.retained();
  run.report.violations = rules::evaluate(run.report.timeline, rule_options(run.scenario, true));
  run.report.markers = markers_of(run.report.timeline, spans);
}

}  // namespace

std::uint64_t scenario_seed(const scenario::Scenario& scenario, const RunnerOptions& options) {
  if (options.seed) return Rng(*options.seed).fork(scenario.name).seed();
  if (scenario.seed) return *scenario.seed;
  return Rng(options.run_seed).fork(scenario.name).seed();
}

report::ScenarioReport run_scenario(const scenario::Scenario& scenario,
                                    const RunnerOptions& options, Clock& real_clock) {
  report::ScenarioReport report;
  report.name = scenario.name;
  report.file = scenario.file;
  report.description = scenario.description;
  report.tags = scenario.tags;
  report.seed = scenario_seed(scenario, options);
  report.expected_violations = scenario.expect_violations;
  const Instant started = real_clock.now();

  EventLog log;
  Rng rng(report.seed);
  TopologyOptions topology_options;
  topology_options.virtual_time = true;
  topology_options.profile_path = profile_path(scenario);
  topology_options.web_binary = options.web_binary;
  topology_options.mysql_url = options.mysql_url;
  topology_options.redis_url = options.redis_url;
  topology_options.network_faults = uses_network_faults(scenario);
  auto topology = Topology::start(topology_options, real_clock, rng, log);
  report.topology_start_s = seconds_between(started, real_clock.now());
  auto folder = ScratchDir::create("mepsim-scenario");
  if (!topology || !folder) {
    report.passed = false;
    report.failure = scenario.file + ": starting the topology: " +
                     (!topology ? topology.error().message : folder.error().message);
  } else {
    Run run{scenario, options, real_clock, report};
    run_on(run, *topology.value(), log, folder->path());
    topology.value()->stop();
    judge(scenario, report);
  }
  report.fingerprint = log.fingerprint();
  report.wall_s = seconds_between(started, real_clock.now());
  return report;
}

}  // namespace mepsim::runner
