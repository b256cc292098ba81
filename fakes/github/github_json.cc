#include "fakes/github/github_json.h"

#include "fakes/common/hmac.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

// A stable numeric id for a name (FNV-1a, 31 bits): users and labels have no counter.
std::uint64_t name_id(const std::string& name) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash & 0x7fffffffull;
}

std::string node_id(const std::string& kind, std::uint64_t id) {
  return kind + "_" + base64url_encode(std::to_string(id));
}

json labels_json(const std::vector<std::string>& labels) {
  json out = json::array();
  for (const auto& label : labels) out.push_back(label_json(label));
  return out;
}

json users_json(const GitHubContext& ctx, const std::vector<std::string>& logins) {
  json out = json::array();
  for (const auto& login : logins) out.push_back(user_json(ctx, login));
  return out;
}

json milestone_or_null(const GitHubContext& ctx, const RepositoryModel& model,
                       const std::optional<int>& number) {
  if (!number) return nullptr;
  const auto it = model.milestones.find(*number);
  if (it == model.milestones.end()) return nullptr;
  return milestone_json(ctx, model, it->second);
}

json branch_side(const GitHubContext& ctx, const std::string& ref, const std::string& sha) {
  return {{"label", ctx.owner() + ":" + ref},
          {"ref", ref},
          {"sha", sha},
          {"user", user_json(ctx, ctx.owner())},
          {"repo", repository_json(ctx)}};
}

json person_json(const CommitInfo& commit) {
  return {{"name", commit.author_name},
          {"email", commit.author_email},
          {"date", github_time(commit.authored_at)}};
}

}  // namespace

std::string github_time(Instant t) {
  std::string text = format_iso8601(t);  // "…T08:00:00.000Z"
  const auto dot = text.find('.');
  if (dot != std::string::npos) text = text.substr(0, dot) + "Z";
  return text;
}

json github_time_or_null(const std::optional<Instant>& t) {
  if (!t) return nullptr;
  return github_time(*t);
}

json user_json(const GitHubContext& ctx, const std::string& login) {
  const auto id = name_id(login);
  return {{"login", login},
          {"id", id},
          {"node_id", node_id("U", id)},
          {"avatar_url", "https://avatars.githubusercontent.com/u/" + std::to_string(id)},
          {"url", ctx.base_url + "/users/" + login},
          {"html_url", "https://github.com/" + login},
          {"type", login == ctx.owner() ? "Organization" : "User"},
          {"site_admin", false}};
}

json repository_json(const GitHubContext& ctx) {
  const auto id = name_id(ctx.full_name());
  return {{"id", id},
          {"node_id", node_id("R", id)},
          {"name", ctx.repo()},
          {"full_name", ctx.full_name()},
          {"owner", user_json(ctx, ctx.owner())},
          {"private", false},
          {"html_url", ctx.html_repo_url()},
          {"url", ctx.api_repo_url()},
          {"clone_url", ctx.base_url + "/" + ctx.full_name() + ".git"},
          {"git_url", ctx.base_url + "/" + ctx.full_name() + ".git"},
          {"default_branch", ctx.origin.default_branch()},
          {"fork", false},
          {"archived", false},
          {"visibility", "public"}};
}

json label_json(const std::string& name) {
  const auto id = name_id("label:" + name);
  return {{"id", id},         {"node_id", node_id("LA", id)}, {"name", name}, {"color", "ededed"},
          {"default", false}, {"description", nullptr}};
}

