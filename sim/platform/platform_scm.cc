// The SCM repo link (Scalingo's GitHub integration) and review apps `<parent>-pr<N>`.

#include <fmt/format.h>

#include <algorithm>

#include "sim/platform/platform.h"
#include "sim/platform/platform_state.h"

namespace mepsim::platform {

Result<ScmLink> Platform::scm_link(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  if (!app.value()->app.scm_link)
    return make_error(ErrorCode::not_found, "scm_repo_link not found");
  return *app.value()->app.scm_link;
}

Result<ScmLink> Platform::link_scm(const std::string& name, const ScmLink& link) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  if (app.value()->app.scm_link) {
    return make_error(ErrorCode::invalid_input, "app: is already linked to a repository");
  }
  if (link.owner.empty() || link.repo.empty()) {
    return make_error(ErrorCode::invalid_input, "source: owner and repository are required");
  }
  ScmLink created = link;
  created.id = new_id("scm_link");
  created.created_at = clock_.now();
  if (created.branch.empty()) created.branch = "master";
  app.value()->app.scm_link = created;
  publish("scm.linked", {{"app", name}, {"repo", link.owner + "/" + link.repo}});
  changed_.notify_all();
  return created;
}

Result<ScmLink> Platform::update_scm_link(const std::string& name, const nlohmann::json& changes) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  auto& link = app.value()->app.scm_link;
  if (!link) return make_error(ErrorCode::not_found, "scm_repo_link not found");
  if (!changes.is_object())
    return make_error(ErrorCode::invalid_input, "scm_repo_link: must be an object");
  ScmLink updated = *link;
  for (const auto& [key, value] : changes.items()) {
    const auto wrong = [&](const char* type) {
      return make_error(ErrorCode::invalid_input, key + ": must be " + type);
    };
    if (key == "branch") {
      if (!value.is_string()) return wrong("a string");
      updated.branch = value.get<std::string>();
    } else if (key == "auto_deploy_enabled" || key == "deploy_review_apps_enabled" ||
               key == "delete_on_close_enabled") {
      if (!value.is_boolean()) return wrong("a boolean");
      bool& target = key == "auto_deploy_enabled"          ? updated.auto_deploy_enabled
                     : key == "deploy_review_apps_enabled" ? updated.deploy_review_apps_enabled
                                                           : updated.delete_on_close_enabled;
      target = value.get<bool>();
    } else if (key == "hours_before_delete_on_close") {
      if (!value.is_number_integer()) return wrong("an integer");
      updated.hours_before_delete_on_close = value.get<int>();
    }
    // Other keys are the API fake's to note; the model ignores them.
  }
  link = updated;
  publish("scm.updated", {{"app", name},
                          {"branch", updated.branch},
                          {"auto_deploy", updated.auto_deploy_enabled ? "true" : "false"}});
  changed_.notify_all();
  return updated;
}

Result<void> Platform::unlink_scm(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  if (!app.value()->app.scm_link)
    return make_error(ErrorCode::not_found, "scm_repo_link not found");
  app.value()->app.scm_link.reset();
  publish("scm.unlinked", {{"app", name}});
  changed_.notify_all();
  return {};
}

Result<Deployment> Platform::manual_deploy(const std::string& name, const std::string& branch) {
  {
    std::lock_guard lock(mutex_);
    auto app = require(name);
    if (!app) return app.error();
    if (!app.value()->app.scm_link)
      return make_error(ErrorCode::not_found, "scm_repo_link not found");
    if (branch.empty()) return make_error(ErrorCode::invalid_input, "branch: can't be blank");
  }
  return deploy(name, branch, "");
}

Result<App> Platform::create_review_app(const std::string& parent_name, int pull_request_number,
                                        const std::string& git_ref) {
  std::lock_guard lock(mutex_);
  auto parent = require(parent_name);
  if (!parent) return parent.error();
  if (pull_request_number <= 0) {
    return make_error(ErrorCode::invalid_input, "pull_request_id: must be a positive number");
  }
  const std::string name = fmt::format("{}-pr{}", parent.value()->app.name, pull_request_number);
  if (find(name) != nullptr)
    return make_error(ErrorCode::invalid_input, "name: " + name + " exists");
  AppProfile profile;
  profile.name = name;
  for (auto type : parent.value()->app.formation) {
    type.amount = std::min(type.amount, 1);  // a review app runs one container per type
    profile.formation.push_back(type);
  }
  profile.variables = env_of(*parent.value());
  AppState& review = add_app(profile, parent.value()->app.name, pull_request_number);
  if (hooks_.created) {
    auto provided = hooks_.created(review.app);
    if (!provided) {
      std::erase_if(apps_, [&](const auto& a) { return a.get() == &review; });
      publish("app.destroyed", {{"app", name}});
      return provided.error().context("providing " + name);
    }
    for (const auto& [key, value] : provided.value()) {
      const auto same = [&](const Variable& v) { return v.name == key; };
      auto found = std::find_if(review.variables.begin(), review.variables.end(), same);
      if (found != review.variables.end()) {
        found->value = value;
      } else {
        review.variables.push_back({new_id("variable"), key, value});
      }
    }
  }
  record_event(*parent.value(), "create_review_app",
               {{"review_app_name", name}, {"pull_request", {{"number", pull_request_number}}}});
  auto d = deploy(name, git_ref, "");
  if (!d) return d.error();
  return review.app;
}

Result<void> Platform::set_app_url(const std::string& name, const std::string& url) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  app.value()->app.url = url;
  changed_.notify_all();
  return {};
}

Result<void> Platform::destroy_review_app(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto app = require(name);
  if (!app) return app.error();
  AppState* review = app.value();
  if (review->app.parent_app_name.empty()) {
    return make_error(ErrorCode::invalid_input, "app: " + name + " is not a review app");
  }
  std::vector<std::string> ids;
  for (const auto& c : review->containers) ids.push_back(c.id);
  stop_containers(*review, ids);
  if (AppState* parent = find(review->app.parent_app_name)) {
    record_event(*parent, "destroy_review_app",
                 {{"review_app_name", name},
                  {"pull_request", {{"number", review->app.pull_request_number}}}});
  }
  const App gone = review->app;
  std::erase_if(apps_, [&](const auto& a) { return a.get() == review; });
  publish("app.destroyed", {{"app", name}});
  if (hooks_.destroyed) hooks_.destroyed(gone);
  changed_.notify_all();
  return {};
}

Result<std::vector<App>> Platform::review_apps(const std::string& parent_name) const {
  std::lock_guard lock(mutex_);
  auto parent = require(parent_name);
  if (!parent) return parent.error();
  std::vector<App> out;
  for (const auto& a : apps_) {
    if (a->app.parent_app_name == parent.value()->app.name) out.push_back(a->app);
  }
  return out;
}

}  // namespace mepsim::platform
