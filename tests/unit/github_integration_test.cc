// Unit tests of Scalingo's GitHub integration (fakes/scalingo/github_integration.h): which
// pushes deploy (green checks only, latest commit only), the review apps' lifecycle, and
// deletion after N hours on the virtual clock. GitHub's answers are canned; the platform
// is the real model on a virtual clock.

#include "fakes/scalingo/github_integration.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

using fakes::scalingo::GithubIntegration;
using fakes::scalingo::GithubReader;
using fakes::scalingo::OpenPullRequest;
using nlohmann::json;

const std::string kSha1 = std::string(40, 'a');
const std::string kSha2 = std::string(40, 'b');
const std::string kSha3 = std::string(40, 'c');

// GitHub as the test says it is: combined states by sha, the open pull requests.
class CannedGithub final : public GithubReader {
 public:
  Result<std::string> combined_state(const std::string&, const std::string&,
                                     const std::string& sha) override {
    ++status_reads;
    if (unreachable) return make_error(ErrorCode::unavailable, "GitHub down");
    const auto found = states.find(sha);
    return found == states.end() ? std::string("pending") : found->second;
  }
  Result<std::vector<OpenPullRequest>> open_pull_requests(const std::string&,
                                                          const std::string&) override {
    return pulls;
  }
  std::string source_url(const std::string& owner, const std::string& repo,
                         const std::string& sha) const override {
    return "http://github.test/repos/" + owner + "/" + repo + "/tarball/" + sha;
  }

  std::map<std::string, std::string> states;
  std::vector<OpenPullRequest> pulls;
  bool unreachable = false;
  int status_reads = 0;
};

json repository() {
  return {{"name", "histologe"},
          {"full_name", "MTES-MCT/histologe"},
          {"owner", {{"login", "MTES-MCT"}}}};
}

json push(const std::string& branch, const std::string& sha) {
  return {{"ref", "refs/heads/" + branch},
          {"before", std::string(40, '0')},
          {"after", sha},
          {"deleted", false},
          {"repository", repository()}};
}

json pull_request(const std::string& action, int number, const std::string& head_sha,
                  bool merged = false) {
  return {{"action", action},
          {"number", number},
          {"pull_request",
           {{"number", number},
            {"state", action == "closed" ? "closed" : "open"},
            {"merged", merged},
            {"head", {{"ref", "feature-" + std::to_string(number)}, {"sha", head_sha}}},
            {"base", {{"ref", "develop"}, {"sha", kSha3}}}}},
          {"repository", repository()}};
}

class GithubIntegrationTest : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    integration_ = std::make_unique<GithubIntegration>(platform(), github_, "hook-secret");
  }
  void TearDown() override { integration_.reset(); }

  // git refs of the app's deployments, oldest first.
  std::vector<std::string> deployed_refs(const std::string& app) {
    std::vector<std::string> refs;
    auto page = platform().deployments(app, {1, 100});
    EXPECT_TRUE(page.ok());
    if (page.ok()) {
      for (auto it = page->items.rbegin(); it != page->items.rend(); ++it) {
        refs.push_back(it->git_ref);
      }
    }
    return refs;
  }
  bool exists(const std::string& app) { return platform().app(app).ok(); }

  CannedGithub github_;
  std::unique_ptr<GithubIntegration> integration_;
};

// ---- pushes and checks -----------------------------------------------------------------

using GithubAutoDeploy = GithubIntegrationTest;

TEST_F(GithubAutoDeploy, PendingChecksWait) {
  // A push to develop whose checks are pending deploys nothing and is remembered (R1).
  const auto before = deployed_refs(kStaging);
  integration_->on_push(push("develop", kSha1));
  EXPECT_EQ(deployed_refs(kStaging), before);
  EXPECT_EQ(integration_->awaiting_checks(),
            (std::map<std::string, std::string>{{kStaging, kSha1}}));
  EXPECT_EQ(logged("scm.awaiting_checks", "app", kStaging).size(), 1u);
}

