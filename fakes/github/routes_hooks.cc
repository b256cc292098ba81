// Repository webhooks: create (then a `ping`), list, get, update, delete, ping again.
// A hook's secret is kept to sign deliveries and never shown again ("********").

#include <algorithm>

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

// The events GitHub's hooks may name that this fake can send (others are accepted and
// never fire, as a real repository's quiet events).
std::optional<std::vector<std::string>> read_events(const json* events, FieldErrors& errors) {
  if (events == nullptr) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& item : *events) {
    if (!item.is_string()) {
      errors.add("events", "is not an array of strings");
      return std::nullopt;
    }
    names.push_back(item.get<std::string>());
  }
  return names;
}

// The hook's config from `config`, or false after answering 422.
bool read_config(FakeExchange& ex, const json& config, Hook& hook, bool create) {
  FieldErrors errors;
  JsonObjectReader reader(config, "config", errors);
  const auto url = reader.string("url", create ? Presence::required : Presence::optional);
  const auto content_type = reader.string("content_type", Presence::optional);
  const auto secret = reader.string("secret", Presence::optional);
  reader.ignore("insecure_ssl", ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) {
    reply_invalid_fields(ex, errors);
    return false;
  }
  if (url) {
    if (!parse_http_url(*url)) {
      reply_validation(ex, "Hook", "url", "custom", "url is not a http:// URL this fake can reach");
      return false;
    }
    hook.url = *url;
  }
  if (content_type) {
    if (*content_type != "json" && *content_type != "form") {
      reply_validation(ex, "Hook", "content_type", "invalid");
      return false;
    }
    hook.content_type = *content_type;
  }
  if (secret) hook.secret = *secret;
  return true;
}

void create_hook(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto name = reader.string("name", Presence::optional);
  const auto* config = reader.object("config", Presence::required);
  const auto events = read_events(reader.array("events", Presence::optional), errors);
  const auto active = reader.boolean("active", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (name && *name != "web") return reply_validation(ex, "Hook", "name", "invalid");
  Hook hook;
  hook.content_type = "form";  // GitHub's default for a hook made through the API
  if (!read_config(ex, *config, hook, true)) return;
  hook.events = events.value_or(std::vector<std::string>{"push"});
  hook.active = active.value_or(true);
  Txn txn(ctx);
  for (const auto& [id, other] : txn.model.hooks) {
    if (other.url == hook.url) {
      return reply_validation(ex, "Hook", "", "custom", "Hook already exists on this repository");
    }
  }
  if (txn.model.hooks.size() >= ctx.options.hooks_max) {
    return reply_validation(ex, "Hook", "", "custom", "Too many hooks on this repository");
  }
  hook.id = ctx.next_id(txn);
  hook.created_at = hook.updated_at = ctx.now();
  const auto& stored = txn.model.hooks[hook.id] = hook;
  ctx.publish(txn, "github", "github.hook.created",
              {{"id", std::to_string(hook.id)}, {"events", json(hook.events).dump()}});
  ctx.deliver_to_hook(
      txn, stored, "ping",
      {{"zen", "Design for failure."}, {"hook_id", stored.id}, {"hook", hook_json(ctx, stored)}});
  reply_json(ex, 201, hook_json(ctx, stored));
}

Hook* find_hook(Txn& txn, FakeExchange& ex) {
  const auto id = path_number(ex, 3);
  if (!id) return nullptr;
  const auto it = txn.model.hooks.find(static_cast<std::uint64_t>(*id));
  if (it != txn.model.hooks.end()) return &it->second;
  reply_message(ex, 404, "Not Found");
  return nullptr;
}

void list_hooks(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  std::vector<json> items;
  Txn txn(ctx);
  for (const auto& [id, hook] : txn.model.hooks) items.push_back(hook_json(ctx, hook));
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

void get_hook(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  Txn txn(ctx);
  if (auto* hook = find_hook(txn, ex)) reply_json(ex, 200, hook_json(ctx, *hook));
}

void update_hook(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto* config = reader.object("config", Presence::optional);
  const auto events = read_events(reader.array("events", Presence::optional), errors);
  const auto active = reader.boolean("active", Presence::optional);
  for (const char* key : {"add_events", "remove_events"}) reader.ignore(key, ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  auto* hook = find_hook(txn, ex);
  if (hook == nullptr) return;
  Hook changed = *hook;
  if (config != nullptr && !read_config(ex, *config, changed, false)) return;
  if (events) changed.events = *events;
  if (active) changed.active = *active;
  changed.updated_at = ctx.now();
  *hook = changed;
  reply_json(ex, 200, hook_json(ctx, *hook));
}

void delete_hook(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  Txn txn(ctx);
  auto* hook = find_hook(txn, ex);
  if (hook == nullptr) return;
  ctx.publish(txn, "github", "github.hook.deleted", {{"id", std::to_string(hook->id)}});
  txn.model.hooks.erase(hook->id);
  ex.res.status = 204;
}

void ping_hook(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  Txn txn(ctx);
  auto* hook = find_hook(txn, ex);
  if (hook == nullptr) return;
  ctx.deliver_to_hook(
      txn, *hook, "ping",
      {{"zen", "Design for failure."}, {"hook_id", hook->id}, {"hook", hook_json(ctx, *hook)}});
  ex.res.status = 204;
}

}  // namespace

std::vector<GitHubRoute> hook_routes() {
  const std::string hooks = std::string(kRepoPattern) + "/hooks";
  return {
      {"POST", hooks, "repos.createWebhook", Access::token, create_hook},
      {"GET", hooks, "repos.listWebhooks", Access::token, list_hooks},
      {"GET", hooks + "/([^/]+)", "repos.getWebhook", Access::token, get_hook},
      {"PATCH", hooks + "/([^/]+)", "repos.updateWebhook", Access::token, update_hook},
      {"DELETE", hooks + "/([^/]+)", "repos.deleteWebhook", Access::token, delete_hook},
      {"POST", hooks + "/([^/]+)/pings", "repos.pingWebhook", Access::token, ping_hook},
  };
}

}  // namespace mepsim::fakes::github
