#pragma once
// Internal to the GitHub fake: the JSON shapes GitHub answers and sends in webhooks,
// built from the model. Only the fields clients read are filled with meaning; the rest
// are there with GitHub's types so that strict clients parse them.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fakes/github/git_origin.h"
#include "fakes/github/github_context.h"
#include "fakes/github/github_model.h"
#include "sim/core/clock.h"

namespace mepsim::fakes::github {

// "2026-01-05T08:00:00Z": GitHub's timestamps have no fraction.
std::string github_time(Instant t);
nlohmann::json github_time_or_null(const std::optional<Instant>& t);

nlohmann::json user_json(const GitHubContext& ctx, const std::string& login);
nlohmann::json repository_json(const GitHubContext& ctx);
nlohmann::json label_json(const std::string& name);
nlohmann::json milestone_json(const GitHubContext& ctx, const RepositoryModel& model,
                              const Milestone& milestone);
// `full`: the single-pull shape (merged, mergeable, merged_by…); lists omit those.
nlohmann::json pull_json(const GitHubContext& ctx, const RepositoryModel& model,
                         const PullRequest& pull, bool full);
nlohmann::json issue_json(const GitHubContext& ctx, const RepositoryModel& model,
                          const Issue& issue);
// A pull request seen through the issues API (it carries `pull_request`).
nlohmann::json pull_as_issue_json(const GitHubContext& ctx, const RepositoryModel& model,
                                  const PullRequest& pull);
nlohmann::json release_json(const GitHubContext& ctx, const Release& release);
nlohmann::json status_json(const GitHubContext& ctx, const CommitStatus& status);
nlohmann::json check_run_json(const GitHubContext& ctx, const CheckRun& run);
nlohmann::json hook_json(const GitHubContext& ctx, const Hook& hook);
// The REST commit shape (`GET …/commits/{ref}`, the merges API's 201).
nlohmann::json commit_json(const GitHubContext& ctx, const CommitInfo& commit);
// A commit as a push payload lists it.
nlohmann::json push_commit_json(const GitHubContext& ctx, const CommitInfo& commit);
// {ref, node_id, url, object{sha, type, url}}
nlohmann::json ref_json(const GitHubContext& ctx, const std::string& ref, const std::string& sha);

}  // namespace mepsim::fakes::github