TEST_F(GithubAutoDeploy, GreenChecksDeployTheCommit) {
  // Once the combined status turns success, the staging app deploys that sha, with its
  // tarball as source; production (linked to main) does not move.
  integration_->on_push(push("develop", kSha1));
  github_.states[kSha1] = "success";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha1);
  ASSERT_EQ(deployed_refs(kStaging).back(), kSha1);
  EXPECT_EQ(deployed_refs(kProd).size(), 1u) << "only the initial release";
  EXPECT_TRUE(integration_->awaiting_checks().empty());
  const auto deployed = logged("scm.auto_deploy", "app", kStaging);
  ASSERT_EQ(deployed.size(), 1u);
  EXPECT_EQ(deployed[0].field("sha"), kSha1);
  EXPECT_EQ(deployed[0].field("branch"), "develop");
  auto page = platform().deployments(kStaging, {1, 1});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.at(0).source_url,
            "http://github.test/repos/MTES-MCT/histologe/tarball/" + kSha1);
}

TEST_F(GithubAutoDeploy, AlreadyGreenOnPushDeploysAtOnce) {
  // A commit whose checks were already done deploys on the push itself.
  github_.states[kSha1] = "success";
  integration_->on_push(push("main", kSha1));
  EXPECT_EQ(deployed_refs(kProd).back(), kSha1);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);
}

TEST_F(GithubAutoDeploy, RedChecksNeverDeploy) {
  // failure (and error) skip the deployment with an event saying why, and forget the sha.
  integration_->on_push(push("develop", kSha1));
  github_.states[kSha1] = "failure";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha1);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);
  const auto skipped = logged("scm.deploy_skipped", "app", kStaging);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].field("state"), "failure");
  EXPECT_TRUE(integration_->awaiting_checks().empty());
  // A late success for the same sha (a re-run) no longer deploys it without a new push.
  github_.states[kSha1] = "success";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha1);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);

  integration_->on_push(push("main", kSha2));
  github_.states[kSha2] = "error";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha2);
  EXPECT_EQ(deployed_refs(kProd).size(), 1u);
}

TEST_F(GithubAutoDeploy, OnlyTheLatestPushedCommitDeploys) {
  // A newer push replaces the commit awaiting checks: the older one's success is ignored.
  integration_->on_push(push("develop", kSha1));
  integration_->on_push(push("develop", kSha2));
  github_.states[kSha1] = "success";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha1);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);
  github_.states[kSha2] = "success";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha2);
  EXPECT_EQ(deployed_refs(kStaging).back(), kSha2);
}

TEST_F(GithubAutoDeploy, UnreachableGithubKeepsWaiting) {
  // When the status cannot be read, nothing deploys and the next status event retries.
  github_.unreachable = true;
  integration_->on_push(push("develop", kSha1));
  EXPECT_EQ(logged("scm.checks_unreachable", "app", kStaging).size(), 1u);
  github_.unreachable = false;
  github_.states[kSha1] = "success";
  integration_->on_checks_changed("MTES-MCT", "histologe", kSha1);
  EXPECT_EQ(deployed_refs(kStaging).back(), kSha1);
}

TEST_F(GithubAutoDeploy, OtherRefsAndReposAreIgnored) {
  // Tags, deleted branches, unlinked branches, other repositories and auto-deploy off
  // deploy nothing and ask GitHub nothing.
  github_.states[kSha1] = "success";
  auto tag = push("main", kSha1);
  tag["ref"] = "refs/tags/1.7.4";
  integration_->on_push(tag);
  auto deleted = push("develop", std::string(40, '0'));
  deleted["deleted"] = true;
  integration_->on_push(deleted);
  integration_->on_push(push("feature-x", kSha1));
  auto other = push("main", kSha1);
  other["repository"] = {{"name", "other"}, {"owner", {{"login", "MTES-MCT"}}}};
  integration_->on_push(other);
  ASSERT_TRUE(platform().update_scm_link(kStaging, {{"auto_deploy_enabled", false}}).ok());
  integration_->on_push(push("develop", kSha1));
  EXPECT_EQ(github_.status_reads, 0);
  EXPECT_EQ(deployed_refs(kProd).size(), 1u);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);
}

// ---- the webhook endpoint --------------------------------------------------------------

using GithubWebhook = GithubIntegrationTest;

