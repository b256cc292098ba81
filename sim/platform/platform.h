#pragma once
// The Scalingo platform as state machines on the virtual clock. Every change is an app
// event (as the real API lists them) and a control-plane event in the run's EventLog; the
// same seed and the same calls give the same fingerprint.
//
// Errors: invalid_input errors carry "<field>: <message>" (the API fake turns them into
// 422 {"errors":{field:[message]}}); not_found errors start with the resource ("app",
// "deployment", "variable", "operation", "container") followed by " not found".
//
// Thread-safety: every public member locks the platform; scheduled tasks run under that
// lock from advance_to(). HTTP handlers of the API fake and the real-time driver of
// `mepsim up` may call in from different threads.

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/core/scheduler.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform_profile.h"
#include "sim/platform/platform_types.h"
#include "sim/platform/release_manifest.h"
#include "sim/platform/source_provider.h"

namespace mepsim::platform {

// Bounds, per app: older entries are dropped first.
inline constexpr std::size_t kEventsPerAppMax = 10'000;
inline constexpr std::size_t kDeploymentsPerAppMax = 1'000;
inline constexpr std::size_t kOneOffsMax = 10'000;
inline constexpr int kContainersPerTypeMax = 50;
// Real processes may need longer than a sped-up boot time: containers still booting are
// looked at again this often (virtual time) until the start timeout.
inline constexpr Duration kBootRecheck = std::chrono::seconds(1);
// The postdeploy hook as a real process runs under the platform's lock: at most this long
// (real time), past which it is a hook-error.
inline constexpr Duration kHookTimeout = std::chrono::seconds(30);

struct Page {
  int page = 1;
  int per_page = 30;
};

template <typename T>
struct Paged {
  std::vector<T> items;
  int current_page = 1;
  int total_pages = 1;
  int total_count = 0;
};

class Platform {
 public:
  Platform(VirtualClock& clock, Rng rng, EventLog& log, PlatformProfile profile,
           SourceProvider& source, ContainerRuntime& runtime);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Creates the profile's apps with their initial release already running.
  Result<void> boot();

