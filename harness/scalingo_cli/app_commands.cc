#include "harness/scalingo_cli/app_commands.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/api_time.h"
#include "harness/scalingo_cli/json_fields.h"
#include "harness/scalingo_cli/table.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

// The real CLI's utils.Success / utils.Error marks.
constexpr const char* kEnabled = "✔";
constexpr const char* kDisabled = "✘";

const char* mark(bool enabled) {
  return enabled ? kEnabled : kDisabled;
}

// go-scalingo's SCMTypeDisplay.
std::string scm_display(const std::string& type) {
  static const std::map<std::string, std::string> kNames = {
      {"github", "GitHub"},
      {"github-enterprise", "GitHub Enterprise"},
      {"gitlab", "GitLab"},
      {"gitlab-self-hosted", "GitLab Self-Hosted"}};
  const auto it = kNames.find(type);
  return it == kNames.end() ? type : it->second;
}

// The email of the token's user, or "" when the auth server does not say.
std::string self_email(CommandContext& context) {
  auto self = context.api.call(ApiRequest{
      HttpMethod::get, context.api.auth_url("/users/self"), {}, Credentials::bearer, {}});
  if (!self) return {};
  auto body = decode_json(self.value(), "GET /users/self");
  if (!body) return {};
  return string_field(member(body.value(), "user"), "email");
}

std::string project_slug(const json& app) {
  const std::string project = string_field(member(app, "project"), "name");
  if (project.empty()) return {};
  return string_field(member(app, "owner"), "username") + "/" + project;
}

std::string hours_or_instantly(const std::optional<std::int64_t>& hours) {
  return hours.value_or(0) == 0 ? "instantly" : fmt::format("{}h", *hours);
}

}  // namespace

int run_apps(CommandContext& context) {
  auto body = context.api.call_json(HttpMethod::get, "/apps");
  if (!body) return context.fail(body.error());
  const json& apps = array_field(body.value(), "apps");
  if (apps.empty()) {
    context.console.print(
        "  \n  You haven't created any app yet, create your first application using:\n"
        "  → scalingo create <app_name>\n  \n");
    return kExitOk;
  }
  const std::string email = self_email(context);
  std::vector<TableRow> rows;
  for (const auto& app : apps) {
    const std::string owner = string_field(member(app, "owner"), "email");
    const std::string role = email.empty() ? "n/a" : owner == email ? "owner" : "collaborator";
    rows.push_back(
        {string_field(app, "name"), role, string_field(app, "status"), project_slug(app)});
  }
  context.console.print("{}", render_table({"Name", "Role", "Status", "Project"}, rows));
  return kExitOk;
}

int run_review_apps(CommandContext& context) {
  auto body =
      context.api.call_json(HttpMethod::get, context.app_path("/scm_repo_link/review_apps"));
  if (!body) return context.fail(body.error().context("fail to get review apps for this app"));
  const json& review_apps = array_field(body.value(), "review_apps");
  if (review_apps.empty()) {
    context.console.status("No review app for '" + context.app +
                           "' or specified app is not a parent app.");
    return kExitOk;
  }
  std::vector<TableRow> rows;
  for (const auto& review_app : review_apps) {
    // The URL is the review app's own: one more request per row, as the real CLI does.
    auto app = context.api.call_json(HttpMethod::get,
                                     "/apps/" + percent_encode(string_field(review_app, "app_id")));
    if (!app) return context.fail(app.error().context("fail to get app from review app"));
    const json& pull_request = member(review_app, "pull_request");
    rows.push_back({string_field(review_app, "app_name"),
                    std::to_string(int_field(pull_request, "number").value_or(0)),
                    string_field(pull_request, "branch_name"),
                    format_cli_time(string_field(review_app, "created_at")),
                    string_field(member(review_app, "last_deployment"), "status"),
                    string_field(member(app.value(), "app"), "url")});
  }
  context.console.print(
      "{}", render_table({"App", "PR", "PR Branch", "Created At", "Status", "URL"}, rows));
  return kExitOk;
}

int run_integration_link(CommandContext& context) {
  auto body = context.api.call_json(HttpMethod::get, context.app_path("/scm_repo_link"));
  if (!body && body.error().code == ErrorCode::not_found) {
    context.console.status("Your app '" + context.app + "' has no integration link.");
    return kExitOk;
  }
  if (!body) return context.fail(body.error().context("fail to get integration link for this app"));
  const json& link = member(body.value(), "scm_repo_link");
  const bool auto_deploy = bool_field(link, "auto_deploy_enabled");
  const bool review_apps = bool_field(link, "deploy_review_apps_enabled");
  auto& c = context.console;
  c.print("Application: {} ({})\n", context.app, string_field(link, "app_id"));
  c.print("Integration: {} ({})\n", scm_display(string_field(link, "scm_type")),
          string_field(link, "auth_integration_uuid"));
  c.print("Linker: {}\n\n", string_field(member(link, "linker"), "username"));
  c.print("Repository: {}/{}\n", string_field(link, "owner"), string_field(link, "repo"));
  c.print("Automatic deployment: {}{}\n", mark(auto_deploy),
          auto_deploy ? ", " + string_field(link, "branch") : "");
  c.print("Automatic deployment of review apps: {}\n", mark(review_apps));
  if (review_apps) {
    const bool on_close = bool_field(link, "delete_on_close_enabled");
    const bool on_stale = bool_field(link, "delete_stale_enabled");
    c.print("\tAllow creation from forks: {}\n",
            mark(bool_field(link, "automatic_creation_from_forks_allowed")));
    c.print(
        "\tAutomatic destroy on close: {}{}\n", mark(on_close),
        on_close ? ", " + hours_or_instantly(int_field(link, "hours_before_delete_on_close")) : "");
    c.print(
        "\tAutomatic destroy on stale: {}{}\n", mark(on_stale),
        on_stale ? ", " + hours_or_instantly(int_field(link, "hours_before_delete_stale")) : "");
  }
  return kExitOk;
}

}  // namespace mepsim::scalingo_cli