json milestone_json(const GitHubContext& ctx, const RepositoryModel& model,
                    const Milestone& milestone) {
  int open = 0, closed = 0;
  for (const auto& [number, issue] : model.issues) {
    if (issue.milestone != milestone.number) continue;
    ++(issue.state == "open" ? open : closed);
  }
  for (const auto& [number, pull] : model.pulls) {
    if (pull.milestone != milestone.number) continue;
    ++(pull.state == "open" ? open : closed);
  }
  const std::string number = std::to_string(milestone.number);
  return {
      {"url", ctx.api_repo_url() + "/milestones/" + number},
      {"html_url", ctx.html_repo_url() + "/milestone/" + number},
      {"labels_url", ctx.api_repo_url() + "/milestones/" + number + "/labels"},
      {"id", milestone.id},
      {"node_id", node_id("MI", milestone.id)},
      {"number", milestone.number},
      {"title", milestone.title},
      {"description", milestone.description.empty() ? json(nullptr) : json(milestone.description)},
      {"creator", user_json(ctx, milestone.creator)},
      {"open_issues", open},
      {"closed_issues", closed},
      {"state", milestone.state},
      {"created_at", github_time(milestone.created_at)},
      {"updated_at", github_time(milestone.updated_at)},
      {"closed_at", github_time_or_null(milestone.closed_at)},
      {"due_on", milestone.due_on ? json(*milestone.due_on) : json(nullptr)}};
}

json pull_json(const GitHubContext& ctx, const RepositoryModel& model, const PullRequest& pull,
               bool full) {
  const std::string number = std::to_string(pull.number);
  const std::string api = ctx.api_repo_url();
  json out = {
      {"url", api + "/pulls/" + number},
      {"id", pull.id},
      {"node_id", node_id("PR", pull.id)},
      {"html_url", ctx.html_repo_url() + "/pull/" + number},
      {"diff_url", ctx.html_repo_url() + "/pull/" + number + ".diff"},
      {"patch_url", ctx.html_repo_url() + "/pull/" + number + ".patch"},
      {"issue_url", api + "/issues/" + number},
      {"statuses_url", api + "/statuses/" + pull.head_sha},
      {"number", pull.number},
      {"state", pull.state},
      {"locked", false},
      {"title", pull.title},
      {"user", user_json(ctx, pull.user)},
      {"body", pull.body.empty() ? json(nullptr) : json(pull.body)},
      {"labels", labels_json(pull.labels)},
      {"milestone", milestone_or_null(ctx, model, pull.milestone)},
      {"created_at", github_time(pull.created_at)},
      {"updated_at", github_time(pull.updated_at)},
      {"closed_at", github_time_or_null(pull.closed_at)},
      {"merged_at", github_time_or_null(pull.merged_at)},
      {"merge_commit_sha",
       pull.merge_commit_sha.empty() ? json(nullptr) : json(pull.merge_commit_sha)},
      {"assignee", pull.assignees.empty() ? json(nullptr) : user_json(ctx, pull.assignees.front())},
      {"assignees", users_json(ctx, pull.assignees)},
      {"requested_reviewers", json::array()},
      {"draft", false},
      {"head", branch_side(ctx, pull.head_ref, pull.head_sha)},
      {"base", branch_side(ctx, pull.base_ref, pull.base_sha)},
      {"author_association", "MEMBER"},
      {"auto_merge", nullptr}};
  if (full) {
    const bool open = pull.state == "open";
    out["merged"] = pull.merged;
    out["mergeable"] = open ? json(true) : json(nullptr);
    out["mergeable_state"] = open ? "clean" : "unknown";
    out["merged_by"] = pull.merged ? user_json(ctx, pull.merged_by) : json(nullptr);
    out["comments"] = 0;
    out["review_comments"] = 0;
    out["maintainer_can_modify"] = false;
  }
  return out;
}

