// Unit tests of the platform's operations (sim/platform/platform_operations.cc and
// platform_variables.cc): restart and scale as operations, one-off containers and their
// console, variables and when their changes are in effect (rule R9), and the app events.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

using std::chrono::seconds;

AppStatus status_of(Platform& p, const std::string& app) {
  auto a = p.app(app);
  EXPECT_TRUE(a.ok());
  return a.ok() ? a->status : AppStatus::stopped;
}

Operation operation_of(Platform& p, const std::string& app, const std::string& id) {
  auto op = p.operation(app, id);
  EXPECT_TRUE(op.ok()) << (op.ok() ? "" : op.error().message);
  return op.ok() ? op.value() : Operation{};
}

// A container's variable, or "<unset>".
std::string env_value(const Container& c, const std::string& key) {
  const auto found = c.env.find(key);
  return found == c.env.end() ? "<unset>" : found->second;
}

std::map<std::string, int> amounts(const std::vector<ProcessType>& formation) {
  std::map<std::string, int> out;
  for (const auto& t : formation) out[t.name] = t.amount;
  return out;
}

// ---- restart ---------------------------------------------------------------------------

class Restart : public PlatformFixture {};

TEST_F(Restart, ReplacesEveryContainerRunningToDone) {
  // A restart runs -> done; the app goes restarting -> running on fresh containers.
  const auto old_ids = container_ids(kProd);
  const auto running_before = runtime().running_count();
  auto op = platform().restart(kProd, {});
  ASSERT_TRUE(op.ok()) << op.error().message;
  EXPECT_EQ(op->type, "restart");
  EXPECT_EQ(op->status, OperationStatus::running);
  EXPECT_FALSE(op->finished_at.has_value());
  EXPECT_EQ(operation_of(platform(), kProd, op->id).status, OperationStatus::running);
  EXPECT_EQ(status_of(platform(), kProd), AppStatus::restarting);

  platform().settle();
  const auto done = operation_of(platform(), kProd, op->id);
  EXPECT_EQ(done.status, OperationStatus::done) << done.error;
  EXPECT_TRUE(done.finished_at.has_value());
  EXPECT_TRUE(done.error.empty());
  EXPECT_EQ(status_of(platform(), kProd), AppStatus::running);
  std::multiset<std::string> labels;
  for (const auto& c : containers(kProd)) {
    labels.insert(c.label);
    EXPECT_FALSE(old_ids.contains(c.id)) << c.label << " was not restarted";
    EXPECT_EQ(c.version, "main") << c.label;
  }
  EXPECT_EQ(labels, (std::multiset<std::string>{"clock-1", "web-1", "web-2", "worker-1"}));
  EXPECT_EQ(runtime().running_count(), running_before);
}

TEST_F(Restart, ScopeRestartsOnlyThoseTypes) {
  // `{"scope":["web"]}` replaces the web containers and leaves worker and clock running.
  std::map<std::string, std::string> id_by_label;
  for (const auto& c : containers(kProd)) id_by_label[c.label] = c.id;
  auto op = platform().restart(kProd, {"web"});
  ASSERT_TRUE(op.ok()) << op.error().message;
  platform().settle();
  EXPECT_EQ(operation_of(platform(), kProd, op->id).status, OperationStatus::done);
  const auto now = containers(kProd);
  ASSERT_EQ(now.size(), 4u);
  for (const auto& c : now) {
    if (c.type == "web") {
      EXPECT_NE(c.id, id_by_label[c.label]) << c.label;
    } else {
      EXPECT_EQ(c.id, id_by_label[c.label]) << c.label;
    }
  }
}

