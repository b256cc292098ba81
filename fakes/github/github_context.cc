#include "fakes/github/github_context.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {

using nlohmann::json;

Txn::Txn(GitHubContext& context) : ctx(context), model(context.model_), lock_(context.mutex_) {}

Txn::~Txn() {
  lock_.unlock();
  // The scheduler takes the control plane's lock, whose tasks take ours: never nest them.
  for (const auto id : ci_runs_started) ctx.schedule_ci_finish(id);
}

GitHubContext::GitHubContext(GitOrigin& git_origin, Rng rng, EventLog& event_log,
                             GitHubFakeOptions opts, const Clock& control_clock,
                             std::string api_token)
    : origin(git_origin),
      events(event_log),
      options(std::move(opts)),
      clock(control_clock),
      token(std::move(api_token)),
      dispatcher(event_log, control_clock, options.delivery_queue_max, options.delivery_log_max,
                 options.delivery_timeout),
      rng_(std::move(rng)) {}

void GitHubContext::publish(Txn&, const std::string& component, const std::string& name,
                            std::vector<Field> fields) {
  events.publish(now(), Plane::control, component, name, std::move(fields));
}

std::string GitHubContext::delivery_guid() {
  const auto high = rng_.next_u64();
  const auto low = rng_.next_u64();
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff),
                static_cast<unsigned long long>(high & 0xfff),
                static_cast<unsigned long long>(((low >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(low & 0xffffffffffffull));
  return text;
}

void GitHubContext::emit_webhook(Txn& txn, const std::string& event, json payload) {
  auto wants = [&](const std::vector<std::string>& wanted) {
    return std::find(wanted.begin(), wanted.end(), event) != wanted.end() ||
           std::find(wanted.begin(), wanted.end(), "*") != wanted.end();
  };
  for (const auto& [id, hook] : txn.model.hooks) {
    if (hook.active && wants(hook.events)) deliver_to_hook(txn, hook, event, payload);
  }
  if (!payload.contains("repository")) payload["repository"] = repository_json(*this);
  if (!payload.contains("sender")) payload["sender"] = user_json(*this, std::string(kTokenUser));
  for (const auto& [id, subscription] : subscriptions_) {
    if (!wants(subscription.events)) continue;
    WebhookJob job;
    job.event = event;
    job.action = payload.value("action", "");
    job.guid = delivery_guid();
    job.payload = payload;
    job.subscription = id;
    job.listener = subscription.listener;
    dispatcher.enqueue(std::move(job));
  }
}

void GitHubContext::deliver_to_hook(Txn&, const Hook& hook, const std::string& event,
                                    json payload) {
  if (!payload.contains("repository")) payload["repository"] = repository_json(*this);
  if (!payload.contains("sender")) payload["sender"] = user_json(*this, std::string(kTokenUser));
  WebhookJob job;
  job.event = event;
  job.action = payload.value("action", "");
  job.guid = delivery_guid();
  job.payload = std::move(payload);
  job.hook_id = hook.id;
  job.url = hook.url;
  job.secret = hook.secret;
  job.content_type = hook.content_type;
  dispatcher.enqueue(std::move(job));
}

SubscriptionId GitHubContext::subscribe(std::vector<std::string> wanted, WebhookListener listener) {
  std::lock_guard lock(mutex_);
  const auto id = next_subscription_++;
  subscriptions_[id] = Subscription{std::move(wanted), std::move(listener)};
  return id;
}

void GitHubContext::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  subscriptions_.erase(id);
}

// ---- Pushes --------------------------------------------------------------------------

