// Restarts and scaling as operations (pending -> running -> done | error), and one-off
// containers (`scalingo run`). A restart boots replacement containers with the current
// variables, which is how a variable change comes into effect.

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "sim/platform/platform.h"
#include "sim/platform/platform_state.h"

namespace mepsim::platform {
namespace {

const std::set<std::string>& known_sizes() {
  static const std::set<std::string> sizes = {"S", "M", "L", "XL", "2XL", "3XL", "4XL"};
  return sizes;
}

}  // namespace

Result<void> Platform::no_operation_running(const AppState& app) const {
  for (const auto& [id, op] : app.operations) {
    if (op.status == OperationStatus::pending || op.status == OperationStatus::running) {
      return make_error(ErrorCode::conflict,
                        "app: an operation is already in progress (" + op.type + " " + id + ")");
    }
  }
  return {};
}

bool Platform::busy() const {
  std::lock_guard lock(mutex_);
  for (const auto& app : apps_) {
    if (!no_operation_running(*app)) return true;
  }
  for (const auto& r : one_offs_) {
    if (r.state != OneOffState::exited) return true;
  }
  return false;
}

Result<Operation> Platform::operation(const std::string& name, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  const auto found = app.value()->operations.find(id);
  if (found == app.value()->operations.end()) {
    return make_error(ErrorCode::not_found, "operation not found: " + id);
  }
  return found->second;
}

Result<Operation> Platform::restart(const std::string& name,
                                    const std::vector<std::string>& scope) {
  std::lock_guard lock(mutex_);
  auto found = require(name);
  if (!found) return found.error();
  AppState& app = *found.value();
  // One operation at a time per app: two restarts interleaved would each replace the
  // other's containers.
  if (auto idle = no_operation_running(app); !idle) return idle.error();
  for (const auto& type : scope) {
    const auto& f = app.app.formation;
    if (std::none_of(f.begin(), f.end(), [&](const ProcessType& t) { return t.name == type; })) {
      return make_error(ErrorCode::invalid_input, "scope: unknown container type " + type);
    }
  }
  Operation op{
      new_id("operation"), app.app.name, clock_.now(), {}, OperationStatus::running, "restart", ""};
  app.operations[op.id] = op;
  app.app.status = AppStatus::restarting;
  record_event(app, "restart", {{"scope", scope}});

  // Replacements boot with today's variables; the old containers stop once they are up.
  std::vector<std::string> old, fresh;
  const Deployment* release = app.deployment(app.serving_deployment_id);
  // A copy: starting replacements grows app.containers while the loop walks it.
  const std::vector<Container> current = app.containers;
  for (const auto& c : current) {
    // A deployment's booting containers are already new: the deployment owns them.
    const auto& booting = app.booting_container_ids;
    if (std::find(booting.begin(), booting.end(), c.id) != booting.end()) continue;
    if (!scope.empty() && std::find(scope.begin(), scope.end(), c.type) == scope.end()) continue;
    if (release == nullptr) break;
    auto replacement = start_container(app, c.type, c.index, *release, app.serving_manifest);
    old.push_back(c.id);
    if (replacement) fresh.push_back(replacement->id);
  }
  const std::string op_id = op.id, app_id = app.app.id;
  const Instant started_at = clock_.now();
  schedule(jittered(app.serving_manifest.boot_s), "restart.boot",
           [this, app_id, op_id, old, fresh, started_at] {
             finish_restart(app_id, op_id, old, fresh, started_at);
           });
  changed_.notify_all();
  return op;
}

// The end of a restart's boot time: healthy replacements take over and the old
// containers stop; a crash keeps the old ones. Replacements still booting (real
// processes) are looked at again until the start timeout.
void Platform::finish_restart(const std::string& app_id, const std::string& op_id,
                              const std::vector<std::string>& old,
                              const std::vector<std::string>& fresh, Instant started_at) {
  AppState* a = find(app_id);
  if (a == nullptr) return;
  const bool all_there = std::all_of(fresh.begin(), fresh.end(), [&](const std::string& id) {
    return std::any_of(a->containers.begin(), a->containers.end(),
                       [&](const Container& c) { return c.id == id; });
  });
  const BootCheck check = all_there ? check_boot(*a, fresh) : BootCheck{false, "?", ""};
  if (check.crashed.empty() && check.booting) {
    schedule(recheck_delay(started_at), "restart.boot",
             [this, app_id, op_id, old, fresh, started_at] {
               finish_restart(app_id, op_id, old, fresh, started_at);
             });
    return;
  }
  const bool healthy = check.crashed.empty() && check.timed_out.empty();
  Operation& o = a->operations[op_id];
  stop_containers(*a, healthy ? old : fresh);
  o.status = healthy ? OperationStatus::done : OperationStatus::error;
  o.error = healthy                 ? ""
            : check.crashed.empty() ? "a restarted container did not start in time"
                                    : "a restarted container crashed at boot";
  o.finished_at = clock_.now();
  a->app.status = healthy ? AppStatus::running : AppStatus::crashed;
  publish("operation.finished",
          {{"app", a->app.name}, {"type", "restart"}, {"status", to_string(o.status)}});
}

Result<Operation> Platform::scale(const std::string& name,
                                  const std::vector<ProcessType>& changes) {
  std::lock_guard lock(mutex_);
  auto found = require(name);
  if (!found) return found.error();
  AppState& app = *found.value();
  if (auto idle = no_operation_running(app); !idle) return idle.error();
  // All or nothing: every change is checked before any container moves.
  for (const auto& change : changes) {
    const auto& f = app.app.formation;
    if (std::none_of(f.begin(), f.end(),
                     [&](const ProcessType& t) { return t.name == change.name; })) {
      return make_error(ErrorCode::invalid_input,
                        "containers: unknown container type " + change.name);
    }
    if (change.amount < 0 || change.amount > kContainersPerTypeMax) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("amount: must be between 0 and {}", kContainersPerTypeMax));
    }
    if (!change.size.empty() && !known_sizes().contains(change.size)) {
      return make_error(ErrorCode::invalid_input, "size: unknown container size " + change.size);
    }
  }
  nlohmann::json previous = nlohmann::json::array(), next = nlohmann::json::array();
  Operation op{
      new_id("operation"), app.app.name, clock_.now(), {}, OperationStatus::running, "scale", ""};
  const Deployment* release = app.deployment(app.serving_deployment_id);
  std::vector<std::string> fresh;
  for (const auto& change : changes) {
    for (auto& type : app.app.formation) {
      if (type.name != change.name) continue;
      previous.push_back({{"name", type.name}, {"amount", type.amount}, {"size", type.size}});
      if (!change.size.empty()) type.size = change.size;
      std::vector<std::string> surplus;
      for (const auto& c : app.containers) {
        if (c.type == type.name && c.index > change.amount) surplus.push_back(c.id);
      }
      stop_containers(app, surplus);
      if (type.name != "postdeploy" && release != nullptr) {
        const Deployment* booting =
            app.phase == DeployPhase::boot ? app.deployment(app.active_deployment_id) : nullptr;
        for (int i = type.amount + 1; i <= change.amount; ++i) {
          auto added = start_container(app, type.name, i, *release, app.serving_manifest);
          if (added) fresh.push_back(added->id);
          // A release booting right now gets the new amount too, or the switch to it
          // would stop the extra containers and leave the formation short.
          if (booting != nullptr) {
            auto extra = start_container(app, type.name, i, *booting, app.building_manifest);
            if (extra) app.booting_container_ids.push_back(extra->id);
          }
        }
      }
      type.amount = change.amount;
      next.push_back({{"name", type.name}, {"amount", type.amount}, {"size", type.size}});
    }
  }
  app.operations[op.id] = op;
  app.app.status = AppStatus::scaling;
  record_event(app, "scale", {{"previous_containers", previous}, {"containers", next}});
  const std::string op_id = op.id, app_id = app.app.id;
  const Instant started_at = clock_.now();
  schedule(
      jittered(app.serving_manifest.boot_s), "scale.boot",
      [this, app_id, op_id, fresh, started_at] { finish_scale(app_id, op_id, fresh, started_at); });
  changed_.notify_all();
  return op;
}

