#pragma once
// The GitHub fake: the REST subset the release procedure uses (FACTS.md), over the git
// origin, with GitHub's semantics and shapes, so that `git` and `@octokit/rest` work
// against it unchanged. One server holds both: the git smart HTTP at
// `/{owner}/{repo}.git/…` (reads anonymous, pushes with HTTP Basic whose password is
// the token) and the REST API at the root (octokit's baseUrl = base_url()).
//
// What it models beyond the routes:
// - a pull request becomes merged when a push brings its head commits into its base
//   (the implicit merge PROCEDURE.md warns about), published with `implicit=true`;
// - CI: every push of a branch and every opened or synchronized pull request starts a run
//   for the head commit: status `pending` (context `ci/github-actions`) and an
//   in-progress check run, then `success`/`failure` after the run's duration, scheduled
//   on the control plane's scheduler (virtual time, deterministic). The result is the
//   branch's override (`mepsim ci`, set_ci_override), else failure when the commit
//   message contains `[ci fail]`, else the profile's default;
// - webhooks (`push`, `pull_request`, `status`, `check_run`) delivered over HTTP with
//   `X-Hub-Signature-256` to the hooks created through the API, and to C++ subscribers,
//   in order, from one background thread, never while the model is locked.
//
// Control-plane events (component "github" and "ci"), with shas, refs, numbers and states
// as fields, for the procedure's rules: github.push, github.tag.created,
// github.pull_request.{opened,synchronize,closed,merged,reopened}, ci.started,
// ci.finished, github.status, github.release.{created,edited},
// github.milestone.{created,edited,closed,opened}, github.tag.{created,deleted,moved},
// github.issue.{opened,assigned,milestoned,demilestoned,closed,reopened,edited},
// github.webhook.{delivered,failed,dropped} (data plane: they follow real time).
//
// Thread-safety: every public member may be called from any thread. Requests run on
// the server's threads; CI completions run wherever the scheduler runs its tasks.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "fakes/github/git_origin.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::github {

enum class CiResult { success, failure };
const char* to_string(CiResult result);
// "success" | "failure"; anything else is invalid_input.
Result<CiResult> ci_result_from_string(const std::string& text);

// The profile's `repository.ci`: what a run gives when nothing overrides it.
struct CiDefaults {
  CiResult result = CiResult::success;
  Duration duration = std::chrono::minutes(3);
  // Optional real command run in a checkout of the commit (exit code 0: success); "" for
  // none. Bounded by `command_timeout`, on real time.
  std::string command;
  Duration command_timeout = std::chrono::minutes(5);
};

// Runs `task` after `delay` of control-plane time; `label` names it in the scheduler.
using ScheduleFn =
    std::function<void(Duration delay, std::string label, std::function<void()> task)>;

struct GitHubFakeOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one; port() tells which
  // The token the API and pushes accept; "" draws a `ghp_…` one from the Rng.
  std::string token;
  // The platform's clock: timestamps, CI durations. Null: a RealClock of the fake's own.
  const Clock* control_clock = nullptr;
  // Handler latency (real time); null: an unscaled RealClock of the server's own.
  Clock* latency_clock = nullptr;
  // The control plane's scheduler. Null: CI runs finish at once (duration ignored),
  // inside the call that started them — for tests without a scheduler.
  ScheduleFn schedule;
  CiDefaults ci;
  Chaos* chaos = nullptr;  // null: no chaos
  int threads = 8;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
  // Webhook deliveries waiting for the delivery thread; when full, the oldest waiting one
  // is dropped and counted (a slow subscriber must not grow memory without bound).
  std::size_t delivery_queue_max = 1'024;
  // Deliveries kept for deliveries() (and the admin API), oldest first out.
  std::size_t delivery_log_max = 1'024;
  // One delivery waits at most this long for the subscriber (GitHub: 10 s), real time.
  Duration delivery_timeout = std::chrono::seconds(10);
  // Model bounds: creating beyond them is a 422 / capacity error, never unbounded growth.
  std::size_t pulls_max = 10'000;
  std::size_t issues_max = 10'000;
  std::size_t milestones_max = 1'000;
  std::size_t releases_max = 1'000;
  std::size_t hooks_max = 20;                // GitHub's per-repository limit
  std::size_t statuses_per_sha_max = 1'000;  // GitHub's limit per sha and context set
  std::size_t check_runs_max = 100'000;
};

