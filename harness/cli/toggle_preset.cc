#include "harness/cli/toggle_preset.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "harness/load/toggle_observer.h"
#include "harness/scalingo_cli/operation_waiter.h"

namespace mepsim::load_cli {
namespace {

using nlohmann::json;
using scalingo_cli::ApiRequest;
using scalingo_cli::HttpMethod;

struct Toggle {
  load::ServedMode mode;
  std::vector<std::pair<std::string, std::string>> variables;
};

// One cycle of the procedure: announce, close, reopen.
std::vector<Toggle> cycle() {
  return {
      {load::ServedMode::banner,
       {{"MAINTENANCE_BANNER_ENABLE", "1"},
        {"MAINTENANCE_BANNER_MESSAGE", "Maintenance programmée : le service sera indisponible"}}},
      {load::ServedMode::maintenance, {{"MAINTENANCE_ENABLE", "1"}}},
      {load::ServedMode::live, {{"MAINTENANCE_ENABLE", "0"}, {"MAINTENANCE_BANNER_ENABLE", "0"}}}};
}

std::string app_path(const TogglePreset& preset, const std::string& rest) {
  return "/apps/" + preset.app + rest;
}

Result<int> web_containers(const TogglePreset& preset, scalingo_cli::ApiClient& api) {
  auto body = api.call_json(HttpMethod::get, app_path(preset, "/containers"));
  if (!body) return body.error().context("reading the formation");
  for (const auto& type : body->value("containers", json::array())) {
    if (type.value("name", "") == "web") return type.value("amount", 1);
  }
  return 1;
}

// Variables set, then a restart of the web containers followed to its end.
Result<void> apply(const TogglePreset& preset, const Toggle& toggle, scalingo_cli::ApiClient& api,
                   Clock& clock) {
  json variables = json::array();
  for (const auto& [name, value] : toggle.variables) {
    variables.push_back({{"name", name}, {"value", value}});
  }
  auto set = api.call_json(HttpMethod::put, app_path(preset, "/variables"),
                           json{{"variables", variables}});
  if (!set) return set.error().context("setting the variables");
  auto accepted = api.call(ApiRequest{HttpMethod::post,
                                      api.api_url(app_path(preset, "/restart")),
                                      json{{"scope", json::array({"web"})}},
                                      scalingo_cli::Credentials::bearer,
                                      {}});
  if (!accepted) return accepted.error().context("restarting");
  scalingo_cli::OperationPolling polling;
  polling.interval = std::chrono::milliseconds(100);
  polling.polls_max = 1200;
  auto finished =
      scalingo_cli::wait_for_operation(api, clock, api.resolve(accepted->location), polling);
  if (!finished) return finished.error().context("following the restart");
  if (finished->status != "done") {
    return make_error(ErrorCode::unavailable, "the restart ended in error: " + finished->error);
  }
  return {};
}

// Holds the load for `hold`, in short sleeps so that Ctrl-C is seen promptly.
bool hold(Duration hold, Clock& clock, const std::function<bool()>& stop_requested) {
  const Instant until = clock.now() + hold;
  while (clock.now() < until) {
    if (stop_requested()) return false;
    clock.sleep(std::chrono::milliseconds(100));
  }
  return !stop_requested();
}

}  // namespace

Result<void> run_toggle_preset(const TogglePreset& preset, load::LoadGenerator& load,
                               scalingo_cli::ApiClient& api, Clock& clock,
                               const std::function<bool()>& stop_requested) {
  auto containers = web_containers(preset, api);
  if (!containers) return containers.error();
  load::ModeProbeOptions probe;
  probe.router_port = preset.router_port;
  probe.containers = containers.value();
  load.mark_phase("before");
  if (!hold(preset.hold, clock, stop_requested)) return {};
  int index = 0;
  for (int c = 0; c < preset.cycles; ++c) {
    for (const Toggle& toggle : cycle()) {
      load::ToggleObserver observer(load, clock, toggle.mode, ++index);
      const auto applied = apply(preset, toggle, api, clock);
      observer.finish(probe, applied);
      if (!applied) return applied.error().context(fmt::format("toggle {}", index));
      if (!hold(preset.hold, clock, stop_requested)) return {};
    }
  }
  return {};
}

}  // namespace mepsim::load_cli
