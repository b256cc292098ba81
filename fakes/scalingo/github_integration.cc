#include "fakes/scalingo/github_integration.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "fakes/common/hmac.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::scalingo {
namespace {

// Deployments and review apps only ever come from these events; the others are
// acknowledged (202) and left alone.
constexpr std::string_view kEventsActedOn[] = {"push", "pull_request", "status", "check_run",
                                               "check_suite"};

// A string field of an object, "" when absent or of another type: payloads come from the
// outside and must never throw.
std::string text_of(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return "";
  return found->get<std::string>();
}

const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

int number_of(const nlohmann::json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_number_integer()) return 0;
  const auto n = value.get<std::int64_t>();
  return n > 0 && n < 1'000'000'000 ? static_cast<int>(n) : 0;
}

// The repository of a payload: owner login and name.
std::pair<std::string, std::string> repository_of(const nlohmann::json& payload) {
  const auto& repository = member(payload, "repository");
  std::string owner = text_of(member(repository, "owner"), "login");
  std::string name = text_of(repository, "name");
  const std::string full = text_of(repository, "full_name");
  if ((owner.empty() || name.empty()) && full.find('/') != std::string::npos) {
    owner = full.substr(0, full.find('/'));
    name = full.substr(full.find('/') + 1);
  }
  return {owner, name};
}

std::string branch_key(const std::string& owner, const std::string& repo,
                       const std::string& branch) {
  return owner + "/" + repo + ":" + branch;
}

std::string review_app_name(const std::string& parent, int number) {
  return fmt::format("{}-pr{}", parent, number);
}

}  // namespace

// ---- GitHub's REST API ----------------------------------------------------------------

GithubRestReader::GithubRestReader(GithubRestOptions options) : options_(std::move(options)) {
  while (!options_.api_url.empty() && options_.api_url.back() == '/') options_.api_url.pop_back();
}

Result<nlohmann::json> GithubRestReader::call(const std::string& method, const std::string& path,
                                              const std::string& body) {
  auto url = parse_http_url(options_.api_url + path);
  if (!url) return url.error();
  HttpExchange exchange;
  exchange.method = method;
  exchange.url = url.value();
  exchange.timeout = options_.timeout;
  exchange.headers = {{"Authorization", "token " + options_.token},
                      {"Accept", "application/vnd.github+json"},
                      {"User-Agent", "Scalingo GitHub integration (mepsim)"}};
  if (!body.empty()) {
    exchange.headers.emplace_back("Content-Type", "application/json");
    exchange.body = body;
  }
  auto reply = http_exchange(exchange);
  if (!reply) return reply.error().context("GitHub API " + method + " " + path);
  if (reply->status < 200 || reply->status > 299) {
    const ErrorCode code = reply->status == 404   ? ErrorCode::not_found
                           : reply->status == 422 ? ErrorCode::invalid_input
                                                  : ErrorCode::unavailable;
    return make_error(code, fmt::format("GitHub API {} {}: HTTP {}", method, path, reply->status));
  }
  auto json = nlohmann::json::parse(reply->body, nullptr, false);
  if (json.is_discarded()) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("GitHub API {} {}: the answer is not JSON", method, path));
  }
  return json;
}

Result<std::string> GithubRestReader::combined_state(const std::string& owner,
                                                     const std::string& repo,
                                                     const std::string& sha) {
  auto status = call("GET", fmt::format("/repos/{}/{}/commits/{}/status", url_encode(owner),
                                        url_encode(repo), url_encode(sha)));
  if (!status) return status.error();
  const std::string state = text_of(status.value(), "state");
  if (state != "pending" && state != "success" && state != "failure" && state != "error") {
    return make_error(ErrorCode::unavailable,
                      "GitHub API: combined status of " + sha + " has no known state");
  }
  return state;
}

Result<std::vector<OpenPullRequest>> GithubRestReader::open_pull_requests(const std::string& owner,
                                                                          const std::string& repo) {
  auto pulls =
      call("GET", fmt::format("/repos/{}/{}/pulls?state=open&per_page={}", url_encode(owner),
                              url_encode(repo), GithubIntegration::kPullRequestsSyncedMax));
  if (!pulls) return pulls.error();
  if (!pulls->is_array()) return make_error(ErrorCode::unavailable, "GitHub API: pulls not a list");
  std::vector<OpenPullRequest> out;
  for (const auto& pull : pulls.value()) {
    OpenPullRequest p;
    p.number = number_of(pull, "number");
    p.head_ref = text_of(member(pull, "head"), "ref");
    p.head_sha = text_of(member(pull, "head"), "sha");
    p.base_ref = text_of(member(pull, "base"), "ref");
    if (p.number > 0 && !p.head_sha.empty()) out.push_back(std::move(p));
  }
  return out;
}

