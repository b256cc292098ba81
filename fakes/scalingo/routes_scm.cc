// The app's link to its GitHub repository (`…/scm_repo_link`: GET, POST 201, PATCH,
// DELETE 204), a manual deploy of a branch, the open pull requests (always none here:
// the integration reads them from GitHub) and the review apps; and the endpoint GitHub
// delivers the linked repository's webhooks to (github_integration.h).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/github_integration.h"
#include "fakes/scalingo/json_views.h"

namespace mepsim::fakes::scalingo {
namespace {

void get_link(ApiContext& ctx, Exchange& ex) {
  const auto app = require_app(ctx, ex);
  if (!app) return;
  auto link = ctx.platform.scm_link(app->name);
  if (!link) return reply_platform_error(ex, link.error(), "scm_repo_link");
  reply_json(ex, 200, {{"scm_repo_link", scm_link_json(*link, *app)}});
}

// The settings both POST and PATCH take, type-checked, as a JSON object of what was given.
nlohmann::json read_settings(JsonObjectReader& reader) {
  nlohmann::json settings = nlohmann::json::object();
  if (auto v = reader.string("branch", Presence::optional)) settings["branch"] = *v;
  for (const char* flag :
       {"auto_deploy_enabled", "deploy_review_apps_enabled", "delete_on_close_enabled"}) {
    if (auto v = reader.boolean(flag, Presence::optional)) settings[flag] = *v;
  }
  if (auto v = reader.integer("hours_before_delete_on_close", Presence::optional)) {
    settings["hours_before_delete_on_close"] = *v;
  }
  return settings;
}

void ignore_unmodelled(JsonObjectReader& reader, std::vector<std::string>& notes) {
  for (const char* key : {"delete_stale_enabled", "hours_before_delete_stale",
                          "automatic_creation_from_forks_allowed", "auth_integration_uuid"}) {
    reader.ignore(key, notes);
  }
}

// "https://github.com/MTES-MCT/histologe(.git)" → owner and repo; false otherwise.
bool parse_github_source(const std::string& source, platform::ScmLink& link) {
  constexpr std::string_view kPrefix = "https://github.com/";
  if (!source.starts_with(kPrefix)) return false;
  std::string rest = source.substr(kPrefix.size());
  if (rest.ends_with(".git")) rest.resize(rest.size() - 4);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  link.owner = rest.substr(0, slash);
  link.repo = rest.substr(slash + 1);
  return true;
}

// The body's `scm_repo_link` object, or nullptr after recording why not.
const nlohmann::json* link_fields(const nlohmann::json& body, FieldErrors& errors,
                                  std::vector<std::string>& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("scm_repo_link", Presence::required);
  root.note_unknown(notes);
  return fields;
}

void create_link(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto* fields = link_fields(body, errors, ex.notes);
  if (fields == nullptr) return reply_field_errors(ex, errors);
  JsonObjectReader reader(*fields, "scm_repo_link", errors);
  const auto source = reader.string("source", Presence::required);
  const auto settings = read_settings(reader);
  ignore_unmodelled(reader, ex.notes);
  reader.note_unknown(ex.notes);
  platform::ScmLink link;
  if (source && !parse_github_source(*source, link)) {
    errors.add("source", "must be a https://github.com/OWNER/REPO URL");
  }
  if (!errors.empty()) return reply_field_errors(ex, errors);
  link.branch = settings.value("branch", "");  // "": the platform's default branch
  link.auto_deploy_enabled = settings.value("auto_deploy_enabled", false);
  link.deploy_review_apps_enabled = settings.value("deploy_review_apps_enabled", false);
  link.delete_on_close_enabled = settings.value("delete_on_close_enabled", true);
  link.hours_before_delete_on_close = settings.value("hours_before_delete_on_close", 0);
  auto created = ctx.platform.link_scm(app.name, link);
  if (!created) return reply_platform_error(ex, created.error(), "app");
  reply_json(ex, 201, {{"scm_repo_link", scm_link_json(*created, app)}});
}

void update_link(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto* fields = link_fields(body, errors, ex.notes);
  if (fields == nullptr) return reply_field_errors(ex, errors);
  JsonObjectReader reader(*fields, "scm_repo_link", errors);
  const auto changes = read_settings(reader);
  ignore_unmodelled(reader, ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_field_errors(ex, errors);
  auto updated = ctx.platform.update_scm_link(app.name, changes);
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
  JsonObjectReader reader(body, "", errors);
  const auto branch = reader.string("branch", Presence::required);
  reader.note_unknown(ex.notes);
  if (branch && branch->empty()) errors.add("branch", "can't be blank");
  if (!errors.empty()) return reply_field_errors(ex, errors);
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
