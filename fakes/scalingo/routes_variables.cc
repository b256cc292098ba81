// Environment variables: list, create one (201), bulk update (PUT, creating what is
// missing), update one (PATCH {"variable":{"value"}}), delete one, bulk delete
// (DELETE {"variable_ids":[…]}). Values are the app's secrets: they appear in answers,
// as in the real API, but never in the journal or in an error message.

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"
#include "fakes/scalingo/request_body.h"

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

void create_variable(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto input = read_variable_create(body, errors, ex.notes);
  if (!input) return reply_field_errors(ex, errors);
  auto created = ctx.platform.create_variable(app.name, *input);
  if (!created) return reply_platform_error(ex, created.error(), "app");
  reply_json(ex, 201, {{"variable", variable_json(*created)}});
}

void bulk_update(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto inputs = read_variables_bulk_update(body, errors, ex.notes);
  if (!inputs) return reply_field_errors(ex, errors);
  auto updated = ctx.platform.bulk_update_variables(app.name, *inputs);
  if (!updated) return reply_platform_error(ex, updated.error(), "app");
  reply_json(ex, 200, {{"variables", variables_json(*updated)}});
}

void update_variable(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto value = read_variable_update(body, errors, ex.notes);
  if (!value) return reply_field_errors(ex, errors);
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
  const auto ids = read_variable_ids(body, errors, ex.notes);
  if (!ids) return reply_field_errors(ex, errors);
  auto deleted = ctx.platform.bulk_delete_variables(app.name, *ids);
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