std::string GithubRestReader::source_url(const std::string& owner, const std::string& repo,
                                         const std::string& sha) const {
  return fmt::format("{}/repos/{}/{}/tarball/{}", options_.api_url, owner, repo, sha);
}

Result<std::int64_t> GithubRestReader::create_hook(const std::string& owner,
                                                   const std::string& repo,
                                                   const std::string& callback_url,
                                                   const std::string& secret) {
  const nlohmann::json body = {
      {"name", "web"},
      {"active", true},
      {"events", {"push", "pull_request", "status", "check_run"}},
      {"config", {{"url", callback_url}, {"content_type", "json"}, {"secret", secret}}}};
  auto hook = call("POST", fmt::format("/repos/{}/{}/hooks", url_encode(owner), url_encode(repo)),
                   body.dump());
  if (!hook) return hook.error().context("subscribing to " + owner + "/" + repo);
  const auto& id = member(hook.value(), "id");
  return id.is_number_integer() ? id.get<std::int64_t>() : 0;
}

// ---- the integration ------------------------------------------------------------------

// What scheduled deletions share with the integration, and may outlive it.
struct GithubIntegration::Shared {
  std::mutex mutex;
  // Review app → the generation of its pending deletion; a reopened pull request bumps
  // it, so that the deletion scheduled before finds itself stale. One entry per review
  // app at most.
  std::map<std::string, std::uint64_t> deletions;
  std::uint64_t next_generation = 1;
};

GithubIntegration::GithubIntegration(platform::Platform& platform, GithubReader& github,
                                     std::string webhook_secret)
    : platform_(platform),
      github_(github),
      secret_(std::move(webhook_secret)),
      shared_(std::make_shared<Shared>()) {}

GithubIntegration::~GithubIntegration() = default;

std::string GithubIntegration::signature_of(const std::string& body) const {
  return "sha256=" + to_hex(hmac_sha256(secret_, body));
}

WebhookAnswer GithubIntegration::receive(const std::string& event,
                                         const std::string& signature_header,
                                         const std::string& body) {
  if (signature_header.empty() || !constant_time_equal(signature_header, signature_of(body))) {
    return {401, R"({"error":"X-Hub-Signature-256 missing or not signed with the hook's secret"})"};
  }
  auto payload = nlohmann::json::parse(body, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return {400, R"({"error":"the body is not a JSON object"})"};
  }
  if (event == "ping") return {200, R"({"ok":true})"};
  if (std::find(std::begin(kEventsActedOn), std::end(kEventsActedOn), event) ==
      std::end(kEventsActedOn)) {
    return {202, R"({"ignored":true})"};
  }
  if (event == "push") {
    on_push(payload);
  } else if (event == "pull_request") {
    on_pull_request(payload);
  } else {
    // status: {sha}; check_run/check_suite: {check_run|check_suite: {head_sha}}.
    std::string sha = text_of(payload, "sha");
    if (sha.empty()) sha = text_of(member(payload, "check_run"), "head_sha");
    if (sha.empty()) sha = text_of(member(payload, "check_suite"), "head_sha");
    const auto [owner, repo] = repository_of(payload);
    if (!sha.empty()) on_checks_changed(owner, repo, sha);
  }
  return {200, R"({"ok":true})"};
}

void GithubIntegration::publish(std::string name, std::vector<Field> fields) {
  platform_.publish_event(std::move(name), std::move(fields));
}

std::vector<platform::App> GithubIntegration::linked_apps(const std::string& owner,
                                                          const std::string& repo) const {
  std::vector<platform::App> out;
  for (auto& app : platform_.apps()) {
    if (!app.scm_link || !app.parent_app_name.empty()) continue;
    if (app.scm_link->owner == owner && app.scm_link->repo == repo) out.push_back(std::move(app));
  }
  return out;
}

void GithubIntegration::on_push(const nlohmann::json& payload) {
  const std::string ref = text_of(payload, "ref");
  const std::string sha = text_of(payload, "after");
  constexpr std::string_view kHeads = "refs/heads/";
  // Tags and deleted branches deploy nothing.
  if (!ref.starts_with(kHeads) || sha.empty() || member(payload, "deleted") == true ||
      sha.find_first_not_of('0') == std::string::npos) {
    return;
  }
  const std::string branch = ref.substr(kHeads.size());
  const auto [owner, repo] = repository_of(payload);
  std::vector<std::string> waiting;
  const auto apps = linked_apps(owner, repo);
  {
    std::lock_guard lock(mutex_);
    latest_sha_[branch_key(owner, repo, branch)] = sha;
    for (const auto& app : apps) {
      if (app.scm_link->branch != branch || !app.scm_link->auto_deploy_enabled) continue;
      awaiting_[app.name] = Awaiting{sha, branch, owner, repo};
      waiting.push_back(app.name);
    }
  }
  for (const auto& app : waiting) {
    publish("scm.push_received", {{"app", app}, {"branch", branch}, {"sha", sha}});
    // The checks may already be done (a re-push of a tested commit): look at once.
    evaluate(app);
  }
}

void GithubIntegration::on_checks_changed(const std::string& owner, const std::string& repo,
                                          const std::string& sha) {
  std::vector<std::string> apps;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [app, awaiting] : awaiting_) {
      if (awaiting.sha == sha && awaiting.owner == owner && awaiting.repo == repo) {
        apps.push_back(app);
      }
    }
  }
  for (const auto& app : apps) evaluate(app);
}

