// Environment variables. Changing them restarts nothing: each container keeps the values
// it was started with, which is what variables_not_in_effect() compares against (R9).
// Events carry variable names only: values hold secrets (DSNs, passwords). The exception:
// `variable.changed` carries the value of the maintenance variables (is_public_variable),
// which rules R7 and R8 compare.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sim/platform/platform.h"
#include "sim/platform/platform_state.h"

namespace mepsim::platform {
namespace {

Result<void> check_name(const std::string& name) {
  if (name.empty()) return make_error(ErrorCode::invalid_input, "name: can't be blank");
  if (!is_variable_name(name)) {
    return make_error(ErrorCode::invalid_input,
                      "name: is invalid (letters, digits and '_', not starting with a digit)");
  }
  return {};
}

}  // namespace

// One event per variable touched, whatever API call touched it: the timeline of an app's
// variables that rules R7 (demo parity), R8 (banner first) and R9 (restart) replay.
// `action`: initial (at the app's creation; public names only), created, updated,
// unchanged (set to the value it had), deleted.
void Platform::publish_variable(const AppState& app, const std::string& name, const char* action,
                                const std::string* value) {
  std::vector<Field> fields = {{"app", app.app.name}, {"name", name}, {"action", action}};
  if (value != nullptr && is_public_variable(name)) {
    fields.push_back({"value", cut_utf8(*value, kPublicValueBytesMax)});
  }
  publish("variable.changed", std::move(fields));
}

Result<std::vector<Variable>> Platform::variables(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  return app.value()->variables;
}

Result<Variable> Platform::create_variable(const std::string& name, const VariableInput& input) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  if (auto valid = check_name(input.name); !valid) return valid.error();
  auto& vars = app.value()->variables;
  if (std::any_of(vars.begin(), vars.end(),
                  [&](const Variable& v) { return v.name == input.name; })) {
    return make_error(ErrorCode::invalid_input, "name: has already been taken");
  }
  vars.push_back({new_id("variable"), input.name, input.value});
  record_event(*app.value(), "new_variable", {{"name", input.name}});
  publish_variable(*app.value(), input.name, "created", &input.value);
  changed_.notify_all();
  return vars.back();
}

Result<std::vector<Variable>> Platform::bulk_update_variables(
    const std::string& name, const std::vector<VariableInput>& inputs) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  // All or nothing: every name is checked before anything changes.
  for (const auto& input : inputs) {
    if (auto valid = check_name(input.name); !valid) return valid.error();
  }
  auto& vars = app.value()->variables;
  nlohmann::json added = nlohmann::json::array(), updated = nlohmann::json::array();
  std::vector<Variable> touched;
  for (const auto& input : inputs) {
    auto found = std::find_if(vars.begin(), vars.end(),
                              [&](const Variable& v) { return v.name == input.name; });
    if (found == vars.end()) {
      vars.push_back({new_id("variable"), input.name, input.value});
      added.push_back(input.name);
      touched.push_back(vars.back());
    } else {
      if (found->value != input.value) updated.push_back(input.name);
      found->value = input.value;
      touched.push_back(*found);
    }
  }
  record_event(*app.value(), "edit_variables", {{"new_vars", added}, {"updated_vars", updated}});
  for (const auto& input : inputs) {
    const auto is = [&](const nlohmann::json& names) {
      return std::find(names.begin(), names.end(), input.name) != names.end();
    };
    const char* action = is(added) ? "created" : is(updated) ? "updated" : "unchanged";
    publish_variable(*app.value(), input.name, action, &input.value);
  }
  changed_.notify_all();
  return touched;
}

Result<Variable> Platform::update_variable(const std::string& name, const std::string& id,
                                           const std::string& value) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  for (auto& v : app.value()->variables) {
    if (v.id != id) continue;
    const bool same = v.value == value;
    v.value = value;
    record_event(*app.value(), "edit_variables",
                 {{"new_vars", nlohmann::json::array()}, {"updated_vars", {v.name}}});
    publish_variable(*app.value(), v.name, same ? "unchanged" : "updated", &value);
    changed_.notify_all();
    return v;
  }
  return make_error(ErrorCode::not_found, "variable not found: " + id);
}

Result<void> Platform::delete_variable(const std::string& name, const std::string& id) {
  auto deleted = bulk_delete_variables(name, {id});
  if (!deleted) return deleted.error();
  return {};
}

Result<std::vector<std::string>> Platform::bulk_delete_variables(
    const std::string& name, const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  auto& vars = app.value()->variables;
  for (const auto& id : ids) {
    if (std::none_of(vars.begin(), vars.end(), [&](const Variable& v) { return v.id == id; })) {
      return make_error(ErrorCode::not_found, "variable not found: " + id);
    }
  }
  nlohmann::json names = nlohmann::json::array();
  std::erase_if(vars, [&](const Variable& v) {
    const bool doomed = std::find(ids.begin(), ids.end(), v.id) != ids.end();
    if (doomed) names.push_back(v.name);
    return doomed;
  });
  record_event(*app.value(), "delete_variable", {{"names", names}});
  for (const auto& deleted : names) {
    publish_variable(*app.value(), deleted.get<std::string>(), "deleted", nullptr);
  }
  changed_.notify_all();
  return ids;
}

Result<std::vector<std::string>> Platform::variables_not_in_effect(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  const auto current = env_of(*app.value());
  std::set<std::string> stale;
  for (const auto& c : app.value()->containers) {
    for (const auto& [key, value] : current) {
      const auto seen = c.env.find(key);
      if (seen == c.env.end() || seen->second != value) stale.insert(key);
    }
    for (const auto& [key, value] : c.env) {
      // CONTAINER and APP_VERSION are the platform's, not the app's variables.
      if (key != "CONTAINER" && key != "APP_VERSION" && !current.contains(key)) stale.insert(key);
    }
  }
  return std::vector<std::string>(stale.begin(), stale.end());
}

}  // namespace mepsim::platform