  // Runs the tasks due up to `t` (the clock moves there).
  void advance_to(Instant t);
  // Runs every pending task, moving the clock as far as needed (bounded by `tasks_max`).
  void settle(std::size_t tasks_max = 100'000);
  std::optional<Instant> next_due() const;
  Instant now() const;
  // An operation (restart, scale) or a one-off still under way: what a client may be
  // waiting for, so a scenario's runner moves the clock on for it.
  bool busy() const;
  // Blocks (real time, at most `timeout`) until `done()` holds, re-checked after each
  // change. The platform is locked while `done` runs.
  bool wait_until(const std::function<bool()>& done, Duration timeout);
  // Woken after every change: the real-time driver sleeps on it.
  void notify_changed();
  std::condition_variable_any& changed() { return changed_; }
  std::recursive_mutex& mutex() { return mutex_; }
  const PlatformProfile& profile() const { return profile_; }
  // Runs `task` after `delay` on the platform's virtual clock, under its lock, like the
  // platform's own steps: other control-plane parts (CI runs, review-app deletion) share
  // its clock and its order. False when the scheduler's bound refused it (an event says so).
  bool schedule_task(Duration delay, std::string label, std::function<void()> task);
  // Publishes a control-plane event under the platform's component and clock, for parts
  // acting on the platform's behalf (its GitHub integration).
  void publish_event(std::string name, std::vector<Field> fields);

  // What the world outside the model provides an app with when it comes and goes (its
  // database, its Redis db). Called under the platform's lock: keep it short.
  struct AppLifecycleHooks {
    // Before a review app's first deployment: variables to set on it (its DATABASE_URL…).
    std::function<Result<std::map<std::string, std::string>>(const App& review_app)> created;
    // After a review app is destroyed and its containers stopped.
    std::function<void(const App& review_app)> destroyed;
  };
  void set_lifecycle_hooks(AppLifecycleHooks hooks);

  // Apps
  // Where the app answers (its `url`): the runtime's router, once it has one.
  Result<void> set_app_url(const std::string& app, const std::string& url);
  std::vector<App> apps() const;
  Result<App> app(const std::string& name_or_id) const;

  // Deployments (newest first in lists)
  Result<Deployment> deploy(const std::string& app, const std::string& git_ref,
                            const std::string& source_url);
  Result<Paged<Deployment>> deployments(const std::string& app, Page page) const;
  Result<Deployment> deployment(const std::string& app, const std::string& id) const;
  // The release receiving traffic: the last successful deployment.
  Result<Deployment> serving_release(const std::string& app) const;

  // Environment variables
  Result<std::vector<Variable>> variables(const std::string& app) const;
  Result<Variable> create_variable(const std::string& app, const VariableInput& input);
  Result<std::vector<Variable>> bulk_update_variables(const std::string& app,
                                                      const std::vector<VariableInput>& inputs);
  Result<Variable> update_variable(const std::string& app, const std::string& id,
                                   const std::string& value);
  Result<void> delete_variable(const std::string& app, const std::string& id);
  Result<std::vector<std::string>> bulk_delete_variables(const std::string& app,
                                                         const std::vector<std::string>& ids);
  // Names whose value in some running container differs from the app's (rule R9).
  Result<std::vector<std::string>> variables_not_in_effect(const std::string& app) const;

  // Formation, containers, operations
  Result<std::vector<ProcessType>> formation(const std::string& app) const;
  Result<std::vector<Container>> containers(const std::string& app) const;
  Result<Operation> restart(const std::string& app, const std::vector<std::string>& scope);
  Result<Operation> scale(const std::string& app, const std::vector<ProcessType>& changes);
  Result<Operation> operation(const std::string& app, const std::string& id) const;
  // Scalingo restarts a container whose process died (a crash, an OOM kill, a SIGKILL): a
  // look at every app's running containers, each dead one replaced by a new container of
  // the same label, release and environment, healthy after the release's boot time. App
  // event `crash` (type_data container_type, crash_logs); control-plane events
  // `container.crashed` then `container.started`. Apps with a deployment booting or an
  // operation running are left to those, which already judge their containers. Drivers
  // call it: the runner when it settles, `mepsim up`'s clock driver every second. Returns
  // how many containers it replaced.
  int replace_crashed_containers();

  // One-off containers
  Result<OneOff> run(const std::string& app, const std::string& command,
                     const std::map<std::string, std::string>& env, const std::string& size,
                     bool detached);
  Result<OneOff> one_off(const std::string& id) const;

  // SCM link and review apps
  Result<ScmLink> scm_link(const std::string& app) const;
  Result<ScmLink> link_scm(const std::string& app, const ScmLink& link);
  Result<ScmLink> update_scm_link(const std::string& app, const nlohmann::json& changes);
  Result<void> unlink_scm(const std::string& app);
  Result<Deployment> manual_deploy(const std::string& app, const std::string& branch);
  Result<App> create_review_app(const std::string& parent, int pull_request_number,
                                const std::string& git_ref);
  Result<void> destroy_review_app(const std::string& review_app);
  Result<std::vector<App>> review_apps(const std::string& parent) const;

  // App events (newest first)
  Result<Paged<AppEvent>> events(const std::string& app, Page page) const;

 private:
  struct AppState;
  struct DeployPlan;
  // Where booting containers stand: all healthy unless some are still booting or one
  // (`crashed`, its label) crashed.
  struct BootCheck {
    bool booting = false;
    std::string crashed;    // a container that exited
    std::string timed_out;  // one still running, past its start allowance, not healthy
  };

  AppState* find(const std::string& name_or_id);
  const AppState* find(const std::string& name_or_id) const;
  Result<AppState*> require(const std::string& name_or_id);
  Result<const AppState*> require(const std::string& name_or_id) const;

  std::string new_id(std::string_view prefix);
  Duration jittered(double seconds);
  Duration start_timeout() const;
  void record_event(AppState& app, std::string type, nlohmann::json type_data);
  void publish(std::string name, std::vector<Field> fields);
  void publish_variable(const AppState& app, const std::string& name, const char* action,
                        const std::string* value);
  std::vector<Field> with_commit_fields(std::vector<Field> fields, const std::string& app_name,
                                        const std::string& git_ref);
  void schedule(Duration delay, std::string label, std::function<void()> task);

  AppState& add_app(const AppProfile& profile, const std::string& parent, int pr_number);
  // `env`: the variables to start with; null: the app's current ones.
  Result<Container> start_container(AppState& app, const std::string& type, int index,
                                    const Deployment& release, const ReleaseManifest& manifest,
                                    const std::map<std::string, std::string>* env = nullptr);
  void stop_containers(AppState& app, const std::vector<std::string>& container_ids);
  std::map<std::string, std::string> env_of(const AppState& app) const;
  Result<void> no_operation_running(const AppState& app) const;

  void start_next_deployment(AppState& app);
  void deployment_step(const std::string& app_id, const std::string& deployment_id);
  bool run_hook(AppState& app, Deployment& d);
  bool run_hook_task(AppState& app, Deployment& d);
  void boot_step(AppState& app, Deployment& d);
  BootCheck check_boot(AppState& app, const std::vector<std::string>& container_ids);
  // How long until the next look at containers still booting. A modelled boot is bounded
  // by the start timeout; a real process still booting past it is looked at again, since
  // its runtime bounds it in real time.
  Duration recheck_delay(Instant boot_started_at) const;
  void finish_restart(const std::string& app_id, const std::string& op_id,
                      const std::vector<std::string>& old, const std::vector<std::string>& fresh,
                      Instant started_at);
  void finish_crash_restart(const std::string& app_id, const std::string& container_id,
                            Instant started_at);
  void finish_scale(const std::string& app_id, const std::string& op_id,
                    const std::vector<std::string>& fresh, Instant started_at);
  void set_status(AppState& app, Deployment& d, DeploymentStatus status, const std::string& line);
  void finish_deployment(AppState& app, Deployment& d, DeploymentStatus status,
                         const std::string& error);
  void finish_one_off(const std::string& id);
  std::pair<int, std::string> console(const OneOff& run, AppState& app);
  std::pair<int, std::string> real_console(const OneOff& run, AppState& app,
                                           const std::vector<std::string>& argv);

  VirtualClock& clock_;
  Scheduler scheduler_;
  Rng ids_rng_;
  Rng timing_rng_;
  EventLog& log_;
  PlatformProfile profile_;
  SourceProvider& source_;
  ContainerRuntime& runtime_;
  mutable std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<std::unique_ptr<AppState>> apps_;
  std::deque<OneOff> one_offs_;
  AppLifecycleHooks hooks_;
};

}  // namespace mepsim::platform
