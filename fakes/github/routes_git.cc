// The repository, its refs (branches and tags: create, get, update, delete), the merges
// API, commits, branches and tags — each write reported as a push would be (events,
// webhooks, implicit merges, CI).

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

void get_user(GitHubContext& ctx, FakeExchange& ex) {
  reply_json(ex, 200, user_json(ctx, std::string(kTokenUser)));
}

void get_repository(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  reply_json(ex, 200, repository_json(ctx));
}

// "refs/heads/x" or "refs/tags/x": what the refs API may create.
bool valid_ref_name(const std::string& ref) {
  if (!ref.starts_with("refs/heads/") && !ref.starts_with("refs/tags/")) return false;
  const auto name = ref.substr(ref.find('/', 5) + 1);
  return !name.empty() && name.find("..") == std::string::npos && !name.ends_with("/") &&
         !name.ends_with(".lock") && name.find_first_of(" ~^:?*[\\") == std::string::npos;
}

// Every branch and tag as "refs/…" → sha.
std::map<std::string, std::string> all_refs(GitHubContext& ctx) {
  std::map<std::string, std::string> refs;
  if (auto branches = ctx.origin.branches()) {
    for (const auto& [name, sha] : *branches) refs["refs/heads/" + name] = sha;
  }
  if (auto tags = ctx.origin.tags()) {
    for (const auto& [name, sha] : *tags) refs["refs/tags/" + name] = sha;
  }
  return refs;
}

