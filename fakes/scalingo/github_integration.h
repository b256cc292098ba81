#pragma once
// Scalingo's GitHub integration: what the platform does when the linked repository
// changes. Like the real one, it is a webhook subscriber of GitHub (push, pull_request,
// status, check_run) that reads back what it needs through GitHub's REST API:
// - a push to a linked app's branch, with auto-deploy on, is remembered as awaiting its
//   checks; the commit deploys once GitHub's combined status of it is `success`, and only
//   if it is still the branch's latest pushed commit. Red or pending never deploys (R1):
//   red is a `scm.deploy_skipped` event, pending waits for the next status or check run;
// - a pull request opened (or reopened) creates the review app `<parent>-pr<N>` of every
//   parent app with review apps on, deploying its head at once (as Scalingo does: review
//   apps do not wait for CI); a push to it (`synchronize`) redeploys it; once it closes
//   (merged or not) the review app is destroyed after `hours_before_delete_on_close`
//   hours of the platform's virtual clock (0: at once), unless it reopens meanwhile.
//
// Control-plane events (component "platform", through Platform::publish_event):
// scm.push_received, scm.awaiting_checks, scm.auto_deploy, scm.deploy_skipped,
// scm.checks_unreachable, scm.review_app.{created,redeployed,delete_scheduled,destroyed,
// failed}.
//
// Thread-safety: every public member may be called from any thread; deliveries are
// handled in the order they arrive. Never holds its own lock while calling the platform
// or GitHub, so the platform's scheduled tasks (review-app deletion) may call back in.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/platform/platform.h"

namespace mepsim::fakes::scalingo {

struct OpenPullRequest {
  int number = 0;
  std::string head_ref;
  std::string head_sha;
  std::string base_ref;
};

// What the integration reads from GitHub. The REST implementation below speaks to the
// GitHub fake; unit tests give canned answers.
class GithubReader {
 public:
  virtual ~GithubReader() = default;
  // GitHub's combined state of the commit's statuses: "pending", "success", "failure" or
  // "error".
  virtual Result<std::string> combined_state(const std::string& owner, const std::string& repo,
                                             const std::string& sha) = 0;
  virtual Result<std::vector<OpenPullRequest>> open_pull_requests(const std::string& owner,
                                                                  const std::string& repo) = 0;
  // Where a deployment of `sha` fetches its code (the tarball URL GitHub serves).
  virtual std::string source_url(const std::string& owner, const std::string& repo,
                                 const std::string& sha) const = 0;
};

struct GithubRestOptions {
  std::string api_url;                         // "http://127.0.0.1:PORT", octokit's baseUrl
  std::string token;                           // sent as `Authorization: token …`; never logged
  Duration timeout = std::chrono::seconds(5);  // each request, as a whole
};

// GitHub's REST API over plain HTTP (sim/net/http_client.h).
class GithubRestReader final : public GithubReader {
 public:
  explicit GithubRestReader(GithubRestOptions options);
  Result<std::string> combined_state(const std::string& owner, const std::string& repo,
                                     const std::string& sha) override;
  Result<std::vector<OpenPullRequest>> open_pull_requests(const std::string& owner,
                                                          const std::string& repo) override;
  std::string source_url(const std::string& owner, const std::string& repo,
                         const std::string& sha) const override;
  // `POST /repos/{owner}/{repo}/hooks`: the subscription the real integration makes when
  // a repository is linked; the hook's id.
  Result<std::int64_t> create_hook(const std::string& owner, const std::string& repo,
                                   const std::string& callback_url, const std::string& secret);

 private:
  Result<nlohmann::json> call(const std::string& method, const std::string& path,
                              const std::string& body = "");
  GithubRestOptions options_;
};

// The endpoint's answer to one delivery.
struct WebhookAnswer {
  int status = 200;
  std::string body;  // JSON
};

class GithubIntegration {
 public:
  // Open pull requests read at sync time: at most this many per repository.
  static constexpr std::size_t kPullRequestsSyncedMax = 100;
  // Commits awaiting their checks: one per linked app at most (a newer push replaces it).

  // `platform` and `github` must outlive this object. `webhook_secret` is the hook's
  // secret: deliveries are refused unless signed with it.
  GithubIntegration(platform::Platform& platform, GithubReader& github, std::string webhook_secret);
  ~GithubIntegration();
  GithubIntegration(const GithubIntegration&) = delete;
  GithubIntegration& operator=(const GithubIntegration&) = delete;

  // One delivery as the endpoint receives it: `X-GitHub-Event`, `X-Hub-Signature-256`
  // and the raw body. 401 when the signature is missing or wrong, 400 when the body is
  // not JSON, 202 for events it does not act on, 200 otherwise.
  WebhookAnswer receive(const std::string& event, const std::string& signature_header,
                        const std::string& body);
  // "sha256=<hex HMAC-SHA256 of body under the secret>": what GitHub sends.
  std::string signature_of(const std::string& body) const;

  // The events themselves, with GitHub's payload shapes.
  void on_push(const nlohmann::json& payload);
  // A status or check run changed for `sha`: the apps awaiting it look again.
  void on_checks_changed(const std::string& owner, const std::string& repo, const std::string& sha);
  void on_pull_request(const nlohmann::json& payload);

  // Review apps for the pull requests already open (the seeded ones), as the integration
  // does when review apps are switched on.
  Result<void> sync_open_pull_requests();

  // App → the commit it waits for the checks of.
  std::map<std::string, std::string> awaiting_checks() const;

 private:
  struct Shared;
  struct Awaiting {
    std::string sha;
    std::string branch;
    std::string owner, repo;
  };
  std::vector<platform::App> linked_apps(const std::string& owner, const std::string& repo) const;
  void evaluate(const std::string& app);
  void publish(std::string name, std::vector<Field> fields);
  void open_review_app(const platform::App& parent, const OpenPullRequest& pull,
                       const std::string& owner, const std::string& repo);
  void close_review_app(const platform::App& parent, int number);

  platform::Platform& platform_;
  GithubReader& github_;
  const std::string secret_;
  std::shared_ptr<Shared> shared_;  // also held (weakly) by scheduled deletions
  mutable std::mutex mutex_;
  std::map<std::string, Awaiting> awaiting_;       // by app name
  std::map<std::string, std::string> latest_sha_;  // "owner/repo:branch" → last pushed sha
};

}  // namespace mepsim::fakes::scalingo
