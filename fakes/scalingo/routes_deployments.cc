// Deployments: list (newest first, paginated), one, its output (text), and a new one
// from `{"deployment":{"git_ref":…,"source_url":…}}` (201).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"
#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

void list_deployments(ApiContext& ctx, Exchange& ex) {
  const auto page = read_page(ex);
  if (!page) return;
  auto paged = ctx.platform.deployments(ex.param(1), *page);
  if (!paged) return reply_platform_error(ex, paged.error(), "app");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : paged->items) items.push_back(deployment_json(d, ctx.base_url));
  reply_json(
      ex, 200,
      {{"deployments", std::move(items)}, {"meta", {{"pagination", pagination_json(*paged)}}}});
}

// The app first, so that a 404 names the right resource.
std::optional<platform::Deployment> require_deployment(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return std::nullopt;
  auto d = ctx.platform.deployment(app->name, ex.param(2));
  if (!d) {
    reply_platform_error(ex, d.error(), "deployment");
    return std::nullopt;
  }
  return std::move(d).value();
}

void get_deployment(ApiContext& ctx, Exchange& ex) {
  const auto d = require_deployment(ctx, ex);
  if (!d) return;
  reply_json(ex, 200, {{"deployment", deployment_json(*d, ctx.base_url)}});
}

void get_deployment_output(ApiContext& ctx, Exchange& ex) {
  const auto d = require_deployment(ctx, ex);
  if (!d) return;
  reply_text(ex, 200, d->output);
}

void create_deployment(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto deployment = read_deployment(body, errors, ex.notes);
  if (!deployment) return reply_field_errors(ex, errors);
  auto d = ctx.platform.deploy(app.name, deployment->git_ref, deployment->source_url);
  if (!d) return reply_platform_error(ex, d.error(), "app");
  reply_json(ex, 201, {{"deployment", deployment_json(*d, ctx.base_url)}});
}

}  // namespace

std::vector<Route> deployment_routes() {
  const std::string base = std::string(kAppPattern) + "/deployments";
  const std::string one = base + "/" + std::string(kIdPattern);
  return {
      {"GET", base, Access::bearer, list_deployments},
      {"POST", base, Access::bearer, create_deployment},
      {"GET", one, Access::bearer, get_deployment},
      {"GET", one + "/output", Access::bearer, get_deployment_output},
  };
}

}  // namespace mepsim::fakes::scalingo
