// The platform's core: apps, clock and scheduling, events, containers, variables.
// Deployments, operations and one-offs, and the SCM link live in platform_*.cc.

#include "sim/platform/platform.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/platform/platform_state.h"

namespace mepsim::platform {

Platform::Platform(VirtualClock& clock, Rng rng, EventLog& log, PlatformProfile profile,
                   SourceProvider& source, ContainerRuntime& runtime)
    : clock_(clock),
      scheduler_(clock),
      ids_rng_(rng.fork("platform.ids")),
      timing_rng_(rng.fork("platform.timing")),
      log_(log),
      profile_(std::move(profile)),
      source_(source),
      runtime_(runtime) {}

Platform::~Platform() {
  std::lock_guard lock(mutex_);
  for (auto& app : apps_) {
    for (const auto& c : app->containers) runtime_.stop(c.runtime_id);
  }
}

Result<void> Platform::boot() {
  std::lock_guard lock(mutex_);
  for (const auto& profile : profile_.apps) {
    AppState& app = add_app(profile, "", 0);
    auto text = source_.manifest_at(profile.name, profile.initial_ref);
    if (!text) return text.error().context("initial release of " + profile.name);
    auto manifest = parse_release_manifest(text.value(), profile.initial_ref + ":app.yaml");
    if (!manifest) return manifest.error().context("initial release of " + profile.name);
    Deployment d;
    d.id = new_id("deployment");
    d.app_id = app.app.id;
    d.app_name = app.app.name;
    d.created_at = clock_.now();
    d.finished_at = d.created_at;
    d.status = DeploymentStatus::success;
    d.git_ref = profile.initial_ref;
    d.pusher = profile_.user;
    d.version = manifest->version;
    d.output = "-----> Release " + d.version + " running before the rehearsal began\n";
    for (const auto& m : manifest->migrations) app.applied_migrations.insert(m.name);
    app.deployments.push_back(d);
    app.serving_deployment_id = d.id;
    app.serving_manifest = manifest.value();
    app.app.last_deployment_id = d.id;
    app.app.last_deployed_at = d.finished_at;
    for (const auto& type : app.app.formation) {
      if (type.name == "postdeploy") continue;
      for (int i = 1; i <= type.amount; ++i) {
        auto container = start_container(app, type.name, i, d, manifest.value());
        if (!container) return container.error().context("booting " + profile.name);
      }
    }
    app.app.status = AppStatus::running;
    publish(
        "app.booted",
        with_commit_fields({{"app", app.app.name}, {"version", d.version}, {"git_ref", d.git_ref}},
                           app.app.name, d.git_ref));
  }
  changed_.notify_all();
  return {};
}

void Platform::advance_to(Instant t) {
  {
    std::lock_guard lock(mutex_);
    scheduler_.run_until(t);
  }
  changed_.notify_all();
}

void Platform::settle(std::size_t tasks_max) {
  {
    std::lock_guard lock(mutex_);
    scheduler_.run_all(tasks_max);
  }
  changed_.notify_all();
}

std::optional<Instant> Platform::next_due() const {
  std::lock_guard lock(mutex_);
  return scheduler_.next_due();
}

Instant Platform::now() const {
  return clock_.now();
}

bool Platform::wait_until(const std::function<bool()>& done, Duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, done);
}

void Platform::notify_changed() {
  changed_.notify_all();
}

// ---- helpers ---------------------------------------------------------------------------

Platform::AppState* Platform::find(const std::string& name_or_id) {
  for (auto& app : apps_) {
    if (app->app.name == name_or_id || app->app.id == name_or_id) return app.get();
  }
  return nullptr;
}

const Platform::AppState* Platform::find(const std::string& name_or_id) const {
  return const_cast<Platform*>(this)->find(name_or_id);
}

Result<Platform::AppState*> Platform::require(const std::string& name_or_id) {
  if (AppState* app = find(name_or_id)) return app;
  return make_error(ErrorCode::not_found, "app not found: " + name_or_id);
}