namespace {

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";
// GitHub's push payload lists at most this many commits.
constexpr std::size_t kPushCommitsMax = 20;

json push_payload(GitHubContext& ctx, const RefUpdate& update, const std::string& pusher,
                  bool forced) {
  const bool created = update.before == kZeroSha;
  const bool deleted = update.after == kZeroSha;
  json commits = json::array();
  json head_commit = nullptr;
  if (!deleted) {
    if (auto head = ctx.origin.commit(update.after)) head_commit = push_commit_json(ctx, *head);
  }
  if (!deleted && !std::string_view(update.ref).starts_with(kTags)) {
    // A new branch lists what is new relative to the default branch, as GitHub does.
    const std::string from = created ? ctx.origin.default_branch() : update.before;
    if (auto listed = ctx.origin.commits_between(from, update.after)) {
      const auto count = std::min(listed->size(), kPushCommitsMax);
      for (std::size_t i = count; i-- > 0;) commits.push_back(push_commit_json(ctx, (*listed)[i]));
    }
  }
  return {{"ref", update.ref},
          {"before", update.before},
          {"after", update.after},
          {"created", created},
          {"deleted", deleted},
          {"forced", forced},
          {"base_ref", nullptr},
          {"compare", ctx.html_repo_url() + "/compare/" + update.before.substr(0, 12) + "..." +
                          update.after.substr(0, 12)},
          {"commits", commits},
          {"head_commit", head_commit},
          {"pusher", {{"name", pusher}, {"email", pusher + "@users.noreply.github.com"}}},
          {"sender", user_json(ctx, pusher)}};
}

}  // namespace

void GitHubContext::refs_moved(Txn& txn, const std::vector<RefUpdate>& updates,
                               const std::string& pusher) {
  for (const auto& update : updates) {
    const bool created = update.before == kZeroSha;
    const bool deleted = update.after == kZeroSha;
    bool forced = false;
    if (!created && !deleted) {
      const auto ancestor = origin.is_ancestor(update.before, update.after);
      forced = ancestor.ok() && !*ancestor;
    }
    publish(txn, "github", "github.push",
            {{"ref", update.ref},
             {"before", update.before},
             {"after", update.after},
             {"pusher", pusher},
             {"created", created ? "true" : "false"},
             {"deleted", deleted ? "true" : "false"},
             {"forced", forced ? "true" : "false"}});
    if (std::string_view(update.ref).starts_with(kTags)) {
      const std::string tag = update.ref.substr(kTags.size());
      if (created) {
        publish(txn, "github", "github.tag.created",
                {{"tag", tag}, {"sha", update.after}, {"by", pusher}});
      } else if (deleted) {
        publish(txn, "github", "github.tag.deleted", {{"tag", tag}, {"sha", update.before}});
      } else {
        publish(txn, "github", "github.tag.moved",
                {{"tag", tag}, {"before", update.before}, {"sha", update.after}});
      }
    }
    emit_webhook(txn, "push", push_payload(*this, update, pusher, forced));
    if (std::string_view(update.ref).starts_with(kHeads)) branch_moved(txn, update, pusher);
  }
}

void GitHubContext::branch_moved(Txn& txn, const RefUpdate& update, const std::string& pusher) {
  const std::string branch = update.ref.substr(kHeads.size());
  const bool deleted = update.after == kZeroSha;
  if (!deleted) start_ci(txn, update.after, branch);
  for (auto& [number, pull] : txn.model.pulls) {
    if (pull.state != "open") continue;
    if (pull.head_ref == branch) {
      if (deleted) {
        // GitHub closes a pull request whose head branch is deleted.
        pull_closed(txn, pull, "closed");
        continue;
      }
      if (pull.head_sha != update.after) {
        pull.head_sha = update.after;
        pull.updated_at = now();
        publish(txn, "github", "github.pull_request.synchronize",
                {{"number", std::to_string(pull.number)},
                 {"head", pull.head_ref},
                 {"head_sha", pull.head_sha},
                 {"base", pull.base_ref}});
        emit_webhook(txn, "pull_request",
                     {{"action", "synchronize"},
                      {"number", pull.number},
                      {"before", update.before},
                      {"after", update.after},
                      {"pull_request", pull_json(*this, txn.model, pull, true)}});
        start_ci(txn, pull.head_sha, pull.head_ref);
      }
    }
    if (pull.base_ref != branch && pull.head_ref != branch) continue;
    auto base_sha = origin.resolve(std::string(kHeads) + pull.base_ref);
    if (!base_sha) continue;
    pull.base_sha = *base_sha;
    // The implicit merge: every head commit has reached the base.
    const auto merged = origin.is_ancestor(pull.head_sha, *base_sha);
    if (merged.ok() && *merged) pull_merged(txn, pull, pusher, *base_sha, true, update.ref);
  }
}

