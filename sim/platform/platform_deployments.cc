// Deployments: queued -> building -> pushing -> starting -> success, or a failure status.
// The build reads the release manifest at the git ref; the postdeploy hook runs its
// migrations; the new containers boot; traffic switches once all are healthy and the old
// containers stop (zero downtime). A failure leaves the previous release serving.

#include <fmt/format.h>

#include "sim/platform/platform.h"
#include "sim/platform/platform_state.h"

namespace mepsim::platform {

// The commit a ref names at this moment and the branches holding it, for the procedure's
// rules (R1 judges the commit's CI, R2 its branch): `sha` ("" when the ref is unknown) and,
// when the source knows branches, `branches` (space-separated, git forbids spaces in names).
std::vector<Field> Platform::with_commit_fields(std::vector<Field> fields,
                                                const std::string& app_name,
                                                const std::string& git_ref) {
  auto sha = source_.resolve(app_name, git_ref);
  fields.push_back({"sha", sha ? sha.value() : ""});
  if (!sha) return fields;
  if (auto branches = source_.branches_containing(app_name, sha.value())) {
    std::string joined;
    for (const auto& b : branches.value()) joined += (joined.empty() ? "" : " ") + b;
    fields.push_back({"branches", joined});
  }
  return fields;
}

Result<Deployment> Platform::deploy(const std::string& name, const std::string& git_ref,
                                    const std::string& source_url) {
  std::lock_guard lock(mutex_);
  auto found = require(name);
  if (!found) return found.error();
  if (git_ref.empty()) return make_error(ErrorCode::invalid_input, "git_ref: can't be blank");
  AppState& app = *found.value();
  Deployment d;
  d.id = new_id("deployment");
  d.app_id = app.app.id;
  d.app_name = app.app.name;
  d.created_at = clock_.now();
  d.git_ref = git_ref;
  d.source_url = source_url;
  d.pusher = profile_.user;
  d.output = fmt::format("-----> Deployment {} of {} queued\n", d.id, git_ref);
  publish("deployment.status", with_commit_fields({{"app", app.app.name},
                                                   {"deployment", d.id},
                                                   {"status", to_string(d.status)},
                                                   {"git_ref", git_ref}},
                                                  app.app.name, git_ref));

  // A newer deployment supersedes one still waiting in the queue, as on the platform.
  for (const auto& waiting_id : app.queued_deployment_ids) {
    if (Deployment* waiting = app.deployment(waiting_id)) {
      finish_deployment(app, *waiting, DeploymentStatus::aborted,
                        "superseded by deployment " + d.id);
    }
  }
  app.queued_deployment_ids.clear();
  app.deployments.push_back(d);
  if (app.deployments.size() > kDeploymentsPerAppMax) app.deployments.pop_front();
  app.queued_deployment_ids.push_back(d.id);
  if (app.active_deployment_id.empty()) start_next_deployment(app);
  changed_.notify_all();
  return d;
}

void Platform::start_next_deployment(AppState& app) {
  if (app.queued_deployment_ids.empty()) return;
  const std::string id = app.queued_deployment_ids.front();
  app.queued_deployment_ids.pop_front();
  Deployment* d = app.deployment(id);
  if (d == nullptr) return;
  app.active_deployment_id = id;
  app.phase = DeployPhase::build;
  app.booting_container_ids.clear();
  set_status(app, *d, DeploymentStatus::building,
             fmt::format("-----> Cloning {} and building the release", d->git_ref));
  schedule(jittered(profile_.durations.build_s), "deployment.build",
           [this, app_id = app.app.id, id] { deployment_step(app_id, id); });
}

void Platform::set_status(AppState& app, Deployment& d, DeploymentStatus status,
                          const std::string& line) {
  d.status = status;
  if (!line.empty()) d.output += line + "\n";
  publish("deployment.status",
          {{"app", app.app.name}, {"deployment", d.id}, {"status", to_string(status)}});
}

void Platform::deployment_step(const std::string& app_id, const std::string& deployment_id) {
  AppState* app = find(app_id);
  if (app == nullptr || app->active_deployment_id != deployment_id) return;
  Deployment* d = app->deployment(deployment_id);
  if (d == nullptr) return;
  const auto next = [&](DeployPhase phase, Duration after, const char* label) {
    app->phase = phase;
    schedule(after, label,
             [this, app_id, deployment_id] { deployment_step(app_id, deployment_id); });
  };

  switch (app->phase) {
    case DeployPhase::build: {
      auto text = source_.manifest_at(app->app.name, d->git_ref);
      if (!text)
        return finish_deployment(*app, *d, DeploymentStatus::build_error, text.error().message);
      auto manifest = parse_release_manifest(text.value(), d->git_ref + ":app.yaml");
      if (!manifest) {
        return finish_deployment(*app, *d, DeploymentStatus::build_error, manifest.error().message);
      }
      if (!manifest->build_error.empty()) {
        return finish_deployment(*app, *d, DeploymentStatus::build_error, manifest->build_error);
      }
      app->building_manifest = manifest.value();
      d->version = manifest->version;
      set_status(*app, *d, DeploymentStatus::pushing,
                 fmt::format("-----> Build of {} succeeded; pushing the image", d->version));
      return next(DeployPhase::push, jittered(profile_.durations.push_s), "deployment.push");
    }
    case DeployPhase::push: {
      const auto& migrations = app->building_manifest.migrations;
      set_status(*app, *d, DeploymentStatus::starting,
                 "-----> Running the postdeploy hook: php bin/console "
                 "doctrine:migrations:migrate --no-interaction");
      const double hook_s =
          profile_.durations.hook_base_s +
          profile_.durations.hook_per_migration_s * static_cast<double>(migrations.size());
      return next(DeployPhase::hook, jittered(hook_s), "deployment.hook");
    }
    case DeployPhase::hook: {
      if (!run_hook(*app, *d)) return;
      d->output += "-----> Starting the new containers\n";
      if (app->app.status == AppStatus::new_app) app->app.status = AppStatus::booting;
      for (const auto& type : app->app.formation) {
        if (type.name == "postdeploy") continue;
        for (int i = 1; i <= type.amount; ++i) {
          auto c = start_container(*app, type.name, i, *d, app->building_manifest);
          if (!c) {
            return finish_deployment(*app, *d, DeploymentStatus::crashed_error, c.error().message);
          }
          app->booting_container_ids.push_back(c->id);
        }
      }
      // Containers not healthy within the start timeout make a timeout-error.
      app->boot_started_at = clock_.now();
      app->boot_drawn = jittered(app->building_manifest.boot_s);
      return next(DeployPhase::boot, std::min(app->boot_drawn, start_timeout()), "deployment.boot");
    }
    case DeployPhase::boot:
      return boot_step(*app, *d);
  }
}

// The postdeploy hook: the release's migrations. Run for real (`mepsim-web console`, real
// time, bounded) when the runtime runs processes; else modelled from the manifest. False
// when it failed: the deployment is then finished, as a hook-error.
bool Platform::run_hook(AppState& app, Deployment& d) {
  if (runtime_.runs_tasks()) return run_hook_task(app, d);
  for (const auto& m : app.building_manifest.migrations) {
    if (app.applied_migrations.contains(m.name)) continue;
    if (m.fails) {
      d.output += fmt::format("       [error] Migration {} failed\n", m.name);
      finish_deployment(app, d, DeploymentStatus::hook_error,
                        "postdeploy hook failed: migration " + m.name);
      return false;
    }
    app.applied_migrations.insert(m.name);
    d.output += fmt::format("       [notice] Migrated {}\n", m.name);
  }
  return true;
}

bool Platform::run_hook_task(AppState& app, Deployment& d) {
  ContainerSpec spec{app.app.name, "postdeploy-1",        "postdeploy",
                     d.version,    app.building_manifest, env_of(app)};
  spec.env["CONTAINER"] = spec.label;
  spec.env["APP_VERSION"] = d.version;
  auto outcome = runtime_.run_task(
      spec, {"console", "doctrine:migrations:migrate", "--no-interaction"}, kHookTimeout);
  if (!outcome) {
    d.output += outcome.error().message + "\n";
    finish_deployment(app, d, DeploymentStatus::hook_error,
                      "postdeploy hook failed: " +
                          outcome.error().message.substr(0, outcome.error().message.find('\n')));
    return false;
  }
  d.output += outcome->output;
  if (outcome->exit_code != 0) {
    finish_deployment(app, d, DeploymentStatus::hook_error,
                      fmt::format("postdeploy hook failed: exit code {}", outcome->exit_code));
    return false;
  }
  // The console records what it applied in the app's database; the model follows, so
  // that a one-off `doctrine:migrations:migrate` finds nothing left to do.
  for (const auto& m : app.building_manifest.migrations) app.applied_migrations.insert(m.name);
  return true;
}

Platform::BootCheck Platform::check_boot(AppState& app, const std::vector<std::string>& ids) {
  BootCheck check;
  for (const auto& id : ids) {
    for (const auto& c : app.containers) {
      if (c.id != id || runtime_.healthy(c.runtime_id)) continue;
      if (runtime_.booting(c.runtime_id)) {
        check.booting = true;
        continue;
      }
      (runtime_.alive(c.runtime_id) ? check.timed_out : check.crashed) = c.label;
      return check;
    }
  }
  return check;
}

Duration Platform::recheck_delay(Instant boot_started_at) const {
  const Duration waited = clock_.now() - boot_started_at;
  if (waited >= start_timeout()) return kBootRecheck;
  return std::min<Duration>(kBootRecheck, start_timeout() - waited);
}

void Platform::boot_step(AppState& app, Deployment& d) {
  if (app.boot_drawn > start_timeout()) {
    stop_containers(app, app.booting_container_ids);
    return finish_deployment(
        app, d, DeploymentStatus::timeout_error,
        fmt::format("containers not started within {} s", profile_.durations.start_timeout_s));
  }
  const BootCheck check = check_boot(app, app.booting_container_ids);
  if (!check.crashed.empty()) {
    d.output += fmt::format("       [error] container {} crashed at boot\n", check.crashed);
    stop_containers(app, app.booting_container_ids);
    return finish_deployment(app, d, DeploymentStatus::crashed_error,
                             "container " + check.crashed + " crashed at boot");
  }
  if (check.booting) {
    schedule(recheck_delay(app.boot_started_at), "deployment.boot",
             [this, app_id = app.app.id, id = d.id] { deployment_step(app_id, id); });
    return;
  }
  if (!check.timed_out.empty()) {
    stop_containers(app, app.booting_container_ids);
    return finish_deployment(app, d, DeploymentStatus::timeout_error,
                             fmt::format("container {} not started within {} s", check.timed_out,
                                         profile_.durations.start_timeout_s));
  }
  // Healthy: traffic switches to the new release, then the old containers stop.
  std::vector<std::string> old;
  for (const auto& c : app.containers) {
    if (c.deployment_id != d.id) old.push_back(c.id);
  }
  app.serving_deployment_id = d.id;
  app.serving_manifest = app.building_manifest;
  publish("router.switched", {{"app", app.app.name}, {"version", d.version}});
  stop_containers(app, old);
  finish_deployment(app, d, DeploymentStatus::success, "");
}

void Platform::finish_deployment(AppState& app, Deployment& d, DeploymentStatus status,
                                 const std::string& error) {
  d.status = status;
  d.finished_at = clock_.now();
  d.error = error;
  d.output +=
      status == DeploymentStatus::success
          ? fmt::format("-----> Deployment of {} succeeded: {} is live\n", d.git_ref, d.version)
          : fmt::format("-----> Deployment {}: {}\n", to_string(status), error);
  // Every status, the final one too, is a "deployment.status" event: a timeline reads one
  // event name for a deployment's whole path.
  publish("deployment.status", {{"app", app.app.name},
                                {"deployment", d.id},
                                {"status", to_string(status)},
                                {"version", d.version},
                                {"error", error}});
  const auto duration_s =
      std::chrono::duration_cast<std::chrono::seconds>(*d.finished_at - d.created_at).count();
  record_event(app, "deployment",
               {{"deployment_id", d.id},
                {"git_ref", d.git_ref},
                {"pusher", d.pusher.username},
                {"status", to_string(status)},
                {"duration", duration_s}});
  app.app.last_deployment_id = d.id;
  if (status == DeploymentStatus::success) {
    app.app.last_deployed_at = d.finished_at;
    app.app.status = AppStatus::running;
  } else if (app.app.status == AppStatus::booting) {
    app.app.status = AppStatus::new_app;  // a first release that never came up
  }
  if (app.active_deployment_id == d.id) {
    app.active_deployment_id.clear();
    app.booting_container_ids.clear();
    start_next_deployment(app);
  }
}

}  // namespace mepsim::platform