// The end of a scale's boot time. Asking the new containers whether they are healthy is
// what lets them receive traffic; those still booting (real processes) are asked again
// until the start timeout.
void Platform::finish_scale(const std::string& app_id, const std::string& op_id,
                            const std::vector<std::string>& fresh, Instant started_at) {
  AppState* a = find(app_id);
  if (a == nullptr) return;
  if (check_boot(*a, fresh).booting) {
    schedule(recheck_delay(started_at), "scale.boot", [this, app_id, op_id, fresh, started_at] {
      finish_scale(app_id, op_id, fresh, started_at);
    });
    return;
  }
  Operation& o = a->operations[op_id];
  o.status = OperationStatus::done;
  o.finished_at = clock_.now();
  a->app.status = AppStatus::running;
  publish("operation.finished", {{"app", a->app.name}, {"type", "scale"}, {"status", "done"}});
}

Result<OneOff> Platform::run(const std::string& name, const std::string& command,
                             const std::map<std::string, std::string>& env, const std::string& size,
                             bool detached) {
  std::lock_guard lock(mutex_);
  auto found = require(name);
  if (!found) return found.error();
  if (command.empty()) return make_error(ErrorCode::invalid_input, "command: can't be blank");
  if (!size.empty() && !known_sizes().contains(size)) {
    return make_error(ErrorCode::invalid_input, "size: unknown container size " + size);
  }
  AppState& app = *found.value();
  OneOff run;
  run.id = new_id("one-off");
  run.app_name = app.app.name;
  run.command = command;
  run.size = size.empty() ? "M" : size;
  run.detached = detached;
  run.created_at = clock_.now();
  run.env = env_of(app);
  for (const auto& [k, v] : env) run.env[k] = v;
  one_offs_.push_back(run);
  if (one_offs_.size() > kOneOffsMax) one_offs_.pop_front();
  record_event(app, "run", {{"command", command}, {"detached", detached}});
  const std::string id = run.id;
  schedule(jittered(profile_.durations.one_off_boot_s), "one-off.boot", [this, id] {
    for (auto& r : one_offs_) {
      if (r.id == id) r.state = OneOffState::running;
    }
    schedule(jittered(profile_.durations.one_off_command_s), "one-off.command",
             [this, id] { finish_one_off(id); });
  });
  changed_.notify_all();
  return run;
}

