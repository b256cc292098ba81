#pragma once
// Internal to the GitHub fake: what the route files share — the origin, the model under
// one lock, the token, event publication, webhook fan-out, push handling and CI. A route
// handler locks the model through a Txn; what must not run under that lock (the control
// plane's scheduler, a CI run finishing at once) is deferred to the Txn's end.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fakes/common/fake_server.h"
#include "fakes/common/json_fields.h"
#include "fakes/github/git_origin.h"
#include "fakes/github/github_fake.h"
#include "fakes/github/github_model.h"
#include "fakes/github/webhook_dispatcher.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::github {

inline constexpr std::string_view kCiContext = "ci/github-actions";
inline constexpr std::string_view kCiCheckName = "ci";
inline constexpr std::string_view kDocumentationUrl = "https://docs.github.com/rest";
// The login behind the token: who opens, merges and pushes through the API.
inline constexpr std::string_view kTokenUser = "histologe-dev";
inline constexpr std::size_t kCiOverridesMax = 1'000;
inline constexpr std::string_view kZeroSha = "0000000000000000000000000000000000000000";

class GitHubContext;

struct NewPull {
  std::string head;  // "branch" or "owner:branch"
  std::string base, title, body;
};
// Why a pull request cannot be opened: a 422's error ("" field for the whole request).
struct PullRefusal {
  std::string field, code, message;
};

// One locked operation on the model, and what runs once the lock is released.
class Txn {
 public:
  explicit Txn(GitHubContext& ctx);
  ~Txn();  // unlocks, then schedules the CI runs started inside
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  GitHubContext& ctx;
  RepositoryModel& model;
  std::vector<std::uint64_t> ci_runs_started;

 private:
  std::unique_lock<std::mutex> lock_;
};

struct Subscription {
  std::vector<std::string> events;
  WebhookListener listener;
};

class GitHubContext : public std::enable_shared_from_this<GitHubContext> {
 public:
  GitHubContext(GitOrigin& origin, Rng rng, EventLog& events, GitHubFakeOptions options,
                const Clock& control_clock, std::string token);

  GitOrigin& origin;
  EventLog& events;
  const GitHubFakeOptions options;
  const Clock& clock;
  const std::string token;
  WebhookDispatcher dispatcher;
  std::string base_url;  // set once bound, before serving

  Instant now() const { return clock.now(); }
  const std::string& owner() const { return origin.owner(); }
  const std::string& repo() const { return origin.name(); }
  std::string full_name() const { return owner() + "/" + repo(); }
  std::string api_repo_url() const { return base_url + "/repos/" + full_name(); }
  std::string html_repo_url() const { return "https://github.com/" + full_name(); }

  // ---- Under a Txn -------------------------------------------------------------------
  std::uint64_t next_id(Txn& txn) { return txn.model.next_id++; }
  void publish(Txn& txn, const std::string& component, const std::string& name,
               std::vector<Field> fields);
  // Fans `payload` out to the active hooks subscribed to `event` (or "*") and to the
  // C++ subscribers; `sender` and `repository` are added here.
  void emit_webhook(Txn& txn, const std::string& event, nlohmann::json payload);
  // One delivery to one hook whatever its events (the `ping` on creation).
  void deliver_to_hook(Txn& txn, const Hook& hook, const std::string& event,
                       nlohmann::json payload);
  // Every ref a push moved: events, webhooks, implicit merges, synchronize, CI.
  void refs_moved(Txn& txn, const std::vector<RefUpdate>& updates, const std::string& pusher);
  // A CI run for `sha` on `branch`, unless one exists for that sha already.
  void start_ci(Txn& txn, const std::string& sha, const std::string& branch);
  // A finished, green run for a seeded branch head: no webhook, but `ci.finished` (with
  // reason "seed") so that deploying it passes R1.
  void seed_ci_success(Txn& txn, const std::string& sha, const std::string& branch);
  // The result of the next runs on `branch`; nullopt: back to the default. False when
  // kCiOverridesMax branches already have one.
  bool set_ci_override(Txn& txn, const std::string& branch, std::optional<CiResult> result);
  CommitStatus add_status(Txn& txn, const std::string& sha, const std::string& state,
                          const std::string& context, const std::string& description,
                          const std::string& target_url, const std::string& creator);
  CombinedState combined_state(Txn& txn, const std::string& sha) const;
  // "owner:branch" or "branch" → "branch"; "" for another owner.
  std::string head_branch(const std::string& head) const;
  // Opens a pull request as `POST …/pulls` does: its number, or why GitHub refuses it.
  std::variant<int, PullRefusal> open_pull(Txn& txn, const NewPull& request);
  void pull_opened(Txn& txn, PullRequest& pull);
  // Marks `pull` merged (merged_by, merged_at now), publishes and emits the webhook.
  // `pushed_ref`: for an implicit merge, the ref whose push merged it (rule R3).
  void pull_merged(Txn& txn, PullRequest& pull, const std::string& by,
                   const std::string& merge_commit_sha, bool implicit,
                   const std::string& pushed_ref = "");
  void pull_closed(Txn& txn, PullRequest& pull, const std::string& action);
  void check_run_changed(Txn& txn, const CheckRun& run, const std::string& action);