Result<const Platform::AppState*> Platform::require(const std::string& name_or_id) const {
  if (const AppState* app = find(name_or_id)) return app;
  return make_error(ErrorCode::not_found, "app not found: " + name_or_id);
}

std::string Platform::new_id(std::string_view prefix) {
  // 24 hex digits, like the platform's object ids; the prefix only names the stream.
  (void)prefix;
  std::string id;
  for (int i = 0; i < 3; ++i) id += fmt::format("{:08x}", ids_rng_.next_u64() & 0xffffffffu);
  return id;
}

Duration Platform::jittered(double seconds) {
  const double j = profile_.durations.jitter;
  const double factor = j > 0 ? timing_rng_.uniform_real(1.0 - j, 1.0 + j) : 1.0;
  // Whole milliseconds: the event log and reports stay readable and replays exact.
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * factor * 1000.0));
}

Duration Platform::start_timeout() const {
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(profile_.durations.start_timeout_s * 1000.0));
}

void Platform::record_event(AppState& app, std::string type, nlohmann::json type_data) {
  publish("event." + type, {{"app", app.app.name}, {"type_data", type_data.dump()}});
  app.events.push_back({new_id("event"), app.app.id, app.app.name, std::move(type), clock_.now(),
                        profile_.user, std::move(type_data)});
  if (app.events.size() > kEventsPerAppMax) app.events.pop_front();
}

void Platform::publish(std::string name, std::vector<Field> fields) {
  log_.publish(clock_.now(), Plane::control, "platform", std::move(name), std::move(fields));
}

void Platform::schedule(Duration delay, std::string label, std::function<void()> task) {
  auto scheduled = scheduler_.after(delay, label, std::move(task));
  // The scheduler's bound (100k pending tasks) is far above what a rehearsal schedules;
  // reaching it means a runaway loop, reported rather than silently dropped.
  if (!scheduled) publish("platform.overloaded", {{"task", label}});
}

bool Platform::schedule_task(Duration delay, std::string label, std::function<void()> task) {
  bool scheduled = false;
  {
    std::lock_guard lock(mutex_);
    auto id = scheduler_.after(delay, label, std::move(task));
    scheduled = id.ok();
    if (!scheduled) publish("platform.overloaded", {{"task", label}});
  }
  // The real-time driver sleeps until the next due task: wake it to see this one.
  changed_.notify_all();
  return scheduled;
}

void Platform::publish_event(std::string name, std::vector<Field> fields) {
  std::lock_guard lock(mutex_);
  publish(std::move(name), std::move(fields));
}

void Platform::set_lifecycle_hooks(AppLifecycleHooks hooks) {
  std::lock_guard lock(mutex_);
  hooks_ = std::move(hooks);
}

Platform::AppState& Platform::add_app(const AppProfile& profile, const std::string& parent,
                                      int pr_number) {
  auto state = std::make_unique<AppState>();
  App& app = state->app;
  app.id = new_id("app");
  app.name = profile.name;
  app.region = profile_.region;
  app.created_at = clock_.now();
  app.status = AppStatus::new_app;
  app.url = fmt::format("https://{}.{}.scalingo.io", app.name, app.region);
  app.git_url = fmt::format("git@ssh.{}.scalingo.com:{}.git", app.region, app.name);
  app.owner = profile_.user;
  app.parent_app_name = parent;
  app.pull_request_number = pr_number;
  app.formation = profile.formation;
  if (profile.scm_link) {
    app.scm_link = profile.scm_link;
    app.scm_link->id = new_id("scm_link");
    app.scm_link->created_at = clock_.now();
  }
  for (const auto& [name, value] : profile.variables) {
    state->variables.push_back({new_id("variable"), name, value});
  }
  apps_.push_back(std::move(state));
  publish("app.created", {{"app", app.name}, {"parent", parent}});
  for (const auto& v : apps_.back()->variables) {
    if (is_public_variable(v.name)) publish_variable(*apps_.back(), v.name, "initial", &v.value);
  }
  return *apps_.back();
}

