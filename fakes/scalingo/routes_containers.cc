// The formation and what runs: `GET …/containers` (formation), `GET …/ps` (running
// containers), `POST …/scale` and `POST …/restart` (202 + the operation's absolute URL in
// Location, which the npm client follows as is), `GET …/operations/{id}`.
//
// Every handler reads the body first (bad JSON is 400 before anything else, as in the
// real Rails API), then finds the app (404), then checks the fields (422).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"
#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

void get_formation(ApiContext& ctx, Exchange& ex) {
  auto formation = ctx.platform.formation(ex.param(1));
  if (!formation) return reply_platform_error(ex, formation.error(), "app");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : *formation) items.push_back(process_type_json(p));
  reply_json(ex, 200, {{"containers", std::move(items)}});
}

void list_running(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto containers = ctx.platform.containers(app->name);
  if (!containers) return reply_platform_error(ex, containers.error(), "app");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : *containers) items.push_back(container_json(c, app->id));
  reply_json(ex, 200, {{"containers", std::move(items)}});
}

void accepted(ApiContext& ctx, Exchange& ex, const platform::Operation& op) {
  ex.res.status = 202;
  ex.res.set_header("Location", ctx.operation_url(op.app_name, op.id));
}

void scale(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto entries = read_scale(body, errors, ex.notes);
  if (!entries) return reply_field_errors(ex, errors);
  std::vector<platform::ProcessType> changes;
  for (const auto& entry : *entries) changes.push_back(scaled(entry, app.formation));
  auto op = ctx.platform.scale(app.name, changes);
  if (!op) return reply_platform_error(ex, op.error(), "app");
  accepted(ctx, ex, *op);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : changes) out.push_back(process_type_json(p));
  reply_json(ex, 202, {{"containers", std::move(out)}});
}

void restart(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto scope = read_restart_scope(body, errors, ex.notes);
  if (!scope) return reply_field_errors(ex, errors);
  auto op = ctx.platform.restart(app.name, *scope);
  if (!op) return reply_platform_error(ex, op.error(), "app");
  // The real API answers 202 with an empty body: the npm client reads only Location.
  accepted(ctx, ex, *op);
}

void get_operation(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  const std::string id = ex.param(2);
  auto op = ctx.platform.operation(app->name, id);
  if (op) return reply_json(ex, 200, {{"operation", operation_json(*op)}});
  if (op.error().code != ErrorCode::not_found) {
    return reply_platform_error(ex, op.error(), "operation");
  }
  // A one-off's operation_url points here too: pending while it boots, then done with
  // the attach_url, as the real one-off operations are.
  auto run = ctx.platform.one_off(id);
  if (!run || run->app_name != app->name) return reply_not_found(ex, "operation");
  reply_json(ex, 200, {{"operation", one_off_operation_json(*run, ctx.attach_url(run->id))}});
}

}  // namespace

std::vector<Route> container_routes() {
  const std::string app(kAppPattern);
  return {
      {"GET", app + "/containers", Access::bearer, get_formation},
      {"GET", app + "/ps", Access::bearer, list_running},
      {"POST", app + "/scale", Access::bearer, scale},
      {"POST", app + "/restart", Access::bearer, restart},
      {"GET", app + "/operations/" + std::string(kIdPattern), Access::bearer, get_operation},
  };
}

}  // namespace mepsim::fakes::scalingo
