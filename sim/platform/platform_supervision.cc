// The platform's watch over running containers: one whose process died is replaced, as
// Scalingo restarts a crashed container, and a replacement that dies before it is healthy
// is a repeated crash, left stopped.

#include <fmt/format.h>

#include <algorithm>

#include "sim/platform/platform.h"
#include "sim/platform/platform_state.h"

namespace mepsim::platform {

int Platform::replace_crashed_containers() {
  std::lock_guard lock(mutex_);
  int replaced = 0;
  for (auto& owned : apps_) {
    AppState& app = *owned;
    if (!no_operation_running(app)) continue;
    const Deployment* release = app.deployment(app.serving_deployment_id);
    if (release == nullptr) continue;
    // A copy: replacing grows app.containers while the loop walks it.
    const std::vector<Container> current = app.containers;
    for (const auto& dead : current) {
      const auto& booting = app.booting_container_ids;
      if (std::find(booting.begin(), booting.end(), dead.id) != booting.end()) continue;
      if (app.crash_replacement_ids.contains(dead.id) || runtime_.alive(dead.runtime_id)) continue;
      record_event(app, "crash", {{"container_type", dead.type}, {"crash_logs", ""}});
      publish("container.crashed", {{"app", app.app.name}, {"container", dead.label}});
      // Its own environment: a crash restart brings no variable into effect (R9).
      const auto env = dead.env;
      stop_containers(app, {dead.id});
      auto fresh =
          start_container(app, dead.type, dead.index, *release, app.serving_manifest, &env);
      if (!fresh) {
        publish(
            "container.replacement_failed",
            {{"app", app.app.name}, {"container", dead.label}, {"error", fresh.error().message}});
        continue;
      }
      app.crash_replacement_ids.insert(fresh->id);
      ++replaced;
      const Instant started_at = clock_.now();
      schedule(jittered(app.serving_manifest.boot_s), "crash-restart.boot",
               [this, app_id = app.app.id, id = fresh->id, started_at] {
                 finish_crash_restart(app_id, id, started_at);
               });
    }
  }
  if (replaced > 0) changed_.notify_all();
  return replaced;
}

void Platform::finish_crash_restart(const std::string& app_id, const std::string& container_id,
                                    Instant started_at) {
  AppState* app = find(app_id);
  if (app == nullptr) return;
  const auto found = std::find_if(app->containers.begin(), app->containers.end(),
                                  [&](const Container& c) { return c.id == container_id; });
  if (found == app->containers.end()) {  // stopped meanwhile by a restart or a deployment
    app->crash_replacement_ids.erase(container_id);
    return;
  }
  const BootCheck check = check_boot(*app, {container_id});
  if (check.crashed.empty() && check.booting) {
    schedule(recheck_delay(started_at), "crash-restart.boot",
             [this, app_id, container_id, started_at] {
               finish_crash_restart(app_id, container_id, started_at);
             });
    return;
  }
  app->crash_replacement_ids.erase(container_id);
  const std::string label = found->label;
  const std::string type = found->type;
  if (check.crashed.empty() && check.timed_out.empty()) {
    publish("container.recovered", {{"app", app->app.name}, {"container", label}});
    return;
  }
  record_event(*app, "repeated_crash", {{"container_type", type}, {"crash_logs", ""}});
  stop_containers(*app, {container_id});
  publish("container.repeated_crash", {{"app", app->app.name}, {"container", label}});
}

}  // namespace mepsim::platform
