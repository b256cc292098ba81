// Environment variables: list, create one (201), bulk update (PUT, creating what is
// missing), update one (PATCH {"variable":{"value"}}), delete one, bulk delete
// (DELETE {"variable_ids":[…]}). Values are the app's secrets: they appear in answers,
// as in the real API, but never in the journal or in an error message.

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"

namespace mepsim::fakes::scalingo {
namespace {

nlohmann::json variables_json(const std::vector<platform::Variable>& variables) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& v : variables) items.push_back(variable_json(v));
  return items;
}

void list_variables(ApiContext& ctx, Exchange& ex) {
  auto variables = ctx.platform.variables(ex.param(1));
  if (!variables) return reply_platform_error(ex, variables.error(), "app");
  reply_json(ex, 200, {{"variables", variables_json(*variables)}});
}

// {name, value}: both strings, the name not blank.
std::optional<platform::VariableInput> read_input(const nlohmann::json& item,
                                                  const std::string& path, FieldErrors& errors,
                                                  std::vector<std::string>& notes) {
  if (!item.is_object()) {
    errors.add("variables", "each entry must be an object");
    return std::nullopt;
  }
  JsonObjectReader reader(item, path, errors);
  const auto name = reader.string("name", Presence::required);
  const auto value = reader.string("value", Presence::optional);
  reader.note_unknown(notes);
  if (name && name->empty()) errors.add("name", "can't be blank");
  if (!name || name->empty()) return std::nullopt;
  return platform::VariableInput{*name, value.value_or("")};
}

void create_variable(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("variable", Presence::required);
  root.note_unknown(ex.notes);
  std::optional<platform::VariableInput> input;
  if (fields != nullptr) input = read_input(*fields, "variable", errors, ex.notes);
  if (!errors.empty() || !input) return reply_field_errors(ex, errors);
  auto created = ctx.platform.create_variable(app.name, *input);
  if (!created) return reply_platform_error(ex, created.error(), "app");
  reply_json(ex, 201, {{"variable", variable_json(*created)}});
}

void bulk_update(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("variables", Presence::required);
  root.note_unknown(ex.notes);
  std::vector<platform::VariableInput> inputs;
  if (items != nullptr) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string path = "variables[" + std::to_string(i) + "]";
      auto input = read_input((*items)[i], path, errors, ex.notes);
      if (input) inputs.push_back(std::move(*input));
    }
  }
  if (!errors.empty()) return reply_field_errors(ex, errors);
  auto updated = ctx.platform.bulk_update_variables(app.name, inputs);
  if (!updated) return reply_platform_error(ex, updated.error(), "app");
  reply_json(ex, 200, {{"variables", variables_json(*updated)}});
}

void update_variable(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("variable", Presence::required);
  root.note_unknown(ex.notes);
  std::optional<std::string> value;
  if (fields != nullptr) {
    JsonObjectReader reader(*fields, "variable", errors);
    value = reader.string("value", Presence::required);
    // The real PATCH does not rename either: accepted, noted.
    reader.ignore("name", ex.notes);
    reader.note_unknown(ex.notes);
  }
  if (!errors.empty()) return reply_field_errors(ex, errors);
  auto updated = ctx.platform.update_variable(app.name, ex.param(2), *value);
  if (!updated) return reply_platform_error(ex, updated.error(), "variable");
  reply_json(ex, 200, {{"variable", variable_json(*updated)}});
}

void delete_variable(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto deleted = ctx.platform.delete_variable(app->name, ex.param(2));
  if (!deleted) return reply_platform_error(ex, deleted.error(), "variable");
  ex.res.status = 204;
}

void bulk_delete(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("variable_ids", Presence::required);
  root.note_unknown(ex.notes);
  std::vector<std::string> ids;
  if (items != nullptr) {
    if (items->empty()) errors.add("variable_ids", "can't be empty");
    for (const auto& item : *items) {
      if (!item.is_string()) {
        errors.add("variable_ids", "must be an array of strings");
        break;
      }
      ids.push_back(item.get<std::string>());
    }
  }
  if (!errors.empty()) return reply_field_errors(ex, errors);
  auto deleted = ctx.platform.bulk_delete_variables(app.name, ids);
  if (!deleted) return reply_platform_error(ex, deleted.error(), "variable");
  // 204 as the real API: the npm client's bulkDestroy then resolves to undefined.
  ex.res.status = 204;
}

// A mepsim extension, outside /v1: the variables whose value the running containers do
// not have yet, because the app was not restarted or redeployed since (rule R9). The
// real platform cannot tell; a rehearsal needs to.
void variables_not_in_effect(ApiContext& ctx, Exchange& ex) {
  auto names = ctx.platform.variables_not_in_effect(ex.param(1));
  if (!names) return reply_platform_error(ex, names.error(), "app");
  reply_json(ex, 200, {{"variables_not_in_effect", *names}});
}

}  // namespace

std::vector<Route> variable_routes() {
  const std::string base = std::string(kAppPattern) + "/variables";
  const std::string one = base + "/" + std::string(kIdPattern);
  return {
      {"GET", base, Access::bearer, list_variables},
      {"POST", base, Access::bearer, create_variable},
      {"PUT", base, Access::bearer, bulk_update},
      {"DELETE", base, Access::bearer, bulk_delete},
      {"PATCH", one, Access::bearer, update_variable},
      {"DELETE", one, Access::bearer, delete_variable},
      {"GET", "/_mepsim/apps/([^/]+)/variables_not_in_effect", Access::bearer,
       variables_not_in_effect},
  };
}

}  // namespace mepsim::fakes::scalingo