void GithubIntegration::evaluate(const std::string& app) {
  Awaiting awaiting;
  {
    std::lock_guard lock(mutex_);
    const auto found = awaiting_.find(app);
    if (found == awaiting_.end()) return;
    awaiting = found->second;
  }
  auto state = github_.combined_state(awaiting.owner, awaiting.repo, awaiting.sha);
  const std::vector<Field> about = {
      {"app", app}, {"branch", awaiting.branch}, {"sha", awaiting.sha}};
  const auto with = [&](std::vector<Field> more) {
    std::vector<Field> fields = about;
    fields.insert(fields.end(), more.begin(), more.end());
    return fields;
  };
  if (!state) {
    // Still awaiting: the next status or check run looks again.
    publish("scm.checks_unreachable", with({{"error", state.error().message}}));
    return;
  }
  if (state.value() == "pending") {
    publish("scm.awaiting_checks", with({{"state", "pending"}}));
    return;
  }
  bool latest = false;
  {
    std::lock_guard lock(mutex_);
    const auto found = awaiting_.find(app);
    // Another delivery already decided for this commit, or a newer push replaced it.
    if (found == awaiting_.end() || found->second.sha != awaiting.sha) return;
    awaiting_.erase(found);
    const auto head = latest_sha_.find(branch_key(awaiting.owner, awaiting.repo, awaiting.branch));
    latest = head != latest_sha_.end() && head->second == awaiting.sha;
  }
  if (state.value() != "success") {
    publish("scm.deploy_skipped", with({{"state", state.value()},
                                        {"reason", "the commit's checks are " + state.value()}}));
    return;
  }
  if (!latest) {
    publish("scm.deploy_skipped",
            with({{"state", "success"}, {"reason", "a newer commit was pushed to the branch"}}));
    return;
  }
  const std::string source = github_.source_url(awaiting.owner, awaiting.repo, awaiting.sha);
  auto deployment = platform_.deploy(app, awaiting.sha, source);
  if (!deployment) {
    publish("scm.deploy_skipped",
            with({{"state", "success"}, {"reason", deployment.error().message}}));
    return;
  }
  publish("scm.auto_deploy", with({{"deployment", deployment->id}}));
}

void GithubIntegration::on_pull_request(const nlohmann::json& payload) {
  const std::string action = text_of(payload, "action");
  const auto& pull = member(payload, "pull_request");
  OpenPullRequest p;
  p.number = number_of(payload, "number");
  if (p.number == 0) p.number = number_of(pull, "number");
  p.head_ref = text_of(member(pull, "head"), "ref");
  p.head_sha = text_of(member(pull, "head"), "sha");
  p.base_ref = text_of(member(pull, "base"), "ref");
  if (p.number == 0) return;
  const auto [owner, repo] = repository_of(payload);
  for (const auto& parent : linked_apps(owner, repo)) {
    if (action == "closed") {
      close_review_app(parent, p.number);
      continue;
    }
    if (!parent.scm_link->deploy_review_apps_enabled || p.head_sha.empty()) continue;
    if (action == "opened" || action == "reopened" || action == "synchronize") {
      open_review_app(parent, p, owner, repo);
    }
  }
}

