// The CI model: a run per pushed or pull-requested head commit, its verdict decided when
// it starts (branch override, then `[ci fail]` in the message, then the profile's
// default) and published when its duration has passed on the control plane's clock.

#include <chrono>

#include "fakes/github/ci_checkout.h"
#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

constexpr std::string_view kCiCreator = "github-actions[bot]";

std::string duration_s_text(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

}  // namespace

void GitHubContext::start_ci(Txn& txn, const std::string& sha, const std::string& branch) {
  for (const auto& [id, run] : txn.model.ci_runs) {
    if (run.sha == sha) return;  // a push and its pull request share one run
  }
  CiRun run;
  run.id = next_id(txn);
  run.sha = sha;
  run.branch = branch;
  run.duration = options.ci.duration;
  run.result = options.ci.result;
  run.reason = "default";
  if (const auto it = txn.model.ci_overrides.find(branch); it != txn.model.ci_overrides.end()) {
    run.result = it->second;
    run.reason = "override";
  } else if (auto commit = origin.commit(sha);
             commit.ok() && commit->message.find("[ci fail]") != std::string::npos) {
    run.result = CiResult::failure;
    run.reason = "commit_message";
  }
  CheckRun check;
  check.id = next_id(txn);
  check.name = std::string(kCiCheckName);
  check.head_sha = sha;
  check.status = "in_progress";
  check.started_at = now();
  check.external_id = std::to_string(run.id);
  check.details_url = html_repo_url() + "/actions/runs/" + std::to_string(run.id);
  run.check_run_id = check.id;
  txn.model.check_runs[check.id] = check;
  txn.model.ci_runs[run.id] = run;
  publish(txn, "ci", "ci.started",
          {{"sha", sha},
           {"branch", branch},
           {"run_id", std::to_string(run.id)},
           {"duration_s", duration_s_text(run.duration)}});
  add_status(txn, sha, "pending", std::string(kCiContext), "CI is running", check.details_url,
             std::string(kCiCreator));
  check_run_changed(txn, check, "created");
  txn.ci_runs_started.push_back(run.id);
}

void GitHubContext::seed_ci_success(Txn& txn, const std::string& sha, const std::string& branch) {
  for (const auto& [id, run] : txn.model.ci_runs) {
    if (run.sha == sha) return;
  }
  CiRun run;
  run.id = next_id(txn);
  run.sha = sha;
  run.branch = branch;
  run.reason = "seed";
  run.finished = true;
  CheckRun check;
  check.id = next_id(txn);
  check.name = std::string(kCiCheckName);
  check.head_sha = sha;
  check.status = "completed";
  check.conclusion = "success";
  check.started_at = check.completed_at = now();
  check.external_id = std::to_string(run.id);
  check.details_url = html_repo_url() + "/actions/runs/" + std::to_string(run.id);
  run.check_run_id = check.id;
  txn.model.check_runs[check.id] = check;
  txn.model.ci_runs[run.id] = run;
  CommitStatus status;
  status.id = next_id(txn);
  status.sha = sha;
  status.state = "success";
  status.context = std::string(kCiContext);
  status.description = "CI passed";
  status.target_url = check.details_url;
  status.creator = std::string(kCiCreator);
  status.created_at = now();
  txn.model.statuses[sha].push_back(status);
  publish(txn, "ci", "ci.finished",
          {{"sha", sha},
           {"branch", branch},
           {"run_id", std::to_string(run.id)},
           {"result", "success"},
           {"reason", "seed"},
           {"duration_s", "0"}});
}

bool GitHubContext::set_ci_override(Txn& txn, const std::string& branch,
                                    std::optional<CiResult> result) {
  if (result && !txn.model.ci_overrides.contains(branch) &&
      txn.model.ci_overrides.size() >= kCiOverridesMax) {
    return false;
  }
  if (result) {
    txn.model.ci_overrides[branch] = *result;
  } else {
    txn.model.ci_overrides.erase(branch);
  }
  publish(txn, "ci", "ci.override",
          {{"branch", branch}, {"result", result ? to_string(*result) : "default"}});
  return true;
}

void GitHubContext::schedule_ci_finish(std::uint64_t run_id) {
  if (!options.schedule) return finish_ci(run_id);
  Duration duration{};
  std::string label;
  {
    Txn txn(*this);
    const auto it = txn.model.ci_runs.find(run_id);
    if (it == txn.model.ci_runs.end()) return;
    duration = it->second.duration;
    label = "ci.finish " + it->second.sha.substr(0, 12);
  }
  std::weak_ptr<GitHubContext> weak = weak_from_this();
  options.schedule(duration, label, [weak, run_id] {
    if (auto ctx = weak.lock()) ctx->finish_ci(run_id);
  });
}

void GitHubContext::finish_ci(std::uint64_t run_id) {
  // The real command runs outside the lock: it takes real time, and requests go on.
  std::optional<CiCommandOutcome> outcome;
  std::string command_error;
  if (!options.ci.command.empty()) {
    std::string sha, branch;
    {
      Txn txn(*this);
      const auto it = txn.model.ci_runs.find(run_id);
      if (it == txn.model.ci_runs.end() || it->second.finished) return;
      // An override or `[ci fail]` decides without running anything.
      if (it->second.reason == "default") {
        sha = it->second.sha;
        branch = it->second.branch;
      }
    }
    if (!sha.empty()) {
      auto ran = run_ci_command(origin, options.ci, sha, branch, run_id);
      if (ran) {
        outcome = *ran;
      } else {
        command_error = ran.error().message;
      }
    }
  }
  Txn txn(*this);
  const auto it = txn.model.ci_runs.find(run_id);
  if (it == txn.model.ci_runs.end() || it->second.finished) return;
  auto& run = it->second;
  run.finished = true;
  if (outcome || !command_error.empty()) {
    run.result = outcome && outcome->exit_code == 0 ? CiResult::success : CiResult::failure;
    run.reason = "command";
    publish(txn, "ci", "ci.command",
            {{"sha", run.sha},
             {"run_id", std::to_string(run.id)},
             {"exit_code", outcome ? std::to_string(outcome->exit_code) : ""},
             {"timed_out", outcome && outcome->timed_out ? "true" : "false"},
             {"error", command_error}});
  }
  const bool success = run.result == CiResult::success;
  publish(txn, "ci", "ci.finished",
          {{"sha", run.sha},
           {"branch", run.branch},
           {"run_id", std::to_string(run.id)},
           {"result", to_string(run.result)},
           {"reason", run.reason},
           {"duration_s", duration_s_text(run.duration)}});
  auto check = txn.model.check_runs.find(run.check_run_id);
  std::string details_url;
  if (check != txn.model.check_runs.end()) {
    check->second.status = "completed";
    check->second.conclusion = success ? "success" : "failure";
    check->second.completed_at = now();
    details_url = check->second.details_url;
  }
  add_status(txn, run.sha, success ? "success" : "failure", std::string(kCiContext),
             success ? "CI passed" : "CI failed", details_url, std::string(kCiCreator));
  if (check != txn.model.check_runs.end()) check_run_changed(txn, check->second, "completed");
}

}  // namespace mepsim::fakes::github