// ---- Pull request lifecycle ----------------------------------------------------------

std::string GitHubContext::head_branch(const std::string& head) const {
  const auto colon = head.find(':');
  if (colon == std::string::npos) return head;
  if (head.substr(0, colon) != owner()) return "";
  return head.substr(colon + 1);
}

std::variant<int, PullRefusal> GitHubContext::open_pull(Txn& txn, const NewPull& request) {
  const std::string head = head_branch(request.head);
  const auto head_sha = origin.resolve(branch_ref(head));
  if (head.empty() || !head_sha) return PullRefusal{"head", "invalid", ""};
  const auto base_sha = origin.resolve(branch_ref(request.base));
  if (!base_sha) return PullRefusal{"base", "invalid", ""};
  for (const auto& [n, other] : txn.model.pulls) {
    if (other.state == "open" && other.head_ref == head && other.base_ref == request.base) {
      return PullRefusal{"", "custom",
                         "A pull request already exists for " + owner() + ":" + head + "."};
    }
  }
  const auto in_base = origin.is_ancestor(*head_sha, *base_sha);
  if (!in_base || *in_base) {
    return PullRefusal{"", "custom", "No commits between " + request.base + " and " + head};
  }
  if (txn.model.pulls.size() >= options.pulls_max) {
    return PullRefusal{"", "custom", "Too many pull requests"};
  }
  PullRequest pull;
  pull.number = txn.model.next_number++;
  pull.id = next_id(txn);
  pull.title = request.title;
  pull.body = request.body;
  pull.user = std::string(kTokenUser);
  pull.head_ref = head;
  pull.head_sha = *head_sha;
  pull.base_ref = request.base;
  pull.base_sha = *base_sha;
  pull.created_at = pull.updated_at = now();
  auto& stored = txn.model.pulls[pull.number] = pull;
  pull_opened(txn, stored);
  return stored.number;
}

void GitHubContext::pull_opened(Txn& txn, PullRequest& pull) {
  publish(txn, "github", "github.pull_request.opened",
          {{"number", std::to_string(pull.number)},
           {"title", pull.title},
           {"head", pull.head_ref},
           {"head_sha", pull.head_sha},
           {"base", pull.base_ref},
           {"base_sha", pull.base_sha},
           {"user", pull.user}});
  emit_webhook(txn, "pull_request",
               {{"action", "opened"},
                {"number", pull.number},
                {"pull_request", pull_json(*this, txn.model, pull, true)}});
  start_ci(txn, pull.head_sha, pull.head_ref);
}

void GitHubContext::pull_merged(Txn& txn, PullRequest& pull, const std::string& by,
                                const std::string& merge_commit_sha, bool implicit,
                                const std::string& pushed_ref) {
  pull.state = "closed";
  pull.merged = true;
  pull.merged_at = now();
  pull.closed_at = pull.merged_at;
  pull.updated_at = now();
  pull.merged_by = by;
  pull.merge_commit_sha = merge_commit_sha;
  publish(txn, "github", "github.pull_request.merged",
          {{"number", std::to_string(pull.number)},
           {"title", pull.title},
           {"head", pull.head_ref},
           {"head_sha", pull.head_sha},
           {"base", pull.base_ref},
           {"merge_commit_sha", merge_commit_sha},
           {"by", by},
           {"implicit", implicit ? "true" : "false"},
           {"pushed_ref", pushed_ref}});
  emit_webhook(txn, "pull_request",
               {{"action", "closed"},
                {"number", pull.number},
                {"pull_request", pull_json(*this, txn.model, pull, true)},
                {"sender", user_json(*this, by)}});
}

