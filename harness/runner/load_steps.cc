#include "harness/runner/load_steps.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/load/load_generator.h"
#include "harness/load/load_report.h"
#include "harness/load/toggle_observer.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
#include "sim/net/http_client.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

double seconds_between(Instant from, Instant to) {
  return std::chrono::duration<double>(to - from).count();
}

// The app's database, where the load's accepted reports must all be found.
std::optional<MysqlUrl> database_of(RunContext& ctx, const std::string& app) {
  auto variables = ctx.topology.platform().variables(app);
  if (!variables) return std::nullopt;
  for (const auto& v : variables.value()) {
    if (v.name != "DATABASE_URL") continue;
    auto url = parse_mysql_url(v.value);
    if (url) return url.value();
  }
  return std::nullopt;
}

// What the app serves once restarted with the variables it has now.
load::ServedMode mode_after_restart(RunContext& ctx, const std::string& app) {
  bool maintenance = false;
  bool banner = false;
  if (auto variables = ctx.topology.platform().variables(app)) {
    for (const auto& v : variables.value()) {
      const bool on = v.value == "1" || v.value == "true";
      if (v.name == "MAINTENANCE_ENABLE") maintenance = on;
      if (v.name == "MAINTENANCE_BANNER_ENABLE") banner = on;
    }
  }
  return load::served_mode(maintenance, banner);
}

int web_containers(RunContext& ctx, const std::string& app) {
  auto formation = ctx.topology.platform().formation(app);
  if (!formation) return 1;
  for (const auto& type : formation.value()) {
    if (type.name == "web") return type.amount;
  }
  return 1;
}

}  // namespace

std::optional<std::string> synchronous_restart_of(const std::vector<std::string>& args) {
  bool restart = false;
  bool synchronous = false;
  std::optional<std::string> app;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "restart") restart = true;
    if (a == "-s" || a == "--synchronous") synchronous = true;
    if ((a == "-a" || a == "--app") && i + 1 < args.size()) app = args[i + 1];
    if (a.rfind("--app=", 0) == 0) app = a.substr(6);
  }
  if (!restart || !synchronous) return std::nullopt;
  return app;
}

LoadSet::LoadSet(RunContext& ctx) : ctx_(ctx), origin_(ctx.real_clock.now()) {}

LoadSet::~LoadSet() {
  stop_all();
}

StepOutcome LoadSet::start(const scenario::LoadStart& start) {
  for (const auto& [name, load] : loads_) {
    if (name == start.name) return StepOutcome::fail("a load named " + start.name + " already ran");
  }
  if (loads_.size() >= kLoadsMax) {
    return StepOutcome::fail(fmt::format("at most {} loads in a scenario", kLoadsMax));
  }
  const std::string url = ctx_.app_url(start.app);
  if (url.empty()) return StepOutcome::fail("load: the app " + start.app + " has no router");
  load::LoadOptions options;
  options.name = start.name;
  options.app = start.app;
  options.target_url = url;
  options.rate_per_s = start.rate_per_s;
  options.mix_percent = start.mix_percent;
  options.duration = start.duration;
  options.password = ctx_.topology.fixture_password();
  options.seed = Rng(ctx_.seed).fork("load:" + start.name).seed();
  auto generator = load::LoadGenerator::start(std::move(options), ctx_.real_clock, &ctx_.log);
  if (!generator) return StepOutcome::fail("load " + start.name + ": " + generator.error().message);
  Running running;
  running.generator = std::move(generator.value());
  running.started_t_s = seconds_between(origin_, ctx_.real_clock.now());
  loads_.emplace_back(start.name, std::move(running));
  return StepOutcome::pass(fmt::format("{} req/s on {}", start.rate_per_s, start.app));
}

StepOutcome LoadSet::stop(const std::string& name) {
  for (auto& [n, load] : loads_) {
    if (n != name) continue;
    load.generator->stop();
    auto report = load.generator->report();
    auto& app = load.generator->options().app;
    if (auto database = database_of(ctx_, app)) {
      if (auto checked = load::check_lost_writes(report, *database); !checked) {
        return StepOutcome::fail("load " + name +
                                 ": checking lost writes: " + checked.error().message);
      }
    }
    load.final_report = load::to_json(report);
    const auto& j = *load.final_report;
    return StepOutcome::pass(fmt::format("{} requests, {:.0f} req/s, p99 {} ms",
                                         j.value("requests", 0), j.value("rps", 0.0),
                                         j["latency_ms"].value("p99", 0.0)));
  }
  return StepOutcome::fail("no load named " + name + " was started");
}

void LoadSet::stop_all() {
  for (auto& [name, load] : loads_) {
    if (!load.final_report) (void)stop(name);
  }
}

