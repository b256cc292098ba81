// Pull requests: list, get, create, update (close, reopen), merge, check-if-merged and
// their commits — with GitHub's refusals (422 no commits / already exists, 405 not
// mergeable, 409 head moved).

#include <algorithm>

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

void list_pulls(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const std::string state = ex.req.has_param("state") ? ex.req.get_param_value("state") : "open";
  if (state != "open" && state != "closed" && state != "all") {
    return reply_validation(ex, "PullRequest", "state", "invalid");
  }
  const std::string head =
      ex.req.has_param("head") ? ctx.head_branch(ex.req.get_param_value("head")) : "";
  const std::string base = ex.req.has_param("base") ? ex.req.get_param_value("base") : "";
  std::vector<json> items;
  Txn txn(ctx);
  for (auto it = txn.model.pulls.rbegin(); it != txn.model.pulls.rend(); ++it) {
    const auto& pull = it->second;
    if (state != "all" && pull.state != state) continue;
    if (ex.req.has_param("head") && pull.head_ref != head) continue;
    if (!base.empty() && pull.base_ref != base) continue;
    items.push_back(pull_json(ctx, txn.model, pull, false));
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

PullRequest* find_pull(Txn& txn, FakeExchange& ex, int number) {
  const auto it = txn.model.pulls.find(number);
  if (it != txn.model.pulls.end()) return &it->second;
  reply_message(ex, 404, "Not Found");
  return nullptr;
}

void get_pull(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  Txn txn(ctx);
  if (auto* pull = find_pull(txn, ex, *number)) {
    reply_json(ex, 200, pull_json(ctx, txn.model, *pull, true));
  }
}

void create_pull(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto title = reader.string("title", Presence::required);
  const auto head_text = reader.string("head", Presence::required);
  const auto base = reader.string("base", Presence::required);
  const auto text = reader.string("body", Presence::optional);
  for (const char* key : {"draft", "maintainer_can_modify", "issue", "head_repo"}) {
    reader.ignore(key, ex.notes);
  }
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  const auto opened = ctx.open_pull(txn, {*head_text, *base, *title, text.value_or("")});
  if (const auto* refusal = std::get_if<PullRefusal>(&opened)) {
    return reply_validation(ex, "PullRequest", refusal->field, refusal->code, refusal->message);
  }
  const auto& stored = txn.model.pulls.at(std::get<int>(opened));
  reply_json(ex, 201, pull_json(ctx, txn.model, stored, true));
}

void update_pull(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto title = reader.string("title", Presence::optional);
  const auto text = reader.string("body", Presence::optional);
  const auto state = reader.string("state", Presence::optional);
  const auto base = reader.string("base", Presence::optional);
  reader.ignore("maintainer_can_modify", ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (state && *state != "open" && *state != "closed") {
    return reply_validation(ex, "PullRequest", "state", "invalid");
  }
  Txn txn(ctx);
  auto* pull = find_pull(txn, ex, *number);
  if (pull == nullptr) return;
  if (base && !ctx.origin.resolve(branch_ref(*base))) {
    return reply_validation(ex, "PullRequest", "base", "invalid");
  }
  if (state == "open" && pull->merged) {
    return reply_validation(ex, "PullRequest", "state", "invalid",
                            "state cannot be changed. The pull request cannot be reopened");
  }
  if (title) pull->title = *title;
  if (text) pull->body = *text;
  if (base) pull->base_ref = *base;
  pull->updated_at = ctx.now();
  if (state && *state != pull->state) {
    ctx.pull_closed(txn, *pull, *state == "closed" ? "closed" : "reopened");
  }
  reply_json(ex, 200, pull_json(ctx, txn.model, *pull, true));
}

void merge_pull(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto commit_title = reader.string("commit_title", Presence::optional);
  const auto commit_message = reader.string("commit_message", Presence::optional);
  const auto sha = reader.string("sha", Presence::optional);
  const auto method = reader.string("merge_method", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (method && *method != "merge") {
    ex.notes.push_back("merge_method " + *method + " is merged as merge");
  }
  Txn txn(ctx);
  auto* pull = find_pull(txn, ex, *number);
  if (pull == nullptr) return;
  if (pull->state != "open") return reply_message(ex, 405, "Pull Request is not mergeable");
  if (sha && *sha != pull->head_sha) {
    return reply_message(ex, 409, "Head branch was modified. Review and try the merge again.");
  }
  const std::string message =
      commit_title.value_or("Merge pull request #" + std::to_string(pull->number) + " from " +
                            ctx.owner() + "/" + pull->head_ref) +
      "\n\n" + commit_message.value_or(pull->title);
  const auto before = ctx.origin.resolve(branch_ref(pull->base_ref));
  if (!before) return reply_message(ex, 405, "Pull Request is not mergeable");
  auto merged = ctx.origin.merge(pull->base_ref, pull->head_sha, message);
  if (!merged) {
    ex.notes.push_back("merge refused: " + merged.error().message);
    return reply_message(ex, 405, "Pull Request is not mergeable");
  }
  const std::string after = merged->value_or(*before);
  ctx.pull_merged(txn, *pull, std::string(kTokenUser), after, false);
  if (after != *before) {
    ctx.refs_moved(txn, {{branch_ref(pull->base_ref), *before, after}}, std::string(kTokenUser));
  }
  reply_json(ex, 200,
             {{"sha", after}, {"merged", true}, {"message", "Pull Request successfully merged"}});
}

void check_merged(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  Txn txn(ctx);
  auto* pull = find_pull(txn, ex, *number);
  if (pull == nullptr) return;
  if (pull->merged) {
    ex.res.status = 204;
  } else {
    reply_message(ex, 404, "Not Found");
  }
}

void list_pull_commits(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  Txn txn(ctx);
  auto* pull = find_pull(txn, ex, *number);
  if (pull == nullptr) return;
  auto commits = ctx.origin.commits_between(pull->base_sha, pull->head_sha);
  std::vector<json> items;
  if (commits) {
    for (auto it = commits->rbegin(); it != commits->rend(); ++it) {
      items.push_back(commit_json(ctx, *it));
    }
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

}  // namespace

std::vector<GitHubRoute> pull_routes() {
  const std::string pulls = std::string(kRepoPattern) + "/pulls";
  return {
      {"GET", pulls, "pulls.list", Access::token, list_pulls},
      {"POST", pulls, "pulls.create", Access::token, create_pull},
      {"GET", pulls + "/([^/]+)", "pulls.get", Access::token, get_pull},
      {"PATCH", pulls + "/([^/]+)", "pulls.update", Access::token, update_pull},
      {"PUT", pulls + "/([^/]+)/merge", "pulls.merge", Access::token, merge_pull},
      {"GET", pulls + "/([^/]+)/merge", "pulls.checkIfMerged", Access::token, check_merged},
      {"GET", pulls + "/([^/]+)/commits", "pulls.listCommits", Access::token, list_pull_commits},
  };
}

}  // namespace mepsim::fakes::github