TEST_F(Restart, UnknownScopeChangesNothing) {
  // A scope naming no process type is refused before anything restarts.
  const auto ids = container_ids(kProd);
  auto op = platform().restart(kProd, {"web", "api"});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(op.error().message.rfind("scope:", 0), 0u) << op.error().message;
  EXPECT_EQ(container_ids(kProd), ids);
  EXPECT_EQ(status_of(platform(), kProd), AppStatus::running);
  EXPECT_TRUE(event_types(kProd).empty());
  auto unknown = platform().operation(kProd, "000000000000000000000000");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

// ---- scale -----------------------------------------------------------------------------

class Scale : public PlatformFixture {};

TEST_F(Scale, UpThenDownRunningToDone) {
  // Scaling web 2 -> 3 -> 1 is an operation running -> done; the app goes scaling -> running.
  auto up = platform().scale(kProd, {{"web", 3, "M"}});
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->type, "scale");
  EXPECT_EQ(up->status, OperationStatus::running);
  EXPECT_EQ(status_of(platform(), kProd), AppStatus::scaling);
  platform().settle();
  EXPECT_EQ(operation_of(platform(), kProd, up->id).status, OperationStatus::done);
  EXPECT_TRUE(operation_of(platform(), kProd, up->id).finished_at.has_value());
  EXPECT_EQ(status_of(platform(), kProd), AppStatus::running);
  auto formation = platform().formation(kProd);
  ASSERT_TRUE(formation.ok());
  EXPECT_EQ(amounts(formation.value())["web"], 3);
  std::set<std::string> web;
  for (const auto& c : containers(kProd)) {
    if (c.type == "web") web.insert(c.label);
  }
  EXPECT_EQ(web, (std::set<std::string>{"web-1", "web-2", "web-3"}));

  auto down = platform().scale(kProd, {{"web", 1, "M"}});
  ASSERT_TRUE(down.ok()) << down.error().message;
  platform().settle();
  EXPECT_EQ(operation_of(platform(), kProd, down->id).status, OperationStatus::done);
  web.clear();
  for (const auto& c : containers(kProd)) {
    if (c.type == "web") web.insert(c.label);
  }
  EXPECT_EQ(web, (std::set<std::string>{"web-1"}));
  EXPECT_EQ(containers(kProd).size(), 3u);
  EXPECT_EQ(runtime().running_count(), 3u + 2u + 1u);  // prod + staging + demo
}

TEST_F(Scale, ValidationErrorsChangeNothing) {
  // An unknown type, an amount over 50 or an unknown size is refused, even beside a valid change.
  struct Case {
    const char* what;
    std::vector<ProcessType> changes;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown type", {{"api", 1, "M"}}, "containers:"},
      {"amount 51", {{"web", 51, "M"}}, "amount:"},
      {"negative amount", {{"web", -1, "M"}}, "amount:"},
      {"bad size", {{"web", 2, "XXL"}}, "size:"},
      {"valid then unknown type", {{"web", 3, "M"}, {"api", 1, "M"}}, "containers:"},
  };
  auto formation_before = platform().formation(kProd);
  ASSERT_TRUE(formation_before.ok());
  const auto ids = container_ids(kProd);
  for (const auto& c : cases) {
    auto op = platform().scale(kProd, c.changes);
    ASSERT_FALSE(op.ok()) << c.what;
    EXPECT_EQ(op.error().code, ErrorCode::invalid_input) << c.what;
    EXPECT_EQ(op.error().message.rfind(c.field, 0), 0u) << c.what << ": " << op.error().message;
    auto formation = platform().formation(kProd);
    ASSERT_TRUE(formation.ok());
    EXPECT_EQ(amounts(formation.value()), amounts(formation_before.value())) << c.what;
    for (std::size_t i = 0; i < formation->size(); ++i) {
      EXPECT_EQ((*formation)[i].size, (*formation_before)[i].size) << c.what;
    }
    EXPECT_EQ(container_ids(kProd), ids) << c.what;
    EXPECT_EQ(status_of(platform(), kProd), AppStatus::running) << c.what;
  }
  EXPECT_TRUE(event_types(kProd).empty());
  EXPECT_FALSE(platform().next_due().has_value());
}

TEST_F(Scale, DuringDeploymentBootKeepsNewAmount) {
  // Scaling up while a deployment boots ends with the new amount, all on the new release.
  source().set("release-1.7.4", "version: 1.7.4\n");
  const auto d = deploy(kProd, "release-1.7.4");
  for (int step = 0; step < 100 && container_versions(kProd).count("1.7.4") < 4; ++step) {
    const auto due = platform().next_due();
    ASSERT_TRUE(due.has_value());
    platform().advance_to(*due);
  }
  ASSERT_EQ(deployment(kProd, d.id).status, DeploymentStatus::starting);
  ASSERT_TRUE(platform().scale(kProd, {{"web", 3, "M"}}).ok());
  platform().settle();
  ASSERT_EQ(deployment(kProd, d.id).status, DeploymentStatus::success);
  auto formation = platform().formation(kProd);
  ASSERT_TRUE(formation.ok());
  EXPECT_EQ(amounts(formation.value())["web"], 3);
  std::multiset<std::string> web;
  for (const auto& c : containers(kProd)) {
    if (c.type == "web") web.insert(c.label + "@" + c.version);
  }
  EXPECT_EQ(web, (std::multiset<std::string>{"web-1@1.7.4", "web-2@1.7.4", "web-3@1.7.4"}));
}

