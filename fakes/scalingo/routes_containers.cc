// The formation and what runs: `GET …/containers` (formation), `GET …/ps` (running
// containers), `POST …/scale` and `POST …/restart` (202 + the operation's absolute URL in
// Location, which the npm client follows as is), `GET …/operations/{id}`.
//
// Every handler reads the body first (bad JSON is 400 before anything else, as in the
// real Rails API), then finds the app (404), then checks the fields (422).

#include "fakes/scalingo/api_context.h"
#include "fakes/scalingo/json_views.h"

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

// One entry of `containers`: a name and an amount and/or a size, the rest kept from the
// current formation.
std::optional<platform::ProcessType> read_scale_entry(const nlohmann::json& item,
                                                      const std::string& path,
                                                      const std::vector<platform::ProcessType>& now,
                                                      FieldErrors& errors,
                                                      std::vector<std::string>& notes) {
  if (!item.is_object()) {
    errors.add("containers", "each entry must be an object");
    return std::nullopt;
  }
  JsonObjectReader reader(item, path, errors);
  const auto name = reader.string("name", Presence::required);
  const auto amount = reader.integer("amount", Presence::optional);
  const auto size = reader.string("size", Presence::optional);
  reader.note_unknown(notes);
  if (!name) return std::nullopt;
  if (!amount && !size) {
    errors.add("containers", "entry " + *name + " needs an amount or a size");
    return std::nullopt;
  }
  if (amount && (*amount < 0 || *amount > platform::kContainersPerTypeMax)) {
    errors.add("amount",
               "must be between 0 and " + std::to_string(platform::kContainersPerTypeMax));
    return std::nullopt;
  }
  platform::ProcessType entry{*name, 0, "M"};
  for (const auto& p : now) {
    if (p.name == *name) entry = p;
  }
  if (amount) entry.amount = static_cast<int>(*amount);
  if (size) entry.size = *size;
  return entry;
}

void scale(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("containers", Presence::required);
  root.note_unknown(ex.notes);
  std::vector<platform::ProcessType> changes;
  if (items != nullptr) {
    if (items->empty()) errors.add("containers", "can't be empty");
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string path = "containers[" + std::to_string(i) + "]";
      auto entry = read_scale_entry((*items)[i], path, app.formation, errors, ex.notes);
      if (entry) changes.push_back(std::move(*entry));
    }
  }
  if (!errors.empty()) return reply_field_errors(ex, errors);
  auto op = ctx.platform.scale(app.name, changes);
  if (!op) return reply_platform_error(ex, op.error(), "app");
  accepted(ctx, ex, *op);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : changes) out.push_back(process_type_json(p));
  reply_json(ex, 202, {{"containers", std::move(out)}});
}

// `scope` is an array of process types in the API's documentation, but the npm client
// 0.14.6 sends whatever it is given (its type says string), and nothing when unset.
std::optional<std::vector<std::string>> read_scope(const nlohmann::json& body, FieldErrors& errors,
                                                   std::vector<std::string>& notes) {
  std::vector<std::string> scope;
  const auto found = body.find("scope");
  if (found == body.end() || found->is_null()) return scope;
  if (found->is_string()) {
    notes.push_back("scope sent as a string, not an array");
    scope.push_back(found->get<std::string>());
    return scope;
  }
  if (!found->is_array()) {
    errors.add("scope", "must be an array of process types");
    return std::nullopt;
  }
  for (const auto& item : *found) {
    if (!item.is_string()) {
      errors.add("scope", "must be an array of process types");
      return std::nullopt;
    }
    scope.push_back(item.get<std::string>());
  }
  return scope;
}

void restart(ApiContext& ctx, Exchange& ex) {
  const auto request = read_app_request(ctx, ex);
  if (!request) return;
  const auto& [body, app] = *request;
  FieldErrors errors;
  const auto scope = read_scope(body, errors, ex.notes);
  for (const auto& [key, value] : body.items()) {
    if (key != "scope") ex.notes.push_back("unknown field " + key);
  }
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
