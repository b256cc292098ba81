// Apps and their events: `GET /v1/apps`, `GET /v1/apps/{name|id}`,
// `GET /v1/apps/{app}/events` (newest first, paginated).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"

namespace mepsim::fakes::scalingo {
namespace {

void list_apps(ApiContext& ctx, Exchange& ex) {
  nlohmann::json apps = nlohmann::json::array();
  for (const auto& app : ctx.platform.apps()) apps.push_back(app_json(app, ctx.base_url));
  reply_json(ex, 200, {{"apps", std::move(apps)}});
}

void get_app(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  reply_json(ex, 200, {{"app", app_json(*app, ctx.base_url)}});
}

void list_events(ApiContext& ctx, Exchange& ex) {
  const auto page = read_page(ex);
  if (!page) return;
  auto events = ctx.platform.events(ex.param(1), *page);
  if (!events) return reply_platform_error(ex, events.error(), "app");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : events->items) items.push_back(event_json(e));
  reply_json(ex, 200,
             {{"events", std::move(items)}, {"meta", {{"pagination", pagination_json(*events)}}}});
}

}  // namespace

std::vector<Route> app_routes() {
  const std::string app(kAppPattern);
  return {
      {"GET", "/v1/apps", Access::bearer, list_apps},
      {"GET", app, Access::bearer, get_app},
      {"GET", app + "/events", Access::bearer, list_events},
  };
}

}  // namespace mepsim::fakes::scalingo