// ---- one-off containers ----------------------------------------------------------------

class Run : public PlatformFixture {
 protected:
  platform::OneOff run(const std::string& command,
                       const std::map<std::string, std::string>& env = {}) {
    auto r = platform().run(kProd, command, env, "", false);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : platform::OneOff{};
  }
  platform::OneOff one_off(const std::string& id) {
    auto r = platform().one_off(id);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : platform::OneOff{};
  }
  platform::OneOff run_to_exit(const std::string& command,
                               const std::map<std::string, std::string>& env = {}) {
    const auto started = run(command, env);
    platform().settle();
    return one_off(started.id);
  }
};

TEST_F(Run, ConsoleCommandBootsRunsAndExitsZero) {
  // `php bin/console app:foo` goes booting -> running -> exited with exit code 0.
  const auto started = run("php bin/console app:foo");
  EXPECT_EQ(started.state, OneOffState::booting);
  EXPECT_EQ(started.size, "M");
  // Boot takes 4 s +-20 % and the command 3 s +-20 %: at +5 s it runs.
  advance(seconds(5));
  EXPECT_EQ(one_off(started.id).state, OneOffState::running);
  platform().settle();
  const auto done = one_off(started.id);
  EXPECT_EQ(done.state, OneOffState::exited);
  EXPECT_EQ(done.exit_code, 0) << done.output;
  EXPECT_TRUE(HasSubstring(done.output, "app:foo"));
  ASSERT_TRUE(done.finished_at.has_value());
  EXPECT_GT(*done.finished_at, done.created_at);
  EXPECT_EQ(logged("one-off.exited", "command", "php bin/console app:foo").size(), 1u);
}

TEST_F(Run, AppCommandFailsWithMaintenanceInEnv) {
  // With MAINTENANCE_ENABLE=1 in the one-off's env, `app:*` commands exit 1.
  const auto done = run_to_exit("php bin/console app:foo", {{"MAINTENANCE_ENABLE", "1"}});
  EXPECT_EQ(done.state, OneOffState::exited);
  EXPECT_EQ(done.exit_code, 1) << done.output;
  EXPECT_TRUE(HasSubstring(done.output, "maintenance"));
}

TEST_F(Run, AppCommandFailsWhenMaintenanceVariableSet) {
  // A one-off starts with the app's current variables: no restart needed for it to see maintenance.
  auto set = platform().bulk_update_variables(kProd, {{"MAINTENANCE_ENABLE", "1"}});
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(run_to_exit("php bin/console app:foo").exit_code, 1);
  ASSERT_TRUE(platform().bulk_update_variables(kProd, {{"MAINTENANCE_ENABLE", "0"}}).ok());
  EXPECT_EQ(run_to_exit("php bin/console app:foo").exit_code, 0);
}

TEST_F(Run, EnvPrintsVariables) {
  // `env` prints the app's variables and the ones given to the run.
  const auto done = run_to_exit("env", {{"EXTRA_FLAG", "yes"}});
  EXPECT_EQ(done.exit_code, 0);
  EXPECT_TRUE(HasSubstring(done.output, "APP_ENV=prod\n"));
  EXPECT_TRUE(HasSubstring(done.output, "SENTRY_ENVIRONMENT=production\n"));
  EXPECT_TRUE(HasSubstring(done.output, "EXTRA_FLAG=yes\n"));
}

TEST_F(Run, UnknownCommandExits127) {
  // A program the container does not have exits 127, as bash does.
  const auto done = run_to_exit("rake db:migrate");
  EXPECT_EQ(done.state, OneOffState::exited);
  EXPECT_EQ(done.exit_code, 127);
  EXPECT_TRUE(HasSubstring(done.output, "command not found"));
}

