// `github:` steps: the REST calls the procedure's engineer makes (octokit's), checked
// against the status the scenario expects (2xx unless it says otherwise).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "fakes/github/git_origin.h"
#include "harness/runner/github_rest.h"
#include "harness/runner/repository_steps.h"
#include "harness/topology/github_wiring.h"

namespace mepsim::runner {
namespace {

using nlohmann::json;

struct Call {
  std::string what;  // "close PR #1141"
  Result<RestReply> reply;
  std::string measured;  // what a passing step reports
};

GithubRest rest(RunContext& ctx) {
  const auto& repository = ctx.topology.github()->repository();
  return GithubRest(ctx.env_value("GITHUB_API_URL"), ctx.env_value("GITHUB_TOKEN"),
                    repository.owner, repository.name);
}

bool ok(const Result<RestReply>& reply) {
  return reply && reply->status >= 200 && reply->status < 300;
}

std::string why(const Result<RestReply>& reply) {
  if (!reply) return reply.error().message;
  const std::string message = reply->body.is_object() ? reply->body.value("message", "") : "";
  return fmt::format("GitHub answered {}{}", reply->status,
                     message.empty() ? "" : " \"" + message + "\"");
}

Call open_pull(RunContext& ctx, const scenario::OpenPullRequest& a) {
  const std::string what = fmt::format("open a PR {} → {}", a.head, a.base);
  auto created =
      rest(ctx).call("POST", "/pulls", {{"title", a.title}, {"head", a.head}, {"base", a.base}});
  if (!ok(created) || a.labels.empty()) return {what, std::move(created), ""};
  const int number = created->body.value("number", 0);
  auto labelled =
      rest(ctx).call("PATCH", fmt::format("/issues/{}", number), {{"labels", a.labels}});
  if (!ok(labelled)) return {what + " (labels)", std::move(labelled), ""};
  return {what, std::move(created), fmt::format("PR #{}", number)};
}

Call create_tag(RunContext& ctx, const scenario::CreateTag& a) {
  const std::string what = fmt::format("tag {} on {}", a.name, a.ref);
  auto sha = ctx.topology.github()->origin().resolve(a.ref);
  if (!sha) return {what, sha.error(), ""};
  return {
      what,
      rest(ctx).call("POST", "/git/refs", {{"ref", "refs/tags/" + a.name}, {"sha", sha.value()}}),
      sha->substr(0, 7)};
}

Call create_release(RunContext& ctx, const scenario::CreateRelease& a) {
  const std::string what = "release " + a.tag;
  std::string body = a.body.value_or("");
  if (a.generate_notes) {
    json ask = {{"tag_name", a.tag}};
    if (a.previous_tag) ask["previous_tag_name"] = *a.previous_tag;
    auto notes = rest(ctx).call("POST", "/releases/generate-notes", ask);
    if (!ok(notes)) return {what + " (generate-notes)", std::move(notes), ""};
    body = notes->body.value("body", "");
  }
  return {
      what,
      rest(ctx).call("POST", "/releases", {{"tag_name", a.tag}, {"name", a.tag}, {"body", body}}),
      fmt::format("{} bytes of notes", body.size())};
}

// PRs merged since `tag`: those whose merge commit the tag does not contain.
Result<std::vector<int>> merged_since(RunContext& ctx, const std::string& tag) {
  auto pulls = rest(ctx).call("GET", "/pulls?state=closed&per_page=100");
  if (!ok(pulls)) return make_error(ErrorCode::unavailable, why(pulls));
  std::vector<int> numbers;
  auto& origin = ctx.topology.github()->origin();
  for (const auto& pull : pulls->body) {
    if (!pull.value("merged_at", json()).is_string()) continue;
    const auto& sha = pull.value("merge_commit_sha", json());
    if (!sha.is_string()) continue;
    auto contained = origin.is_ancestor(sha.get<std::string>(), tag);
    if (contained && !contained.value()) numbers.push_back(pull.value("number", 0));
  }
  return numbers;
}

Call create_milestone(RunContext& ctx, const scenario::CreateMilestone& a) {
  const std::string what = "milestone " + a.title;
  auto created = rest(ctx).call("POST", "/milestones", {{"title", a.title}});
  if (!ok(created)) return {what, std::move(created), ""};
  const int milestone = created->body.value("number", 0);
  std::vector<int> issues = a.issues;
  if (a.since_tag) {
    auto merged = merged_since(ctx, *a.since_tag);
    if (!merged) return {what, merged.error(), ""};
    issues.insert(issues.end(), merged->begin(), merged->end());
  }
  for (const int number : issues) {
    auto closed = rest(ctx).call("PATCH", fmt::format("/issues/{}", number),
                                 {{"milestone", milestone}, {"state", "closed"}});
    if (!ok(closed)) return {fmt::format("{} (closing #{})", what, number), std::move(closed), ""};
  }
  return {what, std::move(created),
          fmt::format("{} ticket(s) closed: {}", issues.size(), fmt::join(issues, ", "))};
}

Call act(RunContext& ctx, const scenario::GithubAction& action) {
  return std::visit(
      [&](const auto& a) -> Call {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, scenario::OpenPullRequest>) {
          return open_pull(ctx, a);
        } else if constexpr (std::is_same_v<A, scenario::ClosePullRequest>) {
          return {
              fmt::format("close PR #{}", a.number),
              rest(ctx).call("PATCH", fmt::format("/pulls/{}", a.number), {{"state", "closed"}}),
              ""};
        } else if constexpr (std::is_same_v<A, scenario::MergePullRequest>) {
          return {fmt::format("merge PR #{}", a.number),
                  rest(ctx).call("PUT", fmt::format("/pulls/{}/merge", a.number), json::object()),
                  ""};
        } else if constexpr (std::is_same_v<A, scenario::CreateTag>) {
          return create_tag(ctx, a);
        } else if constexpr (std::is_same_v<A, scenario::CreateRelease>) {
          return create_release(ctx, a);
        } else {
          return create_milestone(ctx, a);
        }
      },
      action);
}

}  // namespace

StepOutcome run_github_step(const scenario::GithubStep& step, RunContext& ctx) {
  if (!ctx.topology.github()) return StepOutcome::fail("the profile has no repository");
  Call call = act(ctx, step.action);
  ctx.settle();
  if (!call.reply) return StepOutcome::fail(call.what + ": " + call.reply.error().message);
  const int status = call.reply->status;
  if (status < step.expect_status_min || status > step.expect_status_max) {
    const std::string expected =
        step.expect_status_min == step.expect_status_max
            ? std::to_string(step.expect_status_min)
            : fmt::format("{}..{}", step.expect_status_min, step.expect_status_max);
    return StepOutcome::fail(
        fmt::format("{}: {}, expected {}", call.what, why(call.reply), expected));
  }
  return StepOutcome::pass(call.measured);
}

}  // namespace mepsim::runner
