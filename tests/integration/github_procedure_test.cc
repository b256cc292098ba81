// The release procedure end to end against `mepsim up`: the real `git` pushes to the git
// origin, the GitHub fake's CI gates Scalingo's auto-deploys (R1), the MEP merge of develop
// into main deploys production and merges the review_app pull request implicitly (its
// review app is deleted), and the release steps run with the real @octokit/rest, the
// note reaching the Mattermost fake. Cases run in order and share one topology.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace fs = std::filesystem;
using namespace mepsim;
using namespace mepsim::testing;

namespace {

// Real seconds a deployment may take at --time-scale 120 (build, hook and boot are a few
// virtual minutes; CI four): far above what it needs, so a miss is a bug, not slowness.
constexpr int kDeployWaitS = 90;

class GithubProcedure : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-github-test").value());
    env_file_ = scratch_->path() / "env";
    up_ = new MepsimProcess(
        {"up", "--seed", "7", "--time-scale", "120", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(120)) << up_->output();
    env_ = read_env_file(env_file_);
    clone_ = scratch_->path() / "histologe";
    // Pushes authenticate with the token as the password, as on GitHub.
    std::string url = env_.at("GIT_ORIGIN_URL");
    url.insert(std::string("http://").size(), "x-access-token:" + env_.at("GITHUB_TOKEN") + "@");
    const auto cloned = run_shell("git clone -q '" + url + "' '" + clone_.string() + "' 2>&1");
    ASSERT_EQ(cloned.code, 0) << cloned.output;
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr) {
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
    }
    delete up_;
    delete scratch_;
  }

  // `command` run in the clone, as the engineer types it.
  static CommandResult git(const std::string& command) {
    return run_shell("cd '" + clone_.string() +
                     "' && export GIT_AUTHOR_NAME=mep GIT_AUTHOR_EMAIL=mep@example.org "
                     "GIT_COMMITTER_NAME=mep GIT_COMMITTER_EMAIL=mep@example.org && " +
                     command + " 2>&1");
  }
  static std::string head_sha() {
    auto sha = git("git rev-parse HEAD").output;
    while (!sha.empty() && (sha.back() == '\n' || sha.back() == '\r')) sha.pop_back();
    return sha;
  }
  // A new commit on the current branch (app.yaml unchanged), pushed.
  static std::string commit_and_push(const std::string& branch, const std::string& file) {
    const auto done = git("echo change > '" + file + "' && git add -A && git commit -q -m '" +
                          file + "' && git push -q origin " + branch);
    EXPECT_EQ(done.code, 0) << done.output;
    return head_sha();
  }

  static CommandResult with_env(const std::string& command) {
    return run_shell("set -a; . '" + env_file_.string() + "'; set +a; " + command + " 2>&1");
  }

  // GET on the Scalingo API with a fresh bearer; null on any failure.
  static nlohmann::json scalingo_get(const std::string& path) {
    httplib::Client auth(env_.at("SCALINGO_AUTH_URL"));
    auth.set_basic_auth("", env_.at("SCALINGO_API_TOKEN"));
    auto exchanged = auth.Post("/v1/tokens/exchange", "{}", "application/json");
    if (!exchanged || exchanged->status != 200) return nullptr;
    const auto jwt = nlohmann::json::parse(exchanged->body).at("token").get<std::string>();
    httplib::Client api(env_.at("SCALINGO_API_URL"));
    auto got = api.Get(path.c_str(), {{"Authorization", "Bearer " + jwt}});
    if (!got || got->status != 200) return nullptr;
    return nlohmann::json::parse(got->body, nullptr, false);
  }
  static nlohmann::json github_get(const std::string& path) {
    httplib::Client api(env_.at("GITHUB_API_URL"));
    auto got = api.Get(path.c_str(), {{"Authorization", "token " + env_.at("GITHUB_TOKEN")}});
    if (!got || got->status != 200) return nullptr;
    return nlohmann::json::parse(got->body, nullptr, false);
  }

  // The status of `app`'s deployment of `sha` once it has finished; "" if none did in time.
  static std::string wait_deployment(const std::string& app, const std::string& sha) {
    for (int i = 0; i < kDeployWaitS * 10; ++i) {
      const auto page = scalingo_get("/v1/apps/" + app + "/deployments?per_page=100");
      if (page.is_object()) {
        for (const auto& d : page.at("deployments")) {
          const std::string status = d.at("status");
          if (d.at("git_ref") == sha && status != "queued" && status != "building" &&
              status != "pushing" && status != "starting") {
            return status;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }
  static bool deployed(const std::string& app, const std::string& sha) {
    const auto page = scalingo_get("/v1/apps/" + app + "/deployments?per_page=100");
    EXPECT_TRUE(page.is_object()) << "the Scalingo API did not list " << app << "'s deployments";
    if (!page.is_object()) return false;
    for (const auto& d : page.at("deployments")) {
      if (d.at("git_ref") == sha) return true;
    }
    return false;
  }
  // The commit's combined CI state once it is no longer pending; "" if not in time.
  static std::string wait_ci(const std::string& sha) {
    for (int i = 0; i < kDeployWaitS * 10; ++i) {
      const auto status = github_get("/repos/MTES-MCT/histologe/commits/" + sha + "/status");
      if (status.is_object() && status.at("state") != "pending") return status.at("state");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }
  // The app's `url` in the Scalingo API ("" when unknown) and what `/_mepsim/health`
  // answers there (0: nothing listens).
  static std::string app_url(const std::string& name) {
    const auto app = scalingo_get("/v1/apps/" + name);
    return app.is_object() ? app.at("app").at("url").get<std::string>() : std::string();
  }
  static int health_status(const std::string& url) {
    httplib::Client client(url);
    client.set_connection_timeout(std::chrono::seconds(2));
    auto got = client.Get("/_mepsim/health");
    return got ? got->status : 0;
  }
  static bool app_exists(const std::string& name) {
    const auto apps = scalingo_get("/v1/apps");
    EXPECT_TRUE(apps.is_object()) << "the Scalingo API did not list the apps";
    if (!apps.is_object()) return false;
    for (const auto& app : apps.at("apps")) {
      if (app.at("name") == name) return true;
    }
    return false;
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline fs::path env_file_;
  static inline fs::path clone_;
  static inline MepsimProcess* up_ = nullptr;
  static inline std::map<std::string, std::string> env_;
};

}  // namespace

TEST_F(GithubProcedure, EnvFileAndOpenPullRequestsReviewApps) {
  // up names the origin, GitHub and Mattermost; the open pull requests have review apps
  // under staging; the token is not printed.
  for (const char* key :
       {"GIT_ORIGIN_URL", "GITHUB_API_URL", "GITHUB_TOKEN", "MATTERMOST_WEBHOOK_URL"}) {
    ASSERT_TRUE(env_.contains(key)) << key;
  }
  EXPECT_EQ(up_->output().find(env_.at("GITHUB_TOKEN")), std::string::npos);
  EXPECT_TRUE(app_exists("histologe-staging-pr1141"));
  EXPECT_TRUE(app_exists("histologe-staging-pr1142"));
}

TEST_F(GithubProcedure, ReviewAppsHaveTheirOwnDatastores) {
  // Each review app's DATABASE_URL and REDIS_URL are its own, not its parent's; its first
  // deployment (the pull request's head) succeeds on them.
  const auto value_of = [](const std::string& app, const std::string& name) {
    const auto variables = scalingo_get("/v1/apps/" + app + "/variables");
    EXPECT_TRUE(variables.is_object()) << app;
    if (!variables.is_object()) return std::string();
    for (const auto& v : variables.at("variables")) {
      if (v.at("name") == name) return v.at("value").get<std::string>();
    }
    return std::string();
  };
  const std::string review = "histologe-staging-pr1142";
  for (const char* name : {"DATABASE_URL", "REDIS_URL"}) {
    const auto own = value_of(review, name);
    EXPECT_FALSE(own.empty()) << name;
    EXPECT_NE(own, value_of("histologe-staging", name)) << name;
    EXPECT_NE(own, value_of("histologe-staging-pr1141", name)) << name;
  }
  EXPECT_NE(value_of(review, "DATABASE_URL").find("histologe_staging_pr1142"), std::string::npos);
  const auto head = github_get("/repos/MTES-MCT/histologe/pulls/1142");
  ASSERT_TRUE(head.is_object());
  EXPECT_EQ(wait_deployment(review, head.at("head").at("sha")), "success");
  // The review app answers at its own URL, its router's.
  const std::string url = app_url(review);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  EXPECT_NE(url, env_.at("APP_URL_HISTOLOGE_STAGING"));
  EXPECT_EQ(health_status(url), 200) << url;
}

TEST_F(GithubProcedure, GreenPushToDevelopDeploysStaging) {
  // A push to develop with CI green deploys histologe-staging at that commit, not prod.
  ASSERT_EQ(git("git checkout -q develop").code, 0);
  const std::string sha = commit_and_push("develop", "green.txt");
  EXPECT_EQ(wait_ci(sha), "success");
  EXPECT_EQ(wait_deployment("histologe-staging", sha), "success");
  EXPECT_FALSE(deployed("histologe", sha));
}

TEST_F(GithubProcedure, RedPushDeploysNothing) {
  // With `mepsim ci --result failure` on develop, the pushed commit's combined status is
  // failure and it never deploys; a later green push (CI back to default) does, after it.
  const auto red = with_env(std::string(MEPSIM_BINARY) + " ci --branch develop --result failure");
  ASSERT_EQ(red.code, 0) << red.output;
  const std::string red_sha = commit_and_push("develop", "red.txt");
  EXPECT_EQ(wait_ci(red_sha), "failure");
  const auto back = with_env(std::string(MEPSIM_BINARY) + " ci --branch develop --result default");
  ASSERT_EQ(back.code, 0) << back.output;
  const std::string green_sha = commit_and_push("develop", "green-again.txt");
  // Deliveries are handled in order: once the later commit deployed, the red one's
  // status had been seen.
  EXPECT_EQ(wait_deployment("histologe-staging", green_sha), "success");
  EXPECT_FALSE(deployed("histologe-staging", red_sha));
  const auto bad = with_env(std::string(MEPSIM_BINARY) + " ci --branch develop --result maybe");
  EXPECT_EQ(bad.code, 2) << bad.output;
}

TEST_F(GithubProcedure, MepMergeDeploysProductionAndDeletesReviewApp) {
  // PROCEDURE.md's commands: production deploys main's merge commit; the review_app pull
  // request into main is merged by the push (checked with octokit below) and its review
  // app is deleted.
  const std::string review_url = app_url("histologe-staging-pr1141");
  EXPECT_FALSE(review_url.empty());
  for (const char* step :
       {"git checkout -q develop && git pull -q origin develop",
        "git checkout -q main && git pull -q origin main",
        "git checkout -q main && git merge -q --no-edit develop", "git push -q origin main"}) {
    const auto done = git(step);
    ASSERT_EQ(done.code, 0) << step << "\n" << done.output;
  }
  const std::string sha = head_sha();
  EXPECT_EQ(wait_deployment("histologe", sha), "success");
  bool deleted = false;
  for (int i = 0; i < kDeployWaitS * 10 && !deleted; ++i) {
    deleted = !app_exists("histologe-staging-pr1141");
    if (!deleted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(deleted);
  EXPECT_EQ(health_status(review_url), 0)
      << "the deleted review app still answers at " << review_url;
  EXPECT_TRUE(app_exists("histologe-staging-pr1142")) << "a pull request into develop stays";
}

TEST_F(GithubProcedure, ReleaseNoteMilestoneAndMattermost) {
  // Tag and push from main, then octokit: merged PR, generated notes with the template's
  // parts, release, milestone with its tickets closed, the note posted to Mattermost —
  // which the Mattermost fake keeps.
  const auto tagged = git("git checkout -q main && git tag 1.7.4 && git push -q origin 1.7.4");
  ASSERT_EQ(tagged.code, 0) << tagged.output;
  const auto node = with_env("cd '" MEPSIM_SOURCE_DIR
                             "' && TAG=1.7.4 PREVIOUS_TAG=1.7.3 node --test "
                             "tests/node/github_procedure.test.mjs");
  EXPECT_EQ(node.code, 0) << node.output;
  EXPECT_NE(node.output.find("# fail 0"), std::string::npos) << node.output;

  const std::string hook = env_.at("MATTERMOST_WEBHOOK_URL");
  httplib::Client mattermost(hook.substr(0, hook.find("/hooks/")));
  auto listing = mattermost.Get("/_mepsim/messages");
  ASSERT_TRUE(listing);
  ASSERT_EQ(listing->status, 200);
  const auto messages = nlohmann::json::parse(listing->body).at("messages");
  ASSERT_EQ(messages.size(), 1u);
  const std::string text = messages[0].at("text");
  EXPECT_NE(text.find("## Features"), std::string::npos) << text;
  EXPECT_NE(text.find("## Bug fixes"), std::string::npos) << text;
  EXPECT_NE(text.find("**Full Changelog**"), std::string::npos) << text;
  EXPECT_NE(text.find("1.7.3...1.7.4"), std::string::npos) << text;

  // The admin API lists the same message, and the pull requests as GitHub sees them.
  httplib::Client admin(env_.at("MEPSIM_ADMIN_URL"));
  auto posted = admin.Get("/fakes/mattermost/messages");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  EXPECT_EQ(nlohmann::json::parse(posted->body).at("messages").size(), 1u) << posted->body;
  auto pulls = admin.Get("/fakes/github/pulls");
  ASSERT_TRUE(pulls);
  ASSERT_EQ(pulls->status, 200) << pulls->body;
  bool review_app_merged = false;
  const auto listed = nlohmann::json::parse(pulls->body);
  for (const auto& pr : listed.at("pulls")) {
    if (pr.at("head").get<std::string>() == "review_app") {
      review_app_merged = pr.at("merged").get<bool>();
    }
  }
  EXPECT_TRUE(review_app_merged) << pulls->body;
}