TEST_F(Run, RejectsBlankCommandAndUnknownSize) {
  // A run without a command or with an unknown size is refused and records no event.
  auto blank = platform().run(kProd, "", {}, "", false);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::invalid_input);
  auto sized = platform().run(kProd, "env", {}, "XXL", false);
  ASSERT_FALSE(sized.ok());
  EXPECT_EQ(sized.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(event_types(kProd).empty());
  auto unknown = platform().one_off("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

// ---- variables (rule R9) ---------------------------------------------------------------

class Variables : public PlatformFixture {
 protected:
  std::string variable_id(const std::string& app, const std::string& name) {
    auto vars = platform().variables(app);
    EXPECT_TRUE(vars.ok());
    if (vars.ok()) {
      for (const auto& v : vars.value()) {
        if (v.name == name) return v.id;
      }
    }
    ADD_FAILURE() << "no variable " << name << " on " << app;
    return "";
  }
};

TEST_F(Variables, ChangesNotInEffectUntilRestart) {
  // R9: changed variables are reported not in effect until a restart, then none is.
  EXPECT_TRUE(not_in_effect(kProd).empty());
  const auto ids = container_ids(kProd);
  auto created = platform().create_variable(kProd, {"NEW_FEATURE", "1"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(not_in_effect(kProd), (std::vector<std::string>{"NEW_FEATURE"}));
  auto edited = platform().bulk_update_variables(kProd, {{"MAINTENANCE_BANNER_ENABLE", "1"}});
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(not_in_effect(kProd),
            (std::vector<std::string>{"MAINTENANCE_BANNER_ENABLE", "NEW_FEATURE"}));
  // Changing variables restarts nothing.
  EXPECT_EQ(container_ids(kProd), ids);
  EXPECT_FALSE(platform().next_due().has_value());
  EXPECT_TRUE(not_in_effect(kStaging).empty());

  auto op = platform().restart(kProd, {});
  ASSERT_TRUE(op.ok()) << op.error().message;
  EXPECT_FALSE(not_in_effect(kProd).empty()) << "in effect before the restart is done";
  platform().settle();
  EXPECT_EQ(operation_of(platform(), kProd, op->id).status, OperationStatus::done);
  EXPECT_TRUE(not_in_effect(kProd).empty());
  for (const auto& c : containers(kProd)) {
    EXPECT_EQ(env_value(c, "NEW_FEATURE"), "1") << c.label;
    EXPECT_EQ(env_value(c, "MAINTENANCE_BANNER_ENABLE"), "1") << c.label;
  }
}

TEST_F(Variables, SameValueIsNoChange) {
  // Writing a variable's current value leaves it in effect.
  ASSERT_TRUE(platform().bulk_update_variables(kProd, {{"APP_ENV", "prod"}}).ok());
  EXPECT_TRUE(not_in_effect(kProd).empty());
}

TEST_F(Variables, ScopedRestartLeavesOtherTypesStale) {
  // Restarting web only leaves the worker and clock on the old values: still not in effect.
  ASSERT_TRUE(platform().bulk_update_variables(kProd, {{"S3_ENABLE", "0"}}).ok());
  ASSERT_TRUE(platform().restart(kProd, {"web"}).ok());
  platform().settle();
  EXPECT_EQ(not_in_effect(kProd), (std::vector<std::string>{"S3_ENABLE"}));
  ASSERT_TRUE(platform().restart(kProd, {"worker", "clock"}).ok());
  platform().settle();
  EXPECT_TRUE(not_in_effect(kProd).empty());
}

TEST_F(Variables, DeployPutsChangesInEffect) {
  // The next deploy boots containers with today's variables: the change is then in effect.
  ASSERT_TRUE(platform().create_variable(kProd, {"NEW_FEATURE", "1"}).ok());
  const auto d = deploy(kProd, "release-1.7.4");
  platform().settle();
  ASSERT_EQ(deployment(kProd, d.id).status, DeploymentStatus::success);
  EXPECT_TRUE(not_in_effect(kProd).empty());
}

TEST_F(Variables, DeletionNotInEffectUntilRestart) {
  // A deleted variable is still in the running containers until they restart.
  const std::string id = variable_id(kProd, "SENTRY_TRACES_SAMPLE_RATE");
  ASSERT_TRUE(platform().delete_variable(kProd, id).ok());
  EXPECT_EQ(not_in_effect(kProd), (std::vector<std::string>{"SENTRY_TRACES_SAMPLE_RATE"}));
  ASSERT_TRUE(platform().restart(kProd, {}).ok());
  platform().settle();
  EXPECT_TRUE(not_in_effect(kProd).empty());
  for (const auto& c : containers(kProd)) {
    EXPECT_FALSE(c.env.contains("SENTRY_TRACES_SAMPLE_RATE")) << c.label;
  }
}

TEST_F(Variables, InvalidInputChangesNothing) {
  // Bad names, duplicates and unknown ids are refused; a bulk edit is all or nothing.
  auto before = platform().variables(kProd);
  ASSERT_TRUE(before.ok());
  auto bad_name = platform().create_variable(kProd, {"1BAD", "x"});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(bad_name.error().message.rfind("name:", 0), 0u);
  auto taken = platform().create_variable(kProd, {"APP_ENV", "dev"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::invalid_input);
  auto bulk = platform().bulk_update_variables(kProd, {{"APP_ENV", "dev"}, {"BAD-NAME", "x"}});
  ASSERT_FALSE(bulk.ok());
  auto unknown = platform().update_variable(kProd, "nope", "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  auto after = platform().variables(kProd);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ((*after)[i].name, (*before)[i].name);
    EXPECT_EQ((*after)[i].value, (*before)[i].value);
  }
  EXPECT_TRUE(not_in_effect(kProd).empty());
  EXPECT_TRUE(event_types(kProd).empty());
}

// ---- app events ------------------------------------------------------------------------

class Events : public PlatformFixture {};

TEST_F(Events, NewestFirstWithTypesAndPagination) {
  // Every change is an app event, listed newest first and paginated like the real API.
  ASSERT_TRUE(platform().create_variable(kProd, {"NEW_FEATURE", "1"}).ok());
  ASSERT_TRUE(platform().bulk_update_variables(kProd, {{"MAINTENANCE_BANNER_ENABLE", "1"}}).ok());
  ASSERT_TRUE(platform().restart(kProd, {}).ok());
  platform().settle();
  ASSERT_TRUE(platform().scale(kProd, {{"web", 3, "M"}}).ok());
  platform().settle();
  ASSERT_TRUE(platform().run(kProd, "php bin/console app:foo", {}, "", false).ok());
  platform().settle();
  deploy(kProd, "release-1.7.4");
  platform().settle();

  EXPECT_EQ(event_types(kProd), (std::vector<std::string>{"deployment", "run", "scale", "restart",
                                                          "edit_variables", "new_variable"}));
  auto page1 = platform().events(kProd, {1, 4});
  ASSERT_TRUE(page1.ok());
  EXPECT_EQ(page1->total_count, 6);
  EXPECT_EQ(page1->total_pages, 2);
  EXPECT_EQ(page1->current_page, 1);
  EXPECT_EQ(page1->items.size(), 4u);
  auto page2 = platform().events(kProd, {2, 4});
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->current_page, 2);
  ASSERT_EQ(page2->items.size(), 2u);
  EXPECT_EQ(page2->items[0].type, "edit_variables");
  EXPECT_EQ(page2->items[1].type, "new_variable");
  auto page3 = platform().events(kProd, {3, 4});
  ASSERT_TRUE(page3.ok());
  EXPECT_TRUE(page3->items.empty());
  EXPECT_EQ(page3->total_count, 6);

  auto all = platform().events(kProd, {1, 100});
  ASSERT_TRUE(all.ok());
  for (std::size_t i = 1; i < all->items.size(); ++i) {
    EXPECT_GE(all->items[i - 1].created_at, all->items[i].created_at) << i;
  }
  for (const auto& e : all->items) {
    EXPECT_EQ(e.app_name, kProd);
    EXPECT_EQ(e.user.username, "mepsim");
  }
  EXPECT_EQ(all->items[0].type_data.value("status", ""), "success");
  EXPECT_EQ(all->items[1].type_data.value("command", ""), "php bin/console app:foo");
  EXPECT_TRUE(event_types(kStaging).empty());
}

TEST_F(Events, VariableEventsCarryNamesNotValues) {
  // Variable events name the variables but never carry their values (they hold secrets).
  ASSERT_TRUE(platform().create_variable(kProd, {"MAILER_DSN", "smtp://user:s3cr3t@mail"}).ok());
  ASSERT_TRUE(platform().bulk_update_variables(kProd, {{"APP_SECRET", "n3w-s3cr3t"}}).ok());
  auto all = platform().events(kProd, {1, 100});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->items.size(), 2u);
  EXPECT_EQ(all->items[1].type_data.value("name", ""), "MAILER_DSN");
  EXPECT_EQ(all->items[0].type_data["updated_vars"], nlohmann::json::array({"APP_SECRET"}));
  for (const auto& e : all->items) {
    EXPECT_FALSE(HasSubstring(e.type_data.dump(), "s3cr3t")) << e.type_data.dump();
  }
  for (const auto& e : log().retained()) {
    for (const auto& f : e.fields) EXPECT_FALSE(HasSubstring(f.value, "s3cr3t")) << e.name;
  }
}

}  // namespace
}  // namespace mepsim::platform_test