  // Outside any Txn: the end of a CI run after its duration on the control plane's
  // scheduler (at once without one); the task holds the context weakly, so a run due
  // after the fake is gone does nothing.
  void schedule_ci_finish(std::uint64_t run_id);
  void finish_ci(std::uint64_t run_id);

  SubscriptionId subscribe(std::vector<std::string> events, WebhookListener listener);
  void unsubscribe(SubscriptionId id);

 private:
  friend class Txn;
  std::mutex mutex_;
  RepositoryModel model_;
  Rng rng_;                                               // under mutex_
  std::map<SubscriptionId, Subscription> subscriptions_;  // under mutex_
  SubscriptionId next_subscription_ = 1;

  std::string delivery_guid();
  void branch_moved(Txn& txn, const RefUpdate& update, const std::string& pusher);
};

// GitHubFake::seed: pull requests, issues, green CI on the branch heads; once.
Result<void> seed_repository(GitHubContext& ctx, const GitHubSeed& seed);

// ---- Routes --------------------------------------------------------------------------

enum class Access { token, open };

struct GitHubRoute {
  std::string method;
  std::string pattern;
  std::string operation;  // "pulls.get": chaos and journal name
  Access access = Access::token;
  std::function<void(GitHubContext&, FakeExchange&)> handler;
};

// "/repos/([^/]+)/([^/]+)": groups 1 and 2; a route's own groups start at 3.
inline constexpr std::string_view kRepoPattern = "/repos/([^/]+)/([^/]+)";

std::vector<GitHubRoute> pull_routes();
std::vector<GitHubRoute> git_routes();  // refs, merges, commits
std::vector<GitHubRoute> release_routes();
std::vector<GitHubRoute> issue_routes();   // issues and milestones
std::vector<GitHubRoute> status_routes();  // statuses and check runs
std::vector<GitHubRoute> hook_routes();
std::vector<GitHubRoute> admin_routes();  // /_mepsim/ci…
std::vector<GitHubRoute> smart_http_routes();
// Who pushed, for the origin's push listener running inside a receive-pack on this
// thread; the token's user otherwise.
std::string pusher_on_this_thread();

// ---- Answers -------------------------------------------------------------------------

void reply_json(FakeExchange& ex, int status, const nlohmann::json& body);
// {"message": …, "documentation_url": …}
void reply_message(FakeExchange& ex, int status, const std::string& message);
// 422 {"message":"Validation Failed","errors":[{resource, field, code(, message)}]}
void reply_validation(FakeExchange& ex, const std::string& resource, const std::string& field,
                      const std::string& code, const std::string& message = "");
// 422 {"message":"Invalid request.\n\n…"} for fields of the wrong type or missing.
void reply_invalid_fields(FakeExchange& ex, const FieldErrors& errors);

// True when the path's owner/repo is the origin's (GitHub compares case-insensitively);
// otherwise answers 404 first.
bool require_repo(GitHubContext& ctx, FakeExchange& ex);
// The body as a JSON object, or nullopt after answering 400.
std::optional<nlohmann::json> read_body(FakeExchange& ex);
// The path's n-th group as a positive number, or nullopt after answering 404.
std::optional<int> path_number(FakeExchange& ex, std::size_t group);
// "refs/heads/" + name, and the branch name of such a ref ("" for any other).
std::string branch_ref(const std::string& branch);
// `per_page` (1..100, default 30) and `page` applied, with a Link header when more.
nlohmann::json paginate(FakeExchange& ex, std::vector<nlohmann::json> items);

}  // namespace mepsim::fakes::github