void GitHubContext::pull_closed(Txn& txn, PullRequest& pull, const std::string& action) {
  if (action == "reopened") {
    pull.state = "open";
    pull.closed_at.reset();
  } else {
    pull.state = "closed";
    pull.closed_at = now();
  }
  pull.updated_at = now();
  publish(txn, "github", "github.pull_request." + action,
          {{"number", std::to_string(pull.number)},
           {"head", pull.head_ref},
           {"head_sha", pull.head_sha},
           {"base", pull.base_ref}});
  emit_webhook(txn, "pull_request",
               {{"action", action},
                {"number", pull.number},
                {"pull_request", pull_json(*this, txn.model, pull, true)}});
  if (action == "reopened") start_ci(txn, pull.head_sha, pull.head_ref);
}

// ---- Statuses ------------------------------------------------------------------------

CommitStatus GitHubContext::add_status(Txn& txn, const std::string& sha, const std::string& state,
                                       const std::string& context, const std::string& description,
                                       const std::string& target_url, const std::string& creator) {
  CommitStatus status;
  status.id = next_id(txn);
  status.sha = sha;
  status.state = state;
  status.context = context;
  status.description = description;
  status.target_url = target_url;
  status.creator = creator;
  status.created_at = now();
  auto& list = txn.model.statuses[sha];
  // Bounded per sha (statuses_per_sha_max): the API refuses beyond it; CI's own drop the
  // oldest, which the combined state no longer needs once a newer one of its context exists.
  if (list.size() >= std::max<std::size_t>(1, options.statuses_per_sha_max)) {
    list.erase(list.begin());
  }
  list.push_back(status);
  publish(txn, "github", "github.status",
          {{"sha", sha}, {"state", state}, {"context", context}, {"creator", creator}});
  json branches = json::array();
  if (auto heads = origin.branches()) {
    for (const auto& [name, head] : *heads) {
      if (head != sha) continue;
      branches.push_back({{"name", name},
                          {"commit", {{"sha", sha}, {"url", api_repo_url() + "/commits/" + sha}}},
                          {"protected", false}});
    }
  }
  json commit = nullptr;
  if (auto info = origin.commit(sha)) commit = commit_json(*this, *info);
  emit_webhook(txn, "status",
               {{"id", status.id},
                {"sha", sha},
                {"name", full_name()},
                {"target_url", target_url.empty() ? json(nullptr) : json(target_url)},
                {"context", context},
                {"description", description.empty() ? json(nullptr) : json(description)},
                {"state", state},
                {"commit", commit},
                {"branches", branches},
                {"created_at", github_time(status.created_at)},
                {"updated_at", github_time(status.created_at)}});
  return status;
}

CombinedState GitHubContext::combined_state(Txn& txn, const std::string& sha) const {
  const auto it = txn.model.statuses.find(sha);
  if (it == txn.model.statuses.end() || it->second.empty()) return CombinedState::pending;
  std::map<std::string, std::string> latest;  // context → state of its newest status
  for (const auto& status : it->second) latest[status.context] = status.state;
  bool pending = false;
  for (const auto& [context, state] : latest) {
    if (state == "failure" || state == "error") return CombinedState::failure;
    if (state == "pending") pending = true;
  }
  return pending ? CombinedState::pending : CombinedState::success;
}

void GitHubContext::check_run_changed(Txn& txn, const CheckRun& run, const std::string& action) {
  emit_webhook(txn, "check_run", {{"action", action}, {"check_run", check_run_json(*this, run)}});
}

}  // namespace mepsim::fakes::github