// Seeding from the profile: pull requests on branches the origin already has.
struct PullRequestSeed {
  int number = 0;  // 0: the next free number; else unique (issues number after them all)
  std::string title;
  std::string head;  // branch name
  std::string base;  // branch name
  std::string body;
  std::vector<std::string> labels;  // "feature", "bug"… (generate-notes sorts by them)
  std::string user = "histologe-dev";
  // open: as is; merged: head merged into base now (git merge) unless already in it, then
  // closed with merged_at; closed: closed unmerged.
  std::string state = "open";
};
struct IssueSeed {
  std::string title;
  std::vector<std::string> labels;
  std::string state = "open";
};
struct GitHubSeed {
  std::vector<PullRequestSeed> pulls;  // in this order (merges happen in it)
  std::vector<IssueSeed> issues;
};

// A pull request as the model holds it (what the wiring reads, e.g. for review apps).
struct PullRequestView {
  int number = 0;
  std::string title;
  std::string state;  // "open" | "closed"
  bool merged = false;
  std::optional<Instant> merged_at;
  std::string merged_by;
  std::string head_ref, head_sha, base_ref, base_sha;
  std::vector<std::string> labels;
  std::string user;
};

// The latest CI verdict of a commit: GitHub's combined state over its statuses.
enum class CombinedState { pending, success, failure };
const char* to_string(CombinedState state);

struct WebhookDelivery {
  std::uint64_t id = 0;
  std::string guid;     // X-GitHub-Delivery
  std::string event;    // X-GitHub-Event
  std::string action;   // payload.action, "" for push/status
  std::string target;   // the hook's URL, or "c++:<subscription id>"
  int status_code = 0;  // the subscriber's answer; 0 when none came
  std::string error;    // why it failed, "" when delivered (2xx)
  Instant at{};         // control-plane time it was sent
};

struct DeliveryStats {
  std::uint64_t queued = 0;     // waiting now
  std::uint64_t delivered = 0;  // 2xx
  std::uint64_t failed = 0;     // another status, no answer, or a throwing listener
  std::uint64_t dropped = 0;    // pushed out of a full queue
};

// A C++ subscriber (the wiring's Scalingo integration): runs on the delivery thread with
// the event name and the payload, as a hook would receive them.
using WebhookListener =
    std::function<void(const std::string& event, const nlohmann::json& payload)>;
using SubscriptionId = std::uint64_t;

class GitHubFake {
 public:
  // `origin` and `events` must outlive the fake. `rng` should be its own stream
  // (`run_rng.fork("github")`). Installs the origin's push listener.
  GitHubFake(GitOrigin& origin, Rng rng, EventLog& events, GitHubFakeOptions options = {});
  ~GitHubFake();  // stops
  GitHubFake(const GitHubFake&) = delete;
  GitHubFake& operator=(const GitHubFake&) = delete;

  // Pull requests and issues; seeded merged PRs get merged_at, and every branch head's CI
  // is already success (no run, no webhook). Call before start(); twice is `conflict`.
  Result<void> seed(const GitHubSeed& seed);

  // Binds, then serves on background threads and starts the delivery thread.
  Result<void> start();
  // Stops serving, drops pending deliveries (counted), joins threads. Idempotent.
  void stop();

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT": octokit's baseUrl
  std::string git_url() const;   // base_url() + "/MTES-MCT/histologe.git"
  const std::string& token() const;
  const RequestJournal& journal() const;
  // The journal the admin API pages and clears; conflict before start().
  Result<RequestJournal*> mutable_journal();

  // ---- C++ side of the API (what the wiring and scenario steps call) -----------------
  SubscriptionId subscribe(std::vector<std::string> events, WebhookListener listener);
  void unsubscribe(SubscriptionId id);

  // `mepsim ci --branch B --result R`: the result of the next runs on branch B; nullopt
  // goes back to the default. Also at `PUT /_mepsim/ci/branches/{branch}`.
  void set_ci_override(const std::string& branch, std::optional<CiResult> result);
  std::map<std::string, CiResult> ci_overrides() const;

  // GitHub's combined state of a ref's statuses; not_found for an unknown ref.
  Result<CombinedState> combined_status(const std::string& ref) const;

  std::vector<PullRequestView> pull_requests() const;
  Result<PullRequestView> pull_request(int number) const;  // not_found
  // Opens a pull request as `POST /pulls` does (events, webhook, CI).
  Result<PullRequestView> open_pull_request(const std::string& head, const std::string& base,
                                            const std::string& title);

  std::vector<WebhookDelivery> deliveries() const;
  DeliveryStats delivery_stats() const;
  // Blocks (real time) until no delivery is queued or in flight; false on timeout.
  bool wait_deliveries_idle(Duration timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::github