json issue_json(const GitHubContext& ctx, const RepositoryModel& model, const Issue& issue) {
  const std::string number = std::to_string(issue.number);
  return {{"url", ctx.api_repo_url() + "/issues/" + number},
          {"repository_url", ctx.api_repo_url()},
          {"html_url", ctx.html_repo_url() + "/issues/" + number},
          {"id", issue.id},
          {"node_id", node_id("I", issue.id)},
          {"number", issue.number},
          {"title", issue.title},
          {"user", user_json(ctx, issue.user)},
          {"labels", labels_json(issue.labels)},
          {"state", issue.state},
          {"state_reason", issue.state_reason.empty() ? json(nullptr) : json(issue.state_reason)},
          {"locked", false},
          {"assignee",
           issue.assignees.empty() ? json(nullptr) : user_json(ctx, issue.assignees.front())},
          {"assignees", users_json(ctx, issue.assignees)},
          {"milestone", milestone_or_null(ctx, model, issue.milestone)},
          {"comments", 0},
          {"created_at", github_time(issue.created_at)},
          {"updated_at", github_time(issue.updated_at)},
          {"closed_at", github_time_or_null(issue.closed_at)},
          {"author_association", "MEMBER"},
          {"body", issue.body.empty() ? json(nullptr) : json(issue.body)}};
}

json pull_as_issue_json(const GitHubContext& ctx, const RepositoryModel& model,
                        const PullRequest& pull) {
  Issue view;
  view.number = pull.number;
  view.id = pull.id;
  view.title = pull.title;
  view.body = pull.body;
  view.user = pull.user;
  view.state = pull.state;
  view.labels = pull.labels;
  view.assignees = pull.assignees;
  view.milestone = pull.milestone;
  view.closed_at = pull.closed_at;
  view.created_at = pull.created_at;
  view.updated_at = pull.updated_at;
  json out = issue_json(ctx, model, view);
  const std::string number = std::to_string(pull.number);
  out["pull_request"] = {{"url", ctx.api_repo_url() + "/pulls/" + number},
                         {"html_url", ctx.html_repo_url() + "/pull/" + number},
                         {"merged_at", github_time_or_null(pull.merged_at)}};
  return out;
}

json release_json(const GitHubContext& ctx, const Release& release) {
  const std::string id = std::to_string(release.id);
  return {{"url", ctx.api_repo_url() + "/releases/" + id},
          {"html_url", ctx.html_repo_url() + "/releases/tag/" + release.tag_name},
          {"assets_url", ctx.api_repo_url() + "/releases/" + id + "/assets"},
          {"upload_url", ctx.base_url + "/uploads/" + id},
          {"tarball_url", ctx.api_repo_url() + "/tarball/" + release.tag_name},
          {"zipball_url", ctx.api_repo_url() + "/zipball/" + release.tag_name},
          {"id", release.id},
          {"node_id", node_id("RE", release.id)},
          {"tag_name", release.tag_name},
          {"target_commitish", release.target_commitish},
          {"name", release.name.empty() ? json(nullptr) : json(release.name)},
          {"body", release.body.empty() ? json(nullptr) : json(release.body)},
          {"draft", release.draft},
          {"prerelease", release.prerelease},
          {"created_at", github_time(release.created_at)},
          {"published_at", github_time_or_null(release.published_at)},
          {"author", user_json(ctx, release.author)},
          {"assets", json::array()}};
}

json status_json(const GitHubContext& ctx, const CommitStatus& status) {
  return {{"url", ctx.api_repo_url() + "/statuses/" + status.sha},
          {"avatar_url", "https://avatars.githubusercontent.com/in/15368"},
          {"id", status.id},
          {"node_id", node_id("SC", status.id)},
          {"state", status.state},
          {"description", status.description.empty() ? json(nullptr) : json(status.description)},
          {"target_url", status.target_url.empty() ? json(nullptr) : json(status.target_url)},
          {"context", status.context},
          {"created_at", github_time(status.created_at)},
          {"updated_at", github_time(status.created_at)},
          {"creator", user_json(ctx, status.creator)}};
}

