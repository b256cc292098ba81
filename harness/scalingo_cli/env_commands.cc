#include "harness/scalingo_cli/env_commands.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/arguments.h"
#include "harness/scalingo_cli/json_fields.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

void remind_restart(CommandContext& context) {
  context.console.print(
      "\nRestart your containers to apply these environment changes on your application:\n"
      "scalingo --app {} restart\n",
      context.app);
}

}  // namespace

int run_env(CommandContext& context) {
  auto body = context.api.call_json(HttpMethod::get, context.app_path("/variables"));
  if (!body) return context.fail(body.error());
  for (const auto& variable : array_field(body.value(), "variables")) {
    context.console.print("{}={}\n", string_field(variable, "name"),
                          string_field(variable, "value"));
  }
  return kExitOk;
}

int run_env_set(CommandContext& context, const std::vector<std::string>& assignments) {
  auto parsed = parse_variable_assignments(assignments);
  if (!parsed) return context.usage(parsed.error().message);
  json variables = json::array();
  for (const auto& [name, value] : parsed.value()) {
    variables.push_back({{"name", name}, {"value", value}});
  }
  auto body = context.api.call_json(HttpMethod::put, context.app_path("/variables"),
                                    json{{"variables", variables}});
  if (!body) return context.fail(body.error());
  for (const auto& [name, value] : parsed.value()) {
    context.console.print("{} has been set to '{}'.\n", name, value);
  }
  remind_restart(context);
  return kExitOk;
}

int run_env_unset(CommandContext& context, const std::vector<std::string>& names) {
  auto listed = context.api.call_json(HttpMethod::get, context.app_path("/variables"));
  if (!listed) return context.fail(listed.error());
  std::vector<std::string> unique;
  for (const auto& name : names) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
  }
  json ids = json::array();
  for (const auto& name : unique) {
    const json* found = nullptr;
    for (const auto& variable : array_field(listed.value(), "variables")) {
      if (string_field(variable, "name") == name) found = &variable;
    }
    if (found == nullptr)
      return context.fail(make_error(ErrorCode::not_found, name + " variable does not exist"));
    ids.push_back(string_field(*found, "id"));
  }
  auto deleted = context.api.call(ApiRequest{HttpMethod::del,
                                             context.api.api_url(context.app_path("/variables")),
                                             json{{"variable_ids", ids}},
                                             Credentials::bearer,
                                             {}});
  if (!deleted) return context.fail(deleted.error());
  for (const auto& name : unique) context.console.print("{} has been unset.\n", name);
  remind_restart(context);
  return kExitOk;
}

}  // namespace mepsim::scalingo_cli