TEST_F(GithubWebhook, SignatureIsChecked) {
  // Unsigned or wrongly signed deliveries are 401 and change nothing; signed ones act.
  github_.states[kSha1] = "success";
  const std::string body = push("develop", kSha1).dump();
  EXPECT_EQ(integration_->receive("push", "", body).status, 401);
  EXPECT_EQ(integration_->receive("push", "sha256=" + std::string(64, '0'), body).status, 401);
  GithubIntegration other(platform(), github_, "another-secret");
  EXPECT_EQ(integration_->receive("push", other.signature_of(body), body).status, 401);
  EXPECT_EQ(deployed_refs(kStaging).size(), 1u);
  EXPECT_EQ(integration_->receive("push", integration_->signature_of(body), body).status, 200);
  EXPECT_EQ(deployed_refs(kStaging).back(), kSha1);
}

TEST_F(GithubWebhook, BodiesAndEvents) {
  // A body that is not JSON is 400; ping 200; events it does not act on 202; a status
  // event makes the app waiting on that sha look again.
  const auto signed_receive = [&](const std::string& event, const std::string& body) {
    return integration_->receive(event, integration_->signature_of(body), body).status;
  };
  EXPECT_EQ(signed_receive("push", "{not json"), 400);
  EXPECT_EQ(signed_receive("push", "[1,2]"), 400);
  EXPECT_EQ(signed_receive("ping", R"({"zen":"Keep it logically awesome."})"), 200);
  EXPECT_EQ(signed_receive("issues", R"({"action":"opened"})"), 202);
  EXPECT_EQ(signed_receive("push", R"({"ref":42,"after":null})"), 200) << "odd fields are ignored";

  integration_->on_push(push("develop", kSha1));
  github_.states[kSha1] = "success";
  json status = {{"sha", kSha1}, {"state", "success"}, {"repository", repository()}};
  EXPECT_EQ(signed_receive("status", status.dump()), 200);
  EXPECT_EQ(deployed_refs(kStaging).back(), kSha1);
}

TEST_F(GithubWebhook, CheckRunEventsCarryTheSha) {
  // check_run deliveries name the sha under check_run.head_sha.
  integration_->on_push(push("develop", kSha1));
  github_.states[kSha1] = "success";
  json check = {{"action", "completed"},
                {"check_run", {{"head_sha", kSha1}, {"status", "completed"}}},
                {"repository", repository()}};
  const std::string body = check.dump();
  EXPECT_EQ(integration_->receive("check_run", integration_->signature_of(body), body).status, 200);
  EXPECT_EQ(deployed_refs(kStaging).back(), kSha1);
}

// ---- review apps -----------------------------------------------------------------------

using GithubReviewApps = GithubIntegrationTest;

TEST_F(GithubReviewApps, OpenSynchronizeClose) {
  // Opened: staging (review apps on) gets histologe-staging-pr7 deploying the head at once,
  // without waiting for CI; production (review apps off) gets none. Synchronize redeploys;
  // closed with 0 hours destroys it at once.
  integration_->on_pull_request(pull_request("opened", 7, kSha1));
  const std::string review = kStaging + "-pr7";
  ASSERT_TRUE(exists(review));
  EXPECT_FALSE(exists(kProd + "-pr7"));
  EXPECT_EQ(deployed_refs(review), std::vector<std::string>{kSha1});
  EXPECT_EQ(github_.status_reads, 0);

  integration_->on_pull_request(pull_request("synchronize", 7, kSha2));
  EXPECT_EQ(deployed_refs(review), (std::vector<std::string>{kSha1, kSha2}));

  integration_->on_pull_request(pull_request("closed", 7, kSha2, true));
  EXPECT_FALSE(exists(review));
  EXPECT_EQ(logged("scm.review_app.destroyed", "app", review).size(), 1u);
  EXPECT_EQ(event_types(kStaging).front(), "destroy_review_app");
}

TEST_F(GithubReviewApps, DeletedAfterHoursOnTheVirtualClock) {
  // With hours_before_delete_on_close 2, the review app survives 1h59 of virtual time and
  // is gone at 2h.
  ASSERT_TRUE(platform().update_scm_link(kStaging, {{"hours_before_delete_on_close", 2}}).ok());
  integration_->on_pull_request(pull_request("opened", 8, kSha1));
  const std::string review = kStaging + "-pr8";
  ASSERT_TRUE(exists(review));
  integration_->on_pull_request(pull_request("closed", 8, kSha1));
  EXPECT_TRUE(exists(review));
  advance(std::chrono::hours(1) + std::chrono::minutes(59));
  EXPECT_TRUE(exists(review));
  advance(std::chrono::minutes(1));
  EXPECT_FALSE(exists(review));
}

