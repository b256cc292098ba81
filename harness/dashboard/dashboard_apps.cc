// Each app of the platform as the dashboard shows it, read from the platform model and
// the routers in front of its containers.

#include <algorithm>
#include <set>

#include "harness/dashboard/dashboard_json.h"
#include "harness/dashboard/dashboard_state.h"
#include "harness/report/instant_text.h"
#include "harness/topology/app_routers.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

json instant_or_null(const std::optional<Instant>& t) {
  return t ? json(report::format_instant(*t)) : json(nullptr);
}

std::string log_tail(const std::string& output) {
  std::vector<std::string_view> lines;
  std::string_view rest(output);
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  }
  std::string out;
  const std::size_t first = lines.size() > kLogTailLines ? lines.size() - kLogTailLines : 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    out += cut_utf8(lines[i], 2 * kFieldBytesMax);
    out += '\n';
  }
  return out;
}

// The phases of a deployment as the real platform's log names them.
const char* phase_of(platform::DeploymentStatus status) {
  using S = platform::DeploymentStatus;
  switch (status) {
    case S::queued:
      return "queued";
    case S::building:
      return "build";
    case S::pushing:
      return "push";
    case S::starting:
      return "start (postdeploy hook, new containers)";
    default:
      return "finished";
  }
}

json deployment_json(const platform::Deployment& d) {
  return {{"id", d.id},
          {"status", platform::to_string(d.status)},
          {"phase", phase_of(d.status)},
          {"git_ref", d.git_ref},
          {"version", d.version},
          {"created_at", report::format_instant(d.created_at)},
          {"finished_at", instant_or_null(d.finished_at)},
          {"error", cut_utf8(d.error, kFieldBytesMax)},
          {"log_tail", log_tail(d.output)}};
}

std::string health_of(Topology& topology, const platform::Container& c) {
  if (topology.routers().is_backend(c.runtime_id)) return "serving";
  auto& processes = topology.processes();
  if (processes.port_of(c.runtime_id) == 0) {
    return processes.alive(c.runtime_id) ? "running" : "exited";
  }
  return processes.alive(c.runtime_id) ? "starting" : "exited";
}

json containers_json(Topology& topology, const std::string& app) {
  json out = json::array();
  auto containers = topology.platform().containers(app);
  if (!containers) return out;
  for (const auto& c : containers.value()) {
    out.push_back({{"label", c.label},
                   {"type", c.type},
                   {"size", c.size},
                   {"version", c.version},
                   {"started_at", report::format_instant(c.started_at)},
                   {"health", health_of(topology, c)}});
  }
  return out;
}

json variables_json(platform::Platform& platform, const std::string& app) {
  json out = json::array();
  auto variables = platform.variables(app);
  if (!variables) return out;
  std::set<std::string> pending;
  if (auto names = platform.variables_not_in_effect(app)) {
    pending.insert(names.value().begin(), names.value().end());
  }
  auto sorted = std::move(variables).value();
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& v : sorted) {
    out.push_back({{"name", v.name},
                   {"value", mask_variable_value(v.name, v.value)},
                   {"masked", EventLog::is_secret_key(v.name)},
                   {"in_effect", !pending.contains(v.name)}});
  }
  // A deleted variable still set in a running container is pending too.
  for (const auto& name : pending) {
    const bool listed =
        std::any_of(sorted.begin(), sorted.end(), [&](const auto& v) { return v.name == name; });
    if (!listed) {
      out.push_back({{"name", name}, {"value", nullptr}, {"masked", false}, {"in_effect", false}});
    }
  }
  return out;
}

json release_json(platform::Platform& platform, const platform::App& app) {
  auto serving = platform.serving_release(app.name);
  if (!serving) return nullptr;
  return {{"version", serving.value().version},
          {"git_ref", serving.value().git_ref},
          {"deployment", serving.value().id},
          {"deployed_at", instant_or_null(app.last_deployed_at)}};
}

json app_json(Topology& topology, const platform::App& app) {
  auto& platform = topology.platform();
  json formation = json::array();
  for (const auto& p : app.formation) {
    formation.push_back({{"name", p.name}, {"amount", p.amount}, {"size", p.size}});
  }
  json under_way = nullptr;
  json last = nullptr;
  if (auto deployments = platform.deployments(app.name, {1, 2})) {
    const auto& items = deployments.value().items;  // newest first
    if (!items.empty()) {
      last = deployment_json(items.front());
      if (!platform::is_finished(items.front().status)) under_way = last;
    }
  }
  return {{"name", app.name},
          {"parent", app.parent_app_name},
          {"pull_request", app.pull_request_number},
          {"status", platform::to_string(app.status)},
          {"url", app.url},
          {"release", release_json(platform, app)},
          {"formation", std::move(formation)},
          {"containers", containers_json(topology, app.name)},
          {"variables", variables_json(platform, app.name)},
          {"deployment", std::move(under_way)},
          {"last_deployment", std::move(last)}};
}

}  // namespace

Instant ClockPair::real_of(Instant platform_instant) const {
  const double scale = time_scale > 0 ? time_scale : 1.0;
  const auto behind = std::chrono::duration<double>(platform_now - platform_instant) / scale;
  return real_now - std::chrono::duration_cast<Duration>(behind);
}

json apps_state(Topology& topology) {
  json out = json::array();
  for (const auto& app : topology.platform().apps()) out.push_back(app_json(topology, app));
  return out;
}

}  // namespace mepsim::dashboard
