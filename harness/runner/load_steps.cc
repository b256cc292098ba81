#include "harness/runner/load_steps.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/load/load_generator.h"
#include "harness/load/load_report.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
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

}  // namespace

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