TEST_F(GithubReviewApps, ReopenedBeforeDeletionIsKept) {
  // A pull request reopened within the delay keeps its review app, redeployed.
  ASSERT_TRUE(platform().update_scm_link(kStaging, {{"hours_before_delete_on_close", 1}}).ok());
  integration_->on_pull_request(pull_request("opened", 9, kSha1));
  integration_->on_pull_request(pull_request("closed", 9, kSha1));
  integration_->on_pull_request(pull_request("reopened", 9, kSha2));
  advance(std::chrono::hours(3));
  ASSERT_TRUE(exists(kStaging + "-pr9"));
  EXPECT_EQ(deployed_refs(kStaging + "-pr9").back(), kSha2);
}

TEST_F(GithubReviewApps, DeleteOnCloseOffKeepsIt) {
  // delete_on_close_enabled false: closing leaves the review app in place.
  ASSERT_TRUE(platform().update_scm_link(kStaging, {{"delete_on_close_enabled", false}}).ok());
  integration_->on_pull_request(pull_request("opened", 10, kSha1));
  integration_->on_pull_request(pull_request("closed", 10, kSha1));
  advance(std::chrono::hours(48));
  EXPECT_TRUE(exists(kStaging + "-pr10"));
}

TEST_F(GithubReviewApps, SyncCreatesTheOpenOnes) {
  // At wiring time, every pull request already open gets its review app, once.
  github_.pulls = {{3, "review_app", kSha1, "main"}, {4, "feature-4", kSha2, "develop"}};
  ASSERT_TRUE(integration_->sync_open_pull_requests().ok());
  EXPECT_TRUE(exists(kStaging + "-pr3"));
  EXPECT_TRUE(exists(kStaging + "-pr4"));
  EXPECT_FALSE(exists(kProd + "-pr3"));
  ASSERT_TRUE(integration_->sync_open_pull_requests().ok());
  EXPECT_EQ(deployed_refs(kStaging + "-pr3").size(), 1u) << "not redeployed by a second sync";
}

TEST_F(GithubReviewApps, LifecycleHooksGiveTheReviewAppItsVariables) {
  // The platform's created hook sets variables before the first deployment; destroyed is
  // told when it goes.
  std::vector<std::string> destroyed;
  platform().set_lifecycle_hooks(
      {[](const App& app) -> Result<std::map<std::string, std::string>> {
         return std::map<std::string, std::string>{{"DATABASE_URL", "mysql://x/" + app.name}};
       },
       [&](const App& app) { destroyed.push_back(app.name); }});
  integration_->on_pull_request(pull_request("opened", 11, kSha1));
  auto vars = platform().variables(kStaging + "-pr11");
  ASSERT_TRUE(vars.ok());
  std::map<std::string, std::string> by_name;
  for (const auto& v : vars.value()) by_name[v.name] = v.value;
  EXPECT_EQ(by_name["DATABASE_URL"], "mysql://x/histologe-staging-pr11");
  EXPECT_EQ(by_name["APP_ENV"], "prod") << "the parent's other variables are copied";
  integration_->on_pull_request(pull_request("closed", 11, kSha1));
  EXPECT_EQ(destroyed, std::vector<std::string>{"histologe-staging-pr11"});
}

TEST_F(GithubReviewApps, RefusedByTheCreatedHook) {
  // A review app whose datastores cannot be provided is not created; the event says why.
  platform().set_lifecycle_hooks({[](const App&) -> Result<std::map<std::string, std::string>> {
                                    return make_error(ErrorCode::capacity,
                                                      "no Redis database left");
                                  },
                                  nullptr});
  integration_->on_pull_request(pull_request("opened", 12, kSha1));
  EXPECT_FALSE(exists(kStaging + "-pr12"));
  EXPECT_EQ(logged("scm.review_app.failed", "app", kStaging + "-pr12").size(), 1u);
}

}  // namespace
}  // namespace mepsim::platform_test