void GithubIntegration::open_review_app(const platform::App& parent, const OpenPullRequest& pull,
                                        const std::string& owner, const std::string& repo) {
  const std::string name = review_app_name(parent.name, pull.number);
  {
    // A pull request reopened before its review app was deleted keeps it.
    std::lock_guard lock(shared_->mutex);
    shared_->deletions.erase(name);
  }
  const std::vector<Field> fields = {{"app", name},
                                     {"parent", parent.name},
                                     {"pull_request", std::to_string(pull.number)},
                                     {"sha", pull.head_sha}};
  if (platform_.app(name)) {
    auto deployment =
        platform_.deploy(name, pull.head_sha, github_.source_url(owner, repo, pull.head_sha));
    if (!deployment) {
      auto failed = fields;
      failed.push_back({"error", deployment.error().message});
      return publish("scm.review_app.failed", std::move(failed));
    }
    return publish("scm.review_app.redeployed", fields);
  }
  auto created = platform_.create_review_app(parent.name, pull.number, pull.head_sha);
  if (!created) {
    auto failed = fields;
    failed.push_back({"error", created.error().message});
    return publish("scm.review_app.failed", std::move(failed));
  }
  publish("scm.review_app.created", fields);
}

void GithubIntegration::close_review_app(const platform::App& parent, int number) {
  const std::string name = review_app_name(parent.name, number);
  if (!platform_.app(name) || !parent.scm_link->delete_on_close_enabled) return;
  const int hours = std::max(0, parent.scm_link->hours_before_delete_on_close);
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(shared_->mutex);
    generation = shared_->next_generation++;
    shared_->deletions[name] = generation;
  }
  publish(
      "scm.review_app.delete_scheduled",
      {{"app", name}, {"pull_request", std::to_string(number)}, {"hours", std::to_string(hours)}});
  // Runs under the platform's lock, on its clock; it may outlive this object.
  auto destroy = [weak = std::weak_ptr<Shared>(shared_), &platform = platform_, name, generation] {
    const auto shared = weak.lock();
    if (!shared) return;
    {
      std::lock_guard lock(shared->mutex);
      const auto found = shared->deletions.find(name);
      if (found == shared->deletions.end() || found->second != generation) return;
      shared->deletions.erase(found);
    }
    if (auto destroyed = platform.destroy_review_app(name); !destroyed) {
      platform.publish_event("scm.review_app.failed",
                             {{"app", name}, {"error", destroyed.error().message}});
      return;
    }
    platform.publish_event("scm.review_app.destroyed", {{"app", name}});
  };
  if (hours == 0) return destroy();
  if (!platform_.schedule_task(std::chrono::hours(hours), "review_app.delete",
                               std::move(destroy))) {
    publish("scm.review_app.failed",
            {{"app", name}, {"error", "the platform's scheduler is full"}});
  }
}

Result<void> GithubIntegration::sync_open_pull_requests() {
  std::map<std::pair<std::string, std::string>, std::vector<platform::App>> parents;
  for (auto& app : platform_.apps()) {
    if (!app.scm_link || !app.parent_app_name.empty()) continue;
    if (!app.scm_link->deploy_review_apps_enabled) continue;
    parents[{app.scm_link->owner, app.scm_link->repo}].push_back(std::move(app));
  }
  for (const auto& [repository, apps] : parents) {
    const auto& [owner, repo] = repository;
    auto pulls = github_.open_pull_requests(owner, repo);
    if (!pulls) return pulls.error().context("syncing the open pull requests");
    for (const auto& pull : pulls.value()) {
      for (const auto& parent : apps) {
        if (!platform_.app(review_app_name(parent.name, pull.number))) {
          open_review_app(parent, pull, owner, repo);
        }
      }
    }
  }
  return {};
}

std::map<std::string, std::string> GithubIntegration::awaiting_checks() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> out;
  for (const auto& [app, awaiting] : awaiting_) out[app] = awaiting.sha;
  return out;
}

}  // namespace mepsim::fakes::scalingo