json check_run_json(const GitHubContext& ctx, const CheckRun& run) {
  const std::string id = std::to_string(run.id);
  return {{"id", run.id},
          {"head_sha", run.head_sha},
          {"node_id", node_id("CR", run.id)},
          {"external_id", run.external_id},
          {"url", ctx.api_repo_url() + "/check-runs/" + id},
          {"html_url", ctx.html_repo_url() + "/runs/" + id},
          {"details_url", run.details_url.empty() ? json(nullptr) : json(run.details_url)},
          {"status", run.status},
          {"conclusion", run.conclusion.empty() ? json(nullptr) : json(run.conclusion)},
          {"started_at", github_time_or_null(run.started_at)},
          {"completed_at", github_time_or_null(run.completed_at)},
          {"output",
           {{"title", run.output_title.empty() ? json(nullptr) : json(run.output_title)},
            {"summary", run.output_summary.empty() ? json(nullptr) : json(run.output_summary)},
            {"text", nullptr},
            {"annotations_count", 0},
            {"annotations_url", ctx.api_repo_url() + "/check-runs/" + id + "/annotations"}}},
          {"name", run.name},
          {"check_suite", {{"id", run.id}}},
          {"app", {{"id", 15368}, {"slug", "github-actions"}, {"name", "GitHub Actions"}}},
          {"pull_requests", json::array()}};
}

json hook_json(const GitHubContext& ctx, const Hook& hook) {
  const std::string id = std::to_string(hook.id);
  json config = {{"url", hook.url}, {"content_type", hook.content_type}, {"insecure_ssl", "0"}};
  // GitHub never shows a hook's secret again, only that there is one.
  if (!hook.secret.empty()) config["secret"] = "********";
  return {{"type", "Repository"},
          {"id", hook.id},
          {"name", "web"},
          {"active", hook.active},
          {"events", hook.events},
          {"config", config},
          {"updated_at", github_time(hook.updated_at)},
          {"created_at", github_time(hook.created_at)},
          {"url", ctx.api_repo_url() + "/hooks/" + id},
          {"test_url", ctx.api_repo_url() + "/hooks/" + id + "/test"},
          {"ping_url", ctx.api_repo_url() + "/hooks/" + id + "/pings"},
          {"deliveries_url", ctx.api_repo_url() + "/hooks/" + id + "/deliveries"},
          {"last_response",
           {{"code", hook.last_status_code == 0 ? json(nullptr) : json(hook.last_status_code)},
            {"status", hook.last_status_code == 0 ? "unused" : "active"},
            {"message", nullptr}}}};
}

json commit_json(const GitHubContext& ctx, const CommitInfo& commit) {
  json parents = json::array();
  for (const auto& parent : commit.parents) {
    parents.push_back({{"sha", parent},
                       {"url", ctx.api_repo_url() + "/commits/" + parent},
                       {"html_url", ctx.html_repo_url() + "/commit/" + parent}});
  }
  return {{"sha", commit.sha},
          {"node_id", "C_" + commit.sha},
          {"url", ctx.api_repo_url() + "/commits/" + commit.sha},
          {"html_url", ctx.html_repo_url() + "/commit/" + commit.sha},
          {"commit",
           {{"author", person_json(commit)},
            {"committer", person_json(commit)},
            {"message", commit.message},
            {"url", ctx.api_repo_url() + "/git/commits/" + commit.sha}}},
          {"author", nullptr},
          {"committer", nullptr},
          {"parents", parents}};
}

json push_commit_json(const GitHubContext& ctx, const CommitInfo& commit) {
  const json person = {{"name", commit.author_name}, {"email", commit.author_email}};
  return {{"id", commit.sha},
          {"tree_id", nullptr},
          {"distinct", true},
          {"message", commit.message},
          {"timestamp", github_time(commit.authored_at)},
          {"url", ctx.html_repo_url() + "/commit/" + commit.sha},
          {"author", person},
          {"committer", person},
          {"added", json::array()},
          {"removed", json::array()},
          {"modified", json::array()}};
}

json ref_json(const GitHubContext& ctx, const std::string& ref, const std::string& sha) {
  return {
      {"ref", ref},
      {"node_id", "REF_" + base64url_encode(ref)},
      {"url", ctx.api_repo_url() + "/git/" + ref},
      {"object",
       {{"sha", sha}, {"type", "commit"}, {"url", ctx.api_repo_url() + "/git/commits/" + sha}}}};
}

}  // namespace mepsim::fakes::github
