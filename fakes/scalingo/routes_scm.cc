// The app's link to its GitHub repository (`…/scm_repo_link`: GET, POST 201, PATCH,
// DELETE 204), a manual deploy of a branch, the open pull requests (always none here:
// the integration reads them from GitHub) and the review apps; and the endpoint GitHub
// delivers the linked repository's webhooks to (github_integration.h).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/github_integration.h"
#include "fakes/scalingo/json_views.h"
#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

void get_link(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto link = ctx.platform.scm_link(app->name);
  if (!link) return reply_platform_error(ex, link.error(), "scm_repo_link");
  reply_json(ex, 200, {{"scm_repo_link", scm_link_json(*link, *app)}});
}

void create_link(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto link = read_scm_link_create(body, errors, ex.notes);
  if (!link) return reply_field_errors(ex, errors);
  auto created = ctx.platform.link_scm(app.name, *link);
  if (!created) return reply_platform_error(ex, created.error(), "app");
  reply_json(ex, 201, {{"scm_repo_link", scm_link_json(*created, app)}});
}

void update_link(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto changes = read_scm_link_update(body, errors, ex.notes);
  if (!changes) return reply_field_errors(ex, errors);
  auto updated = ctx.platform.update_scm_link(app.name, *changes);
  if (!updated) return reply_platform_error(ex, updated.error(), "scm_repo_link");
  reply_json(ex, 200, {{"scm_repo_link", scm_link_json(*updated, app)}});
}

void delete_link(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto unlinked = ctx.platform.unlink_scm(app->name);
  if (!unlinked) return reply_platform_error(ex, unlinked.error(), "scm_repo_link");
  ex.res.status = 204;
}

void manual_deploy(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto branch = read_manual_deploy(body, errors, ex.notes);
  if (!branch) return reply_field_errors(ex, errors);
  auto d = ctx.platform.manual_deploy(app.name, *branch);
  if (!d) return reply_platform_error(ex, d.error(), "scm_repo_link");
  reply_json(ex, 200, {{"deployment", deployment_json(*d, ctx.base_url)}});
}

void list_pulls(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  reply_json(ex, 200, {{"pulls", nlohmann::json::array()}});
}

void list_review_apps(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto children = ctx.platform.review_apps(app->name);
  if (!children) return reply_platform_error(ex, children.error(), "app");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& child : *children) items.push_back(review_app_json(child, *app, ctx.base_url));
  reply_json(ex, 200, {{"review_apps", std::move(items)}});
}

// GitHub's deliveries: signed with the hook's secret, not with a bearer.
void github_hook(ApiContext& ctx, Exchange& ex) {
  GithubIntegration* integration = ctx.github_integration;
  if (integration == nullptr) {
    ex.notes.push_back("no GitHub integration linked");
    return reply_not_found(ex, "hook");
  }
  const std::string event = ex.req.get_header_value("X-GitHub-Event");
  ex.notes.push_back("event " + event);
  const auto answer =
      integration->receive(event, ex.req.get_header_value("X-Hub-Signature-256"), ex.req.body);
  ex.res.status = answer.status;
  ex.res.set_content(answer.body, "application/json; charset=utf-8");
}

}  // namespace

std::vector<Route> scm_routes() {
  const std::string link = std::string(kAppPattern) + "/scm_repo_link";
  return {
      {"GET", link, Access::bearer, get_link},
      {"POST", link, Access::bearer, create_link},
      {"PATCH", link, Access::bearer, update_link},
      {"DELETE", link, Access::bearer, delete_link},
      {"POST", link + "/manual_deploy", Access::bearer, manual_deploy},
      {"GET", link + "/pulls", Access::bearer, list_pulls},
      {"GET", link + "/review_apps", Access::bearer, list_review_apps},
      {"POST", "/hooks/github", Access::open, github_hook},
  };
}

}  // namespace mepsim::fakes::scalingo