bool LoadSet::runs_on(const std::string& app) const {
  return std::any_of(loads_.begin(), loads_.end(), [&](const auto& entry) {
    return !entry.second.final_report && entry.second.generator->options().app == app;
  });
}

StepOutcome LoadSet::around_restart(const std::string& app,
                                    const std::function<StepOutcome()>& restart) {
  const load::ServedMode mode = mode_after_restart(ctx_, app);
  const int index = ++toggles_;
  std::vector<load::ToggleObserver> observed;
  for (auto& [name, load] : loads_) {
    if (load.final_report || load.generator->options().app != app) continue;
    observed.emplace_back(*load.generator, ctx_.real_clock, mode, index);
  }
  StepOutcome outcome = restart();
  load::ModeProbeOptions probe;
  if (auto url = parse_http_url(ctx_.app_url(app))) probe.router_port = url->port;
  probe.containers = web_containers(ctx_, app);
  Result<void> restarted = outcome.passed
                               ? Result<void>{}
                               : Result<void>(make_error(ErrorCode::unavailable, outcome.message));
  std::string effects;
  for (auto& observer : observed) {
    const auto record = observer.finish(probe, restarted);
    if (!effects.empty()) continue;
    effects = record.effect_s
                  ? fmt::format("{} everywhere after {:.2f} s", record.mode, *record.effect_s)
                  : record.mode + " not seen everywhere: " + record.error;
  }
  if (outcome.passed && !effects.empty()) {
    outcome.message += (outcome.message.empty() ? "" : "; ") + effects;
  }
  return outcome;
}

void LoadSet::mark_phase(const std::string& phase) {
  for (auto& [name, load] : loads_) {
    if (!load.final_report) load.generator->mark_phase(phase);
  }
}

StepOutcome LoadSet::around_fault(const std::function<StepOutcome()>& fault) {
  const std::uint64_t before = ctx_.log.published_count();
  StepOutcome outcome = fault();
  // A fault step publishes one or two events: far below the bound.
  for (const auto& event : ctx_.log.retained_after(before, 64)) {
    if (event.name == "fault.injected") {
      ++faults_injected_;
      ++faults_open_;
      mark_phase(fmt::format("fault-{}", faults_injected_));
    } else if (event.name == "fault.healed" && faults_open_ > 0 && --faults_open_ == 0) {
      mark_phase(fmt::format("heal-{}", ++heals_));
    }
  }
  return outcome;
}

void LoadSet::mark_converged() {
  faults_open_ = 0;
  mark_phase(fmt::format("converged-{}", faults_injected_));
}

Result<std::int64_t> LoadSet::lost_writes_now(const std::string& name) {
  for (auto& [n, load] : loads_) {
    if (n != name) continue;
    if (load.final_report) {
      return (*load.final_report)["writes"].value("lost", std::int64_t{0});
    }
    const auto database = database_of(ctx_, load.generator->options().app);
    if (!database) {
      return make_error(ErrorCode::not_found,
                        "the app " + load.generator->options().app + " has no DATABASE_URL");
    }
    auto checked = load.generator->check_lost_writes(*database);
    if (!checked) return checked.error();
    return checked->lost;
  }
  return make_error(ErrorCode::not_found, "no load named " + name + " was started");
}

std::int64_t requests_during_faults(const std::vector<report::LoadSummary>& loads) {
  std::int64_t requests = 0;
  for (const auto& load : loads) {
    const auto phases = load.figures.find("per_phase");
    if (phases == load.figures.end() || !phases->is_object()) continue;
    for (const auto& [phase, tally] : phases->items()) {
      if (phase.rfind("fault-", 0) == 0) requests += tally.value("requests", std::int64_t{0});
    }
  }
  return requests;
}

std::optional<nlohmann::json> LoadSet::report_json(const std::string& name) const {
  for (const auto& [n, load] : loads_) {
    if (n != name) continue;
    if (load.final_report) return load.final_report;
    return load::to_json(load.generator->report());
  }
  return std::nullopt;
}

std::vector<report::LoadSummary> LoadSet::summaries() const {
  std::vector<report::LoadSummary> out;
  for (const auto& [name, load] : loads_) out.push_back({name, *report_json(name)});
  return out;
}

std::vector<report::SecondSample> LoadSet::series() const {
  if (loads_.empty()) return {};
  const auto& first = loads_.front().second;
  auto samples = load::to_series(first.generator->report());
  for (auto& s : samples) s.t_s += first.started_t_s;
  return samples;
}

StepOutcome run_load_step(const scenario::LoadStep& step, RunContext& ctx, LoadSet& loads) {
  (void)ctx;
  if (const auto* start = std::get_if<scenario::LoadStart>(&step.action)) {
    return loads.start(*start);
  }
  return loads.stop(std::get<scenario::LoadStop>(step.action).name);
}

}  // namespace mepsim::runner
