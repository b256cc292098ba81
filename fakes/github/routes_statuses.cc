// Commit statuses (create, list, combined state by GitHub's rule) and check runs (create,
// update, get, list for a ref).

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

// The full sha of a branch, tag or sha, or nullopt after answering 422 as GitHub does.
std::optional<std::string> resolve_commit(GitHubContext& ctx, FakeExchange& ex,
                                          const std::string& ref) {
  auto sha = ctx.origin.resolve(ref);
  if (sha) return *sha;
  reply_message(ex, 422, "No commit found for SHA: " + ref);
  return std::nullopt;
}

void create_status(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto state = reader.string("state", Presence::required);
  const auto context = reader.string("context", Presence::optional);
  const auto description = reader.string("description", Presence::optional);
  const auto target_url = reader.string("target_url", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (*state != "error" && *state != "failure" && *state != "pending" && *state != "success") {
    return reply_validation(ex, "Status", "state", "custom", "state is not included in the list");
  }
  const std::string sha = ex.param(3);
  Txn txn(ctx);
  const auto commit = ctx.origin.commit(sha);
  if (!commit || commit->sha != sha) {
    return reply_message(ex, 422, "No commit found for SHA: " + sha);
  }
  if (txn.model.statuses[sha].size() >= ctx.options.statuses_per_sha_max) {
    return reply_validation(ex, "Status", "", "custom",
                            "This SHA and context has reached the maximum number of statuses.");
  }
  const auto status =
      ctx.add_status(txn, sha, *state, context.value_or("default"), description.value_or(""),
                     target_url.value_or(""), std::string(kTokenUser));
  reply_json(ex, 201, status_json(ctx, status));
}

void list_statuses(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto sha = resolve_commit(ctx, ex, ex.param(3));
  if (!sha) return;
  std::vector<json> items;
  Txn txn(ctx);
  if (const auto it = txn.model.statuses.find(*sha); it != txn.model.statuses.end()) {
    for (auto s = it->second.rbegin(); s != it->second.rend(); ++s) {
      items.push_back(status_json(ctx, *s));
    }
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

void combined_status(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto sha = resolve_commit(ctx, ex, ex.param(3));
  if (!sha) return;
  Txn txn(ctx);
  std::map<std::string, const CommitStatus*> latest;  // context → newest
  if (const auto it = txn.model.statuses.find(*sha); it != txn.model.statuses.end()) {
    for (const auto& status : it->second) latest[status.context] = &status;
  }
  json statuses = json::array();
  for (const auto& [context, status] : latest) statuses.push_back(status_json(ctx, *status));
  reply_json(ex, 200,
             {{"state", to_string(ctx.combined_state(txn, *sha))},
              {"statuses", statuses},
              {"sha", *sha},
              {"total_count", statuses.size()},
              {"repository", repository_json(ctx)},
              {"commit_url", ctx.api_repo_url() + "/commits/" + *sha},
              {"url", ctx.api_repo_url() + "/commits/" + *sha + "/status"}});
}

void list_check_runs(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto sha = resolve_commit(ctx, ex, ex.param(3));
  if (!sha) return;
  const std::string name =
      ex.req.has_param("check_name") ? ex.req.get_param_value("check_name") : "";
  const std::string status = ex.req.has_param("status") ? ex.req.get_param_value("status") : "";
  std::vector<json> items;
  Txn txn(ctx);
  for (auto it = txn.model.check_runs.rbegin(); it != txn.model.check_runs.rend(); ++it) {
    const auto& run = it->second;
    if (run.head_sha != *sha) continue;
    if (!name.empty() && run.name != name) continue;
    if (!status.empty() && run.status != status) continue;
    items.push_back(check_run_json(ctx, run));
  }
  const auto total = items.size();
  reply_json(ex, 200, {{"total_count", total}, {"check_runs", paginate(ex, std::move(items))}});
}

// The fields a check run create or update may set; false after answering 422.
bool apply_check_fields(GitHubContext& ctx, FakeExchange& ex, JsonObjectReader& reader,
                        CheckRun& run) {
  const auto status = reader.string("status", Presence::optional);
  const auto conclusion = reader.string("conclusion", Presence::optional);
  const auto details_url = reader.string("details_url", Presence::optional);
  const auto external_id = reader.string("external_id", Presence::optional);
  const auto name = reader.string("name", Presence::optional);
  const auto* output = reader.object("output", Presence::optional);
  for (const char* key : {"started_at", "completed_at", "actions"}) reader.ignore(key, ex.notes);
  if (status && *status != "queued" && *status != "in_progress" && *status != "completed") {
    reply_validation(ex, "CheckRun", "status", "invalid");
    return false;
  }
  static const std::vector<std::string> kConclusions = {"action_required", "cancelled", "failure",
                                                        "neutral",         "success",   "skipped",
                                                        "stale",           "timed_out"};
  if (conclusion &&
      std::find(kConclusions.begin(), kConclusions.end(), *conclusion) == kConclusions.end()) {
    reply_validation(ex, "CheckRun", "conclusion", "invalid");
    return false;
  }
  if (name) run.name = *name;
  if (details_url) run.details_url = *details_url;
  if (external_id) run.external_id = *external_id;
  if (output != nullptr) {
    run.output_title = output->value("title", "");
    run.output_summary = output->value("summary", "");
  }
  if (status) run.status = *status;
  if (conclusion) {
    run.conclusion = *conclusion;
    run.status = "completed";
  }
  if (run.status != "queued" && !run.started_at) run.started_at = ctx.now();
  if (run.status == "completed" && !run.completed_at) run.completed_at = ctx.now();
  if (run.status == "completed" && run.conclusion.empty()) {
    reply_validation(ex, "CheckRun", "conclusion", "missing");
    return false;
  }
  return true;
}

void create_check_run(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto name = reader.string("name", Presence::required);
  const auto head_sha = reader.string("head_sha", Presence::required);
  CheckRun run;
  run.status = "queued";
  Txn txn(ctx);
  if (!apply_check_fields(ctx, ex, reader, run)) return;
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  const auto commit = ctx.origin.commit(*head_sha);
  if (!commit || commit->sha != *head_sha) {
    return reply_validation(ex, "CheckRun", "head_sha", "invalid");
  }
  if (txn.model.check_runs.size() >= ctx.options.check_runs_max) {
    return reply_validation(ex, "CheckRun", "", "custom", "Too many check runs");
  }
  run.id = ctx.next_id(txn);
  run.name = *name;
  run.head_sha = *head_sha;
  const auto& stored = txn.model.check_runs[run.id] = run;
  ctx.check_run_changed(txn, stored, "created");
  reply_json(ex, 201, check_run_json(ctx, stored));
}

void update_check_run(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto id = path_number(ex, 3);
  if (!id) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  Txn txn(ctx);
  const auto it = txn.model.check_runs.find(static_cast<std::uint64_t>(*id));
  if (it == txn.model.check_runs.end()) return reply_message(ex, 404, "Not Found");
  CheckRun run = it->second;
  const bool was_completed = run.status == "completed";
  if (!apply_check_fields(ctx, ex, reader, run)) return;
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  it->second = run;
  ctx.check_run_changed(txn, run,
                        !was_completed && run.status == "completed" ? "completed" : "updated");
  reply_json(ex, 200, check_run_json(ctx, run));
}

void get_check_run(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto id = path_number(ex, 3);
  if (!id) return;
  Txn txn(ctx);
  const auto it = txn.model.check_runs.find(static_cast<std::uint64_t>(*id));
  if (it == txn.model.check_runs.end()) return reply_message(ex, 404, "Not Found");
  reply_json(ex, 200, check_run_json(ctx, it->second));
}

}  // namespace

std::vector<GitHubRoute> status_routes() {
  const std::string repo(kRepoPattern);
  return {
      {"POST", repo + "/statuses/([^/]+)", "repos.createCommitStatus", Access::token,
       create_status},
      {"GET", repo + "/commits/(.+)/status", "repos.getCombinedStatusForRef", Access::token,
       combined_status},
      {"GET", repo + "/commits/(.+)/statuses", "repos.listCommitStatusesForRef", Access::token,
       list_statuses},
      {"GET", repo + "/commits/(.+)/check-runs", "checks.listForRef", Access::token,
       list_check_runs},
      {"POST", repo + "/check-runs", "checks.create", Access::token, create_check_run},
      {"GET", repo + "/check-runs/([^/]+)", "checks.get", Access::token, get_check_run},
      {"PATCH", repo + "/check-runs/([^/]+)", "checks.update", Access::token, update_check_run},
  };
}

}  // namespace mepsim::fakes::github