std::map<std::string, std::string> Platform::env_of(const AppState& app) const {
  std::map<std::string, std::string> env;
  for (const auto& v : app.variables) env[v.name] = v.value;
  return env;
}

Result<Container> Platform::start_container(AppState& app, const std::string& type, int index,
                                            const Deployment& release,
                                            const ReleaseManifest& manifest,
                                            const std::map<std::string, std::string>* env) {
  Container c;
  c.id = new_id("container");
  c.type = type;
  c.index = index;
  c.label = fmt::format("{}-{}", type, index);
  for (const auto& t : app.app.formation) {
    if (t.name == type) c.size = t.size;
  }
  c.started_at = clock_.now();
  c.deployment_id = release.id;
  c.version = release.version;
  c.env = env != nullptr ? *env : env_of(app);
  c.env["CONTAINER"] = c.label;
  c.env["APP_VERSION"] = release.version;
  auto handle = runtime_.start({app.app.name, c.label, type, release.version, manifest, c.env});
  if (!handle) return handle.error();
  c.runtime_id = handle.value();
  app.containers.push_back(c);
  publish("container.started",
          {{"app", app.app.name}, {"container", c.label}, {"version", c.version}});
  return c;
}

void Platform::stop_containers(AppState& app, const std::vector<std::string>& container_ids) {
  for (const auto& id : container_ids) {
    const auto found = std::find_if(app.containers.begin(), app.containers.end(),
                                    [&](const Container& c) { return c.id == id; });
    if (found == app.containers.end()) continue;
    runtime_.stop(found->runtime_id);
    publish("container.stopped",
            {{"app", app.app.name}, {"container", found->label}, {"version", found->version}});
    app.containers.erase(found);
  }
}

// ---- apps ------------------------------------------------------------------------------

std::vector<App> Platform::apps() const {
  std::lock_guard lock(mutex_);
  std::vector<App> out;
  for (const auto& app : apps_) out.push_back(app->app);
  return out;
}

Result<App> Platform::app(const std::string& name_or_id) const {
  std::lock_guard lock(mutex_);
  auto app = require(name_or_id);
  if (!app) return app.error();
  return app.value()->app;
}

Result<std::vector<ProcessType>> Platform::formation(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  return app.value()->app.formation;
}

Result<std::vector<Container>> Platform::containers(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  return app.value()->containers;
}

template <typename T>
static Paged<T> paginate(const std::deque<T>& oldest_first, Page page) {
  Paged<T> out;
  const int per_page = std::clamp(page.per_page, 1, 100);
  out.total_count = static_cast<int>(oldest_first.size());
  out.total_pages = std::max(1, (out.total_count + per_page - 1) / per_page);
  out.current_page = std::max(1, page.page);
  const auto skip = static_cast<std::size_t>((out.current_page - 1) * per_page);
  for (auto it = oldest_first.rbegin(); it != oldest_first.rend(); ++it) {
    const auto index = static_cast<std::size_t>(std::distance(oldest_first.rbegin(), it));
    if (index < skip) continue;
    if (out.items.size() == static_cast<std::size_t>(per_page)) break;
    out.items.push_back(*it);
  }
  return out;
}

Result<Paged<AppEvent>> Platform::events(const std::string& name, Page page) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  return paginate(app.value()->events, page);
}

Result<Paged<Deployment>> Platform::deployments(const std::string& name, Page page) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  return paginate(app.value()->deployments, page);
}

Result<Deployment> Platform::deployment(const std::string& name, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  for (const auto& d : app.value()->deployments) {
    if (d.id == id) return d;
  }
  return make_error(ErrorCode::not_found, "deployment not found: " + id);
}

Result<Deployment> Platform::serving_release(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  for (const auto& d : app.value()->deployments) {
    if (d.id == app.value()->serving_deployment_id) return d;
  }
  return make_error(ErrorCode::not_found, "deployment not found: no release serves " + name);
}

}  // namespace mepsim::platform