void create_ref(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto ref = reader.string("ref", Presence::required);
  const auto sha = reader.string("sha", Presence::required);
  reader.ignore("key", ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (!valid_ref_name(*ref)) return reply_message(ex, 422, "Reference name is invalid");
  Txn txn(ctx);
  const auto commit = ctx.origin.commit(*sha);
  if (!commit || commit->sha != *sha) return reply_message(ex, 422, "Object does not exist");
  if (ctx.origin.resolve(*ref)) return reply_message(ex, 422, "Reference already exists");
  if (auto created = ctx.origin.create_ref(*ref, *sha); !created) {
    if (created.error().code == ErrorCode::conflict) {
      return reply_message(ex, 422, "Reference already exists");
    }
    ex.notes.push_back(created.error().message);
    return reply_message(ex, 422, "Reference update failed");
  }
  ctx.refs_moved(txn, {{*ref, std::string(kZeroSha), *sha}}, std::string(kTokenUser));
  reply_json(ex, 201, ref_json(ctx, *ref, *sha));
}

// GET …/git/ref/{ref} (one) and …/git/refs/{ref} (one, or every ref under a prefix).
void get_ref(GitHubContext& ctx, FakeExchange& ex, bool prefix_allowed) {
  if (!require_repo(ctx, ex)) return;
  const std::string ref = "refs/" + ex.param(3);
  const auto refs = all_refs(ctx);
  if (const auto it = refs.find(ref); it != refs.end()) {
    return reply_json(ex, 200, ref_json(ctx, it->first, it->second));
  }
  json matching = json::array();
  for (const auto& [name, sha] : refs) {
    if (name.starts_with(ref + "/")) matching.push_back(ref_json(ctx, name, sha));
  }
  if (!prefix_allowed || matching.empty()) return reply_message(ex, 404, "Not Found");
  reply_json(ex, 200, matching);
}

void update_ref(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto sha = reader.string("sha", Presence::required);
  const bool force = reader.boolean("force", Presence::optional).value_or(false);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  const std::string ref = "refs/" + ex.param(3);
  Txn txn(ctx);
  const auto refs = all_refs(ctx);
  const auto it = refs.find(ref);
  if (it == refs.end()) return reply_message(ex, 422, "Reference does not exist");
  const auto commit = ctx.origin.commit(*sha);
  if (!commit || commit->sha != *sha) return reply_message(ex, 422, "Object does not exist");
  const auto fast_forward = ctx.origin.is_ancestor(it->second, *sha);
  if (!force && (!fast_forward || !*fast_forward)) {
    return reply_message(ex, 422, "Update is not a fast forward");
  }
  if (auto updated = ctx.origin.update_ref(ref, *sha); !updated) {
    ex.notes.push_back(updated.error().message);
    return reply_message(ex, 422, "Reference update failed");
  }
  if (it->second != *sha) ctx.refs_moved(txn, {{ref, it->second, *sha}}, std::string(kTokenUser));
  reply_json(ex, 200, ref_json(ctx, ref, *sha));
}

void delete_ref(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const std::string ref = "refs/" + ex.param(3);
  Txn txn(ctx);
  const auto refs = all_refs(ctx);
  const auto it = refs.find(ref);
  if (it == refs.end()) return reply_message(ex, 422, "Reference does not exist");
  if (auto deleted = ctx.origin.delete_ref(ref); !deleted) {
    ex.notes.push_back(deleted.error().message);
    return reply_message(ex, 422, "Reference update failed");
  }
  ctx.refs_moved(txn, {{ref, it->second, std::string(kZeroSha)}}, std::string(kTokenUser));
  ex.res.status = 204;
}

void merge_branches(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto base = reader.string("base", Presence::required);
  const auto head = reader.string("head", Presence::required);
  const auto message = reader.string("commit_message", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  const auto before = ctx.origin.resolve(branch_ref(*base));
  if (!before) return reply_message(ex, 404, "Base does not exist");
  const auto head_sha = ctx.origin.resolve(*head);
  if (!head_sha) return reply_message(ex, 404, "Head does not exist");
  auto merged =
      ctx.origin.merge(*base, *head_sha, message.value_or("Merge " + *head + " into " + *base));
  if (!merged) {
    if (merged.error().code == ErrorCode::conflict) return reply_message(ex, 409, "Merge conflict");
    ex.notes.push_back(merged.error().message);
    return reply_message(ex, 500, "Merge failed");
  }
  if (!merged->has_value()) {
    ex.res.status = 204;
    return;
  }
  const std::string after = **merged;
  ctx.refs_moved(txn, {{branch_ref(*base), *before, after}}, std::string(kTokenUser));
  const auto commit = ctx.origin.commit(after);
  if (!commit) return reply_message(ex, 500, "Merge failed");
  reply_json(ex, 201, commit_json(ctx, *commit));
}

void get_commit(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto commit = ctx.origin.commit(ex.param(3));
  if (!commit) {
    return reply_message(ex, 422, "No commit found for SHA: " + ex.param(3));
  }
  reply_json(ex, 200, commit_json(ctx, *commit));
}

void list_tags(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  std::vector<json> items;
  if (auto tags = ctx.origin.tags()) {
    // GitHub lists the newest names first.
    for (auto it = tags->rbegin(); it != tags->rend(); ++it) {
      items.push_back(
          {{"name", it->first},
           {"commit",
            {{"sha", it->second}, {"url", ctx.api_repo_url() + "/commits/" + it->second}}},
           {"zipball_url", ctx.api_repo_url() + "/zipball/refs/tags/" + it->first},
           {"tarball_url", ctx.api_repo_url() + "/tarball/refs/tags/" + it->first},
           {"node_id", "REF_" + it->first}});
    }
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

json branch_json(GitHubContext& ctx, const std::string& name, const std::string& sha) {
  return {{"name", name},
          {"commit", {{"sha", sha}, {"url", ctx.api_repo_url() + "/commits/" + sha}}},
          {"protected", false}};
}

void list_branches(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  std::vector<json> items;
  if (auto branches = ctx.origin.branches()) {
    for (const auto& [name, sha] : *branches) items.push_back(branch_json(ctx, name, sha));
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

void get_branch(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto sha = ctx.origin.resolve(branch_ref(ex.param(3)));
  if (!sha) return reply_message(ex, 404, "Branch not found");
  auto out = branch_json(ctx, ex.param(3), *sha);
  if (auto commit = ctx.origin.commit(*sha)) out["commit"] = commit_json(ctx, *commit);
  reply_json(ex, 200, out);
}

}  // namespace

std::vector<GitHubRoute> git_routes() {
  const std::string repo(kRepoPattern);
  return {
      {"GET", "/user", "users.getAuthenticated", Access::token, get_user},
      {"GET", repo, "repos.get", Access::token, get_repository},
      {"POST", repo + "/git/refs", "git.createRef", Access::token, create_ref},
      {"GET", repo + "/git/ref/(.+)", "git.getRef", Access::token,
       [](GitHubContext& c, FakeExchange& e) { get_ref(c, e, false); }},
      {"GET", repo + "/git/refs/(.+)", "git.getRef", Access::token,
       [](GitHubContext& c, FakeExchange& e) { get_ref(c, e, true); }},
      {"GET", repo + "/git/matching-refs/(.+)", "git.listMatchingRefs", Access::token,
       [](GitHubContext& c, FakeExchange& e) { get_ref(c, e, true); }},
      {"PATCH", repo + "/git/refs/(.+)", "git.updateRef", Access::token, update_ref},
      {"DELETE", repo + "/git/refs/(.+)", "git.deleteRef", Access::token, delete_ref},
      {"POST", repo + "/merges", "repos.merge", Access::token, merge_branches},
      {"GET", repo + "/commits/([^/]+)", "repos.getCommit", Access::token, get_commit},
      {"GET", repo + "/tags", "repos.listTags", Access::token, list_tags},
      {"GET", repo + "/branches", "repos.listBranches", Access::token, list_branches},
      {"GET", repo + "/branches/(.+)", "repos.getBranch", Access::token, get_branch},
  };
}

}  // namespace mepsim::fakes::github
