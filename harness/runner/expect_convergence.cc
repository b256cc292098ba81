// `converged:` — the end of a fault scenario's heal phase (expectations.h, scenario.h).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/runner/expectations.h"
#include "harness/topology/app_routers.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim::runner {
namespace {

int web_amount(const std::vector<platform::ProcessType>& formation) {
  for (const auto& type : formation) {
    if (type.name == "web") return type.amount;
  }
  return 0;
}

// Every web container of the formation alive and behind the router.
void check_containers_serving(Verdict& v, const std::string& app, RunContext& ctx) {
  auto& platform = ctx.topology.platform();
  const auto formation = platform.formation(app);
  const auto containers = platform.containers(app);
  if (!formation || !containers) {
    v.fail((!formation ? formation.error() : containers.error()).message);
    return;
  }
  int serving = 0;
  std::vector<std::string> not_serving;
  for (const auto& c : containers.value()) {
    if (c.type != "web") continue;
    const bool alive = ctx.topology.processes().alive(c.runtime_id);
    if (alive && ctx.topology.routers().is_backend(c.runtime_id)) {
      ++serving;
    } else {
      not_serving.push_back(c.label + (alive ? " (not behind the router)" : " (dead)"));
    }
  }
  const int wanted = web_amount(formation.value());
  if (serving != wanted || !not_serving.empty()) {
    v.fail(
        fmt::format("{} of {} web containers serving{}", serving, wanted,
                    not_serving.empty() ? "" : fmt::format(" ({})", fmt::join(not_serving, ", "))));
  } else {
    v.note(fmt::format("{} web containers serving", serving));
  }
}

void check_load_converged(Verdict& v, const scenario::ConvergedExpect& e, RunContext& ctx) {
  const std::string& name = *e.load;
  const auto report = ctx.load_report ? ctx.load_report(name) : std::nullopt;
  if (!report) {
    v.fail("no load named " + name);
    return;
  }
  if (auto broken = error_free_tail(*report, e.error_free_s); !broken.empty()) {
    v.fail("load " + name + ": " + broken);
    return;
  }
  v.note(fmt::format("load {} error-free for {} s", name, e.error_free_s));
  // Asked last: MySQL is only asked once everything else holds.
  if (v.failed() || !ctx.lost_writes_now) return;
  const auto lost = ctx.lost_writes_now(name);
  if (!lost) {
    v.fail("load " + name + ": checking accepted writes: " + lost.error().message);
  } else if (lost.value() > 0) {
    v.fail(fmt::format("load {}: {} accepted writes missing from MySQL", name, lost.value()));
  } else {
    v.note("no accepted write missing");
  }
}

// Where the load saw the faults end: the start of its last `fault-N` or `heal-N` phase,
// in seconds since it began (0 without faults). Only the seconds after it tell of the heal.
double faults_over_at_s(const nlohmann::json& report) {
  double over_s = 0;
  const auto phases = report.find("per_phase");
  if (phases == report.end() || !phases->is_object()) return over_s;
  for (const auto& [name, phase] : phases->items()) {
    if (name.rfind("fault-", 0) != 0 && name.rfind("heal-", 0) != 0) continue;
    over_s = std::max(over_s, phase.value("start_s", 0.0));
  }
  return over_s;
}

}  // namespace

std::string error_free_tail(const nlohmann::json& report, std::int64_t seconds) {
  const auto series = report.find("series");
  if (series == report.end() || !series->is_array()) return "the report has no series";
  const auto first_t_s = static_cast<std::int64_t>(std::ceil(faults_over_at_s(report)));
  const auto after = std::count_if(series->begin(), series->end(), [&](const nlohmann::json& s) {
    return s.value("t_s", std::int64_t{-1}) >= first_t_s;
  });
  if (after < seconds) {
    return fmt::format("{} closed seconds since second {} (the faults' end), {} wanted", after,
                       first_t_s, seconds);
  }
  for (auto it = series->end() - seconds; it != series->end(); ++it) {
    const auto& s = *it;
    const auto t = s.value("t_s", std::int64_t{-1});
    if (s.value("requests", std::int64_t{0}) == 0) return fmt::format("second {}: no answer", t);
    if (const auto errors = s.value("errors", std::int64_t{0}); errors > 0) {
      return fmt::format("second {}: {} transport errors", t, errors);
    }
    const auto statuses = s.value("status", nlohmann::json::object());
    for (const auto& [status, count] : statuses.items()) {
      if (status.size() == 3 && status[0] == '5' && count.get<std::int64_t>() > 0) {
        return fmt::format("second {}: {} answers {}", t, count.get<std::int64_t>(), status);
      }
    }
  }
  return "";
}

StepOutcome check_converged(const scenario::ConvergedExpect& e, RunContext& ctx) {
  Verdict v("converged " + e.app);
  check_containers_serving(v, e.app, ctx);
  if (e.load && !v.failed()) check_load_converged(v, e, ctx);
  return v.outcome();
}

}  // namespace mepsim::runner