void Platform::finish_one_off(const std::string& id) {
  for (auto& r : one_offs_) {
    if (r.id != id) continue;
    AppState* app = find(r.app_name);
    if (app == nullptr) {
      r.exit_code = 137;
      r.output = "app destroyed while the command ran\n";
    } else {
      std::tie(r.exit_code, r.output) = console(r, *app);
    }
    r.state = OneOffState::exited;
    r.finished_at = clock_.now();
    publish(
        "one-off.exited",
        {{"app", r.app_name}, {"command", r.command}, {"exit_code", std::to_string(r.exit_code)}});
  }
}

Result<OneOff> Platform::one_off(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& r : one_offs_) {
    if (r.id == id) return r;
  }
  return make_error(ErrorCode::not_found, "container not found: " + id);
}

// `php bin/console …` in a one-off container, when containers are real processes: the
// web container's own console (`mepsim-web console …`) against the app's database, with the
// one-off's environment. Real time, bounded like the postdeploy hook.
std::pair<int, std::string> Platform::real_console(const OneOff& run, AppState& app,
                                                   const std::vector<std::string>& argv) {
  const Deployment* release = app.deployment(app.serving_deployment_id);
  ContainerSpec spec{app.app.name,
                     "one-off-1",
                     "one-off",
                     release != nullptr ? release->version : std::string(),
                     app.serving_manifest,
                     run.env};
  std::vector<std::string> args = {"console"};
  args.insert(args.end(), argv.begin() + 2, argv.end());
  auto outcome = runtime_.run_task(spec, std::move(args), kHookTimeout);
  if (!outcome) return {137, outcome.error().message + "\n"};
  // The runtime quotes the output behind "  | ": a one-off shows it as printed.
  std::string output;
  std::istringstream lines(outcome->output);
  for (std::string line; std::getline(lines, line);) {
    output += (line.rfind("  | ", 0) == 0 ? line.substr(4) : line) + "\n";
  }
  return {outcome->exit_code, output};
}

// The app's console, as far as a rehearsal needs it. PHP does not run here: the model
// answers for `php bin/console …` the way the real commands do, including their refusal
// to run while maintenance is on (FACTS.md).
std::pair<int, std::string> Platform::console(const OneOff& run, AppState& app) {
  std::istringstream words(run.command);
  std::vector<std::string> argv;
  for (std::string w; words >> w;) argv.push_back(w);
  const auto env_flag = [&](const char* key) {
    const auto v = run.env.find(key);
    return v != run.env.end() && v->second == "1";
  };
  if (argv.size() >= 3 && argv[0] == "php" && argv[1] == "bin/console") {
    if (runtime_.runs_tasks()) return real_console(run, app, argv);
    const std::string& cmd = argv[2];
    if (cmd == "doctrine:migrations:migrate") {
      std::string out;
      for (const auto& m : app.serving_manifest.migrations) {
        if (app.applied_migrations.contains(m.name)) continue;
        if (m.fails) return {1, out + "[error] Migration " + m.name + " failed\n"};
        app.applied_migrations.insert(m.name);
        out += "[notice] Migrated " + m.name + "\n";
      }
      return {0, out.empty() ? "[notice] Already at the latest version\n" : out};
    }
    if (cmd.rfind("app:", 0) == 0) {
      if (env_flag("MAINTENANCE_ENABLE")) {
        return {1, "[ERROR] " + cmd + " : maintenance en cours, commande non exécutée\n"};
      }
      return {0, "[OK] " + cmd + " exécutée\n"};
    }
    if (cmd == "cache:clear" || cmd == "list") return {0, "[OK] " + cmd + "\n"};
    return {1, "Command \"" + cmd + "\" is not defined.\n"};
  }
  if (!argv.empty() && argv[0] == "env") {
    std::string out;
    for (const auto& [k, v] : run.env) out += k + "=" + v + "\n";
    return {0, out};
  }
  if (!argv.empty() && argv[0] == "echo") {
    std::string out;
    for (std::size_t i = 1; i < argv.size(); ++i) out += (i > 1 ? " " : "") + argv[i];
    return {0, out + "\n"};
  }
  if (!argv.empty() && (argv[0] == "true" || argv[0] == "false"))
    return {argv[0] == "true" ? 0 : 1, ""};
  return {127, "bash: " + (argv.empty() ? std::string() : argv[0]) + ": command not found\n"};
}

}  // namespace mepsim::platform
