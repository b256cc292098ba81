#include "fakes/scalingo/json_views.h"

#include <chrono>

namespace mepsim::fakes::scalingo {

using nlohmann::json;

namespace {

json string_or_null(const std::string& s) {
  return s.empty() ? json() : json(s);
}

// Memory per container size, in bytes, as `container_size.memory` reports it.
std::int64_t memory_bytes(const std::string& size) {
  constexpr std::int64_t kMiB = 1024 * 1024;
  if (size == "XS") return 128 * kMiB;
  if (size == "S") return 256 * kMiB;
  if (size == "L") return 1024 * kMiB;
  if (size == "XL") return 2048 * kMiB;
  if (size == "2XL") return 4096 * kMiB;
  return 512 * kMiB;  // "M", the default
}

json container_size_json(const std::string& size) {
  return {{"name", size}, {"human_name", size}, {"memory", memory_bytes(size)}};
}

}  // namespace

json time_json(const std::optional<Instant>& t) {
  return t ? json(format_iso8601(*t)) : json();
}

json user_json(const platform::User& u) {
  return {{"id", u.id}, {"username", u.username}, {"email", u.email}};
}

json app_json(const platform::App& app, const std::string& base_url) {
  const Instant updated = app.last_deployed_at.value_or(app.created_at);
  return {
      {"id", app.id},
      {"name", app.name},
      {"region", app.region},
      {"created_at", format_iso8601(app.created_at)},
      {"updated_at", format_iso8601(updated)},
      {"git_url", app.git_url},
      {"url", app.url},
      {"base_url", app.url},
      {"owner", user_json(app.owner)},
      {"status", platform::to_string(app.status)},
      {"last_deployed_at", time_json(app.last_deployed_at)},
      {"last_deployed_by", app.last_deployed_at ? json(app.owner.username) : json()},
      {"last_deployment_id", string_or_null(app.last_deployment_id)},
      {"parent_app_name", string_or_null(app.parent_app_name)},
      {"force_https", false},
      {"sticky_session", false},
      {"router_logs", false},
      {"hds_resource", false},
      {"flags", json::object()},
      {"limits", json::object()},
      // The fake serves no deployment websocket: clients that open it get a 404.
      {"links",
       {{"deployments_stream", "ws" + base_url.substr(4) + "/deployments-stream/" + app.name}}},
  };
}

json deployment_json(const platform::Deployment& d, const std::string& base_url) {
  json duration;  // seconds, once finished
  if (d.finished_at) {
    duration = std::chrono::floor<std::chrono::seconds>(*d.finished_at - d.created_at).count();
  }
  return {
      {"id", d.id},
      {"app_id", d.app_id},
      {"created_at", format_iso8601(d.created_at)},
      {"finished_at", time_json(d.finished_at)},
      {"status", platform::to_string(d.status)},
      {"git_ref", d.git_ref},
      {"source_url", d.source_url},
      {"pusher", user_json(d.pusher)},
      {"duration", duration},
      {"image_size", 0},
      {"stack_base_image", "scalingo-22"},
      {"links",
       {{"output", base_url + "/v1/apps/" + d.app_name + "/deployments/" + d.id + "/output"}}},
  };
}

json process_type_json(const platform::ProcessType& p) {
  return {{"name", p.name}, {"amount", p.amount}, {"size", p.size}};
}

json container_json(const platform::Container& c, const std::string& app_id) {
  return {
      {"id", c.id},           {"app_id", app_id},
      {"type", c.type},       {"type_index", c.index},
      {"label", c.label},     {"created_at", format_iso8601(c.started_at)},
      {"deleted_at", json()}, {"state", "running"},
      {"command", ""},        {"container_size", container_size_json(c.size)},
  };
}

json operation_json(const platform::Operation& op) {
  return {
      {"id", op.id},
      {"created_at", format_iso8601(op.created_at)},
      {"finished_at", time_json(op.finished_at)},
      {"status", platform::to_string(op.status)},
      {"type", op.type},
      {"error", op.error},
  };
}

json variable_json(const platform::Variable& v) {
  return {{"id", v.id}, {"name", v.name}, {"value", v.value}};
}

json scm_link_json(const platform::ScmLink& link, const platform::App& app) {
  return {
      {"id", link.id},
      {"app_id", app.id},
      {"scm_type", link.scm_type},
      {"url", "https://github.com/" + link.owner + "/" + link.repo},
      {"owner", link.owner},
      {"repo", link.repo},
      {"branch", link.branch},
      {"linker", user_json(app.owner)},
      {"created_at", format_iso8601(link.created_at)},
      {"updated_at", format_iso8601(link.created_at)},
      {"auto_deploy_enabled", link.auto_deploy_enabled},
      {"deploy_review_apps_enabled", link.deploy_review_apps_enabled},
      {"delete_on_close_enabled", link.delete_on_close_enabled},
      {"hours_before_delete_on_close", link.hours_before_delete_on_close},
      {"delete_stale_enabled", false},
      {"hours_before_delete_stale", 0},
      {"automatic_creation_from_forks_allowed", false},
  };
}

json event_json(const platform::AppEvent& e) {
  return {
      {"id", e.id},
      {"created_at", format_iso8601(e.created_at)},
      {"user", user_json(e.user)},
      {"app_id", e.app_id},
      {"app_name", e.app_name},
      {"type", e.type},
      {"type_data", e.type_data.is_null() ? json::object() : e.type_data},
  };
}

json review_app_json(const platform::App& review_app, const platform::App& parent,
                     const std::string& base_url) {
  return {
      {"id", review_app.id},
      {"app_id", review_app.id},
      {"app_name", review_app.name},
      {"parent_app_id", parent.id},
      {"parent_app_name", parent.name},
      {"repo_link_id", parent.scm_link ? json(parent.scm_link->id) : json()},
      {"created_at", format_iso8601(review_app.created_at)},
      {"pull_request", {{"number", review_app.pull_request_number}}},
      {"app", app_json(review_app, base_url)},
  };
}

json one_off_json(const platform::OneOff& run, const std::string& attach_url) {
  return {
      {"id", run.id},
      {"type", "one-off"},
      {"type_index", 0},
      {"label", "one-off"},
      {"command", run.command},
      {"created_at", format_iso8601(run.created_at)},
      {"deleted_at", time_json(run.finished_at)},
      {"state", platform::to_string(run.state)},
      {"detached", run.detached},
      {"container_size", container_size_json(run.size)},
      {"attach_url", attach_url},
  };
}

json one_off_operation_json(const platform::OneOff& run, const std::string& attach_url) {
  const bool booted = run.state != platform::OneOffState::booting;
  json op = {
      {"id", run.id},
      {"created_at", format_iso8601(run.created_at)},
      {"finished_at", time_json(run.finished_at)},
      {"status", booted ? "done" : "pending"},
      {"type", "start-one-off"},
      {"error", ""},
  };
  if (booted) {
    // Where the current CLI reads it, and where the documentation says it is.
    op["start_one_off_data"] = {{"attach_url", attach_url}, {"container_id", run.id}};
    op["attach_url"] = attach_url;
  }
  return op;
}

}  // namespace mepsim::fakes::scalingo
