// mepsim's own routes on the GitHub fake (`/_mepsim/…`), for `mepsim ci` and rehearsals
// by hand: the result of the next CI runs of a branch, and what CI and the webhooks did.
// They take the API's token, as `mepsim ci` sends it (GITHUB_TOKEN).

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

json ci_state_json(GitHubContext& ctx, Txn& txn) {
  json overrides = json::object();
  for (const auto& [branch, result] : txn.model.ci_overrides) overrides[branch] = to_string(result);
  json runs = json::array();
  for (const auto& [id, run] : txn.model.ci_runs) {
    runs.push_back({{"id", id},
                    {"sha", run.sha},
                    {"branch", run.branch},
                    {"result", to_string(run.result)},
                    {"reason", run.reason},
                    {"finished", run.finished}});
  }
  return {{"defaults",
           {{"result", to_string(ctx.options.ci.result)},
            {"duration_s",
             std::chrono::duration_cast<std::chrono::seconds>(ctx.options.ci.duration).count()}}},
          {"overrides", overrides},
          {"runs", runs}};
}

void get_ci(GitHubContext& ctx, FakeExchange& ex) {
  Txn txn(ctx);
  reply_json(ex, 200, ci_state_json(ctx, txn));
}

void put_ci_branch(GitHubContext& ctx, FakeExchange& ex) {
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto result = reader.string("result", Presence::required);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  std::optional<CiResult> value;
  if (*result != "default") {
    auto parsed = ci_result_from_string(*result);
    if (!parsed) return reply_validation(ex, "CiOverride", "result", "invalid");
    value = *parsed;
  }
  const std::string branch = ex.param(1);
  Txn txn(ctx);
  if (!ctx.set_ci_override(txn, branch, value)) {
    return reply_validation(ex, "CiOverride", "branch", "custom", "Too many branch overrides");
  }
  reply_json(ex, 200, {{"branch", branch}, {"result", *result}});
}

void get_deliveries(GitHubContext& ctx, FakeExchange& ex) {
  json items = json::array();
  for (const auto& delivery : ctx.dispatcher.deliveries()) {
    items.push_back({{"id", delivery.id},
                     {"guid", delivery.guid},
                     {"event", delivery.event},
                     {"action", delivery.action},
                     {"status_code", delivery.status_code},
                     {"error", delivery.error},
                     {"at", github_time(delivery.at)}});
  }
  const auto stats = ctx.dispatcher.stats();
  reply_json(ex, 200,
             {{"deliveries", items},
              {"queued", stats.queued},
              {"delivered", stats.delivered},
              {"failed", stats.failed},
              {"dropped", stats.dropped}});
}

}  // namespace

std::vector<GitHubRoute> admin_routes() {
  return {
      {"GET", "/_mepsim/ci", "admin.ci", Access::token, get_ci},
      {"PUT", "/_mepsim/ci/branches/(.+)", "admin.ci_branch", Access::token, put_ci_branch},
      {"GET", "/_mepsim/deliveries", "admin.deliveries", Access::token, get_deliveries},
  };
}

}  // namespace mepsim::fakes::github
