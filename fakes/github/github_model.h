#pragma once
// Internal to the GitHub fake: what the repository holds besides git objects — pull
// requests, issues, milestones, releases, statuses, check runs, hooks, CI runs. Plain
// data; GitHubContext locks it and keeps it consistent with the origin.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/github/github_fake.h"
#include "sim/core/clock.h"

namespace mepsim::fakes::github {

struct PullRequest {
  int number = 0;
  std::uint64_t id = 0;
  std::string title, body, user;
  std::string state = "open";  // "open" | "closed"
  bool merged = false;
  std::optional<Instant> merged_at, closed_at;
  std::string merged_by;
  std::string merge_commit_sha;
  std::string head_ref, head_sha, base_ref, base_sha;
  std::vector<std::string> labels;
  std::optional<int> milestone;
  std::vector<std::string> assignees;
  Instant created_at{}, updated_at{};
};

struct Issue {
  int number = 0;
  std::uint64_t id = 0;
  std::string title, body, user;
  std::string state = "open";  // "open" | "closed"
  std::string state_reason;    // "completed" | "not_planned" | "reopened" | ""
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
  std::optional<int> milestone;
  std::optional<Instant> closed_at;
  Instant created_at{}, updated_at{};
};

struct Milestone {
  int number = 0;
  std::uint64_t id = 0;
  std::string title, description, creator;
  std::string state = "open";
  std::optional<std::string> due_on;
  std::optional<Instant> closed_at;
  Instant created_at{}, updated_at{};
};

struct Release {
  std::uint64_t id = 0;
  std::string tag_name, target_commitish, name, body, author;
  bool draft = false, prerelease = false;
  Instant created_at{};
  std::optional<Instant> published_at;
};

struct CommitStatus {
  std::uint64_t id = 0;
  std::string sha, state, context, description, target_url, creator;
  Instant created_at{};
};

struct CheckRun {
  std::uint64_t id = 0;
  std::string name, head_sha, status, conclusion, details_url, external_id;
  std::string output_title, output_summary;
  std::optional<Instant> started_at, completed_at;
};

struct Hook {
  std::uint64_t id = 0;
  std::string url, content_type, secret;  // content_type "json" | "form"
  std::vector<std::string> events;        // "*" for all
  bool active = true;
  Instant created_at{}, updated_at{};
  int last_status_code = 0;  // 0 until the first delivery answered
};

struct CiRun {
  std::uint64_t id = 0;
  std::string sha, branch;
  CiResult result = CiResult::success;
  std::string reason;  // "override" | "commit_message" | "default" | "command"
  Duration duration{};
  std::uint64_t check_run_id = 0;
  bool finished = false;
};

struct RepositoryModel {
  int next_number = 1;  // pull requests and issues share GitHub's number space
  int next_milestone = 1;
  std::uint64_t next_id = 1000;  // ids of every other kind of object
  std::map<int, PullRequest> pulls;
  std::map<int, Issue> issues;
  std::map<int, Milestone> milestones;
  std::vector<Release> releases;                              // creation order
  std::map<std::string, std::vector<CommitStatus>> statuses;  // sha → oldest first
  std::map<std::uint64_t, CheckRun> check_runs;
  std::map<std::uint64_t, Hook> hooks;
  std::map<std::uint64_t, CiRun> ci_runs;
  std::map<std::string, CiResult> ci_overrides;  // branch → result of its next runs
  bool seeded = false;
};

}  // namespace mepsim::fakes::github
