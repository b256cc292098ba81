// Unit tests of fakes/github/github_fake.h: the GitHub fake over a real bare repository
// in a temporary folder, called over real HTTP on loopback as @octokit/rest calls it,
// with CI finishing on a virtual clock driven by the test.

#include "fakes/github/github_fake.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/common/hmac.h"
#include "fakes/github/git_origin.h"
#include "fakes/github/release_notes.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/core/scheduler.h"
#include "sim/datastore/scratch_dir.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kToken = "ghp_unittesttoken0123456789abcdefghijkl";
constexpr const char* kRepo = "/repos/MTES-MCT/histologe";

SeedCommit commit(const std::string& message, const std::string& file) {
  SeedCommit out;
  out.message = message;
  out.files[file] = message + "\n";
  return out;
}

// main (tag 1.7.2) ← develop ← three topic branches; review_app also has a PR into main.
RepositorySeed repository_seed() {
  RepositorySeed seed;
  seed.epoch = std::chrono::sys_days{std::chrono::year{2025} / 12 / 1} + 9h;
  SeedCommit root = commit("Initial commit", "README.md");
  root.manifest_yaml = "version: 1.7.2\n";
  seed.branches = {
      {"main", "", {root}},
      {"develop", "main", {commit("Prepare 1.7.3", "CHANGELOG.md")}},
      {"feature/notifications", "develop", {commit("Revoir les notifications", "notif.txt")}},
      {"fix/parcours", "develop", {commit("Corriger le parcours", "parcours.txt")}},
      {"review_app", "develop", {commit("Review app tweak", "review.txt")}},
  };
  seed.tags = {{"1.7.2", "main"}};
  return seed;
}

GitHubSeed github_seed() {
  GitHubSeed seed;
  seed.pulls = {
      {972,
       "[Performance] Revoir la récupération des notifications",
       "feature/notifications",
       "develop",
       "",
       {"feature"},
       "histologe-dev",
       "merged"},
      {1122,
       "Correction du parcours dans l'édition de signalement",
       "fix/parcours",
       "develop",
       "",
       {"bug"},
       "histologe-dev",
       "merged"},
      {1130,
       "Review app tweak",
       "review_app",
       "develop",
       "",
       {"enhancement"},
       "histologe-dev",
       "merged"},
      {1131, "Review app into main", "review_app", "main", "", {}, "histologe-dev", "open"},
  };
  seed.issues = {{"Ticket done A", {"feature"}, "open"}, {"Ticket done B", {"bug"}, "open"}};
  return seed;
}

struct Reply {
  int status = 0;  // 0: no answer at all
  std::string body;
  json body_json;  // discarded when the body is not JSON
  httplib::Headers headers;
};

class GitHubFakeTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(GitHubFakeOptions options) {
    auto dir = ScratchDir::create("github-fake-test");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    scratch_ = std::make_unique<ScratchDir>(std::move(*dir));
    auto origin = GitOrigin::create(scratch_->path() / "origin", repository_seed(), &clock_);
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
    options.token = kToken;
    options.control_clock = &clock_;
    options.ci.duration = 3min;
    options.schedule = [this](Duration delay, std::string label, std::function<void()> task) {
      std::lock_guard lock(scheduler_mutex_);
      ASSERT_TRUE(scheduler_.after(delay, std::move(label), std::move(task)).ok());
    };
    fake_ = std::make_unique<GitHubFake>(*origin_, Rng(42), events_, options);
    const auto seeded = fake_->seed(github_seed());
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    const auto started = fake_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }

  void TearDown() override {
    fake_.reset();
    origin_.reset();
  }

  // Runs the scheduled CI completions due within `d` of virtual time.
  std::size_t run_for(Duration d) {
    std::lock_guard lock(scheduler_mutex_);
    return scheduler_.run_for(d);
  }

  Reply call(const std::string& method, const std::string& path, const json& body,
             const std::string& authorization) const {
    httplib::Client client(fake_->base_url());
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    const std::string text = body.is_null() ? "" : body.dump();
    const std::string type = "application/json";
    const auto send = [&]() -> httplib::Result {
      if (method == "POST") return client.Post(path, headers, text, type);
      if (method == "PUT") return client.Put(path, headers, text, type);
      if (method == "PATCH") return client.Patch(path, headers, text, type);
      if (method == "DELETE") return client.Delete(path, headers, text, type);
      return client.Get(path, headers);
    };
    const httplib::Result result = send();
    Reply reply;
    if (!result) return reply;
    reply.status = result->status;
    reply.body = result->body;
    reply.body_json = json::parse(result->body, nullptr, false);
    reply.headers = result->headers;
    return reply;
  }

  // As octokit sends it: `authorization: token …`.
  Reply api(const std::string& method, const std::string& path, const json& body = nullptr) {
    return call(method, path, body, std::string("token ") + kToken);
  }

  std::vector<Event> events_named(const std::string& name) const {
    std::vector<Event> out;
    for (const auto& event : events_.retained()) {
      if (event.name == name) out.push_back(event);
    }
    return out;
  }

  std::string sha_of(const std::string& ref) const {
    auto sha = origin_->resolve(ref);
    EXPECT_TRUE(sha.ok()) << ref;
    return sha.ok() ? *sha : "";
  }

  // Merges develop into main with the merges API: the procedure's `git merge develop &&
  // git push origin main`, done on the server side.
  Reply merge_develop_into_main(const std::string& message = "Merge develop into main") {
    return api("POST", std::string(kRepo) + "/merges",
               {{"base", "main"}, {"head", "develop"}, {"commit_message", message}});
  }

  VirtualClock clock_{default_scenario_start()};
  std::mutex scheduler_mutex_;
  Scheduler scheduler_{clock_};
  EventLog events_;
  std::unique_ptr<ScratchDir> scratch_;
  std::unique_ptr<GitOrigin> origin_;
  std::unique_ptr<GitHubFake> fake_;
};

TEST_F(GitHubFakeTest, AuthRefusesMissingAndBadTokens) {
  // Without a token, or with a wrong one, the REST API answers GitHub's 401 bodies.
  const auto none = call("GET", std::string(kRepo) + "/pulls", nullptr, "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body_json.value("message", ""), "Requires authentication");
  const auto bad = call("GET", std::string(kRepo) + "/pulls", nullptr, "token ghp_wrong");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.body_json.value("message", ""), "Bad credentials");
  EXPECT_TRUE(bad.body_json.contains("documentation_url"));
  const auto bearer =
      call("GET", std::string(kRepo) + "/pulls", nullptr, std::string("Bearer ") + kToken);
  EXPECT_EQ(bearer.status, 200);
}

TEST_F(GitHubFakeTest, AuthTokenIsNeverJournaledNorPublished) {
  // The token reaches neither the request journal nor the event log.
  ASSERT_EQ(api("GET", std::string(kRepo) + "/pulls").status, 200);
  for (const auto& entry : fake_->journal().entries()) {
    EXPECT_EQ(entry.path.find(kToken), std::string::npos);
    for (const auto& [name, value] : entry.headers)
      EXPECT_EQ(value.find(kToken), std::string::npos);
  }
  for (const auto& event : events_.retained()) {
    for (const auto& field : event.fields) EXPECT_EQ(field.value.find(kToken), std::string::npos);
  }
}

TEST_F(GitHubFakeTest, UnknownRepositoryAndRouteAre404) {
  // Another repository or an unknown path answers {"message":"Not Found"}.
  const auto other = api("GET", "/repos/someone/else/pulls");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body_json.value("message", ""), "Not Found");
  EXPECT_EQ(api("GET", "/no/such/route").status, 404);
}

TEST_F(GitHubFakeTest, PullsListAndGetHaveGitHubShapes) {
  // Seeded pull requests list by state and read with merged, head and base as GitHub's.
  const auto open = api("GET", std::string(kRepo) + "/pulls?state=open");
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(open.body_json.size(), 1u);
  EXPECT_EQ(open.body_json[0]["number"], 1131);
  EXPECT_FALSE(open.body_json[0].contains("merged"));  // lists omit it, as GitHub's do

  const auto all = api("GET", std::string(kRepo) + "/pulls?state=all&base=develop");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body_json.size(), 3u);

  const auto pull = api("GET", std::string(kRepo) + "/pulls/972");
  ASSERT_EQ(pull.status, 200) << pull.body;
  EXPECT_EQ(pull.body_json["state"], "closed");
  EXPECT_EQ(pull.body_json["merged"], true);
  EXPECT_TRUE(pull.body_json["merged_at"].is_string());
  EXPECT_EQ(pull.body_json["head"]["ref"], "feature/notifications");
  EXPECT_EQ(pull.body_json["head"]["label"], "MTES-MCT:feature/notifications");
  EXPECT_EQ(pull.body_json["head"]["sha"], sha_of("refs/heads/feature/notifications"));
  EXPECT_EQ(pull.body_json["base"]["ref"], "develop");
  EXPECT_EQ(pull.body_json["html_url"], "https://github.com/MTES-MCT/histologe/pull/972");
  EXPECT_EQ(pull.body_json["user"]["login"], "histologe-dev");

  const auto review = api("GET", std::string(kRepo) + "/pulls/1131");
  EXPECT_EQ(review.body_json["merged"], false);
  EXPECT_EQ(review.body_json["mergeable"], true);
  EXPECT_TRUE(review.body_json["merged_at"].is_null());
  EXPECT_EQ(api("GET", std::string(kRepo) + "/pulls/9999").status, 404);
}

TEST_F(GitHubFakeTest, PullsCreateRefusesNothingToMergeAndDuplicates) {
  // Opening a PR whose head is in its base, or a second one for the same head, is a 422.
  const auto nothing = api("POST", std::string(kRepo) + "/pulls",
                           {{"title", "t"}, {"head", "main"}, {"base", "develop"}});
  EXPECT_EQ(nothing.status, 422);
  EXPECT_EQ(nothing.body_json.value("message", ""), "Validation Failed");
  ASSERT_TRUE(nothing.body_json["errors"].is_array());
  EXPECT_EQ(nothing.body_json["errors"][0]["resource"], "PullRequest");

  const auto duplicate = api("POST", std::string(kRepo) + "/pulls",
                             {{"title", "t"}, {"head", "MTES-MCT:review_app"}, {"base", "main"}});
  EXPECT_EQ(duplicate.status, 422);
  const auto unknown = api("POST", std::string(kRepo) + "/pulls",
                           {{"title", "t"}, {"head", "nope"}, {"base", "main"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body_json["errors"][0]["field"], "head");
  const auto typed = api("POST", std::string(kRepo) + "/pulls", {{"title", 3}});
  EXPECT_EQ(typed.status, 422);
  EXPECT_EQ(api("POST", std::string(kRepo) + "/pulls", "not json").status, 400);

  const auto created = api("POST", std::string(kRepo) + "/pulls",
                           {{"title", "Release"}, {"head", "develop"}, {"base", "main"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body_json["number"], 1134);  // after the seeded PRs and issues
  EXPECT_EQ(created.body_json["state"], "open");
  EXPECT_EQ(events_named("github.pull_request.opened").size(), 1u);
}

TEST_F(GitHubFakeTest, ImplicitMergeWhenMainReceivesTheReviewAppCommits) {
  // Merging develop into main brings review_app's commits into main: PR 1131 becomes
  // merged (pulls.get says merged: true), published with implicit=true and as a webhook.
  std::mutex mutex;
  std::vector<json> payloads;
  fake_->subscribe({"pull_request"}, [&](const std::string&, const json& payload) {
    std::lock_guard lock(mutex);
    payloads.push_back(payload);
  });
  const auto merged = merge_develop_into_main();
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(merged.body_json["sha"], sha_of("refs/heads/main"));

  const auto pull = api("GET", std::string(kRepo) + "/pulls/1131");
  EXPECT_EQ(pull.body_json["merged"], true);
  EXPECT_EQ(pull.body_json["state"], "closed");
  EXPECT_EQ(pull.body_json["merged_by"]["login"], "histologe-dev");

  const auto implicit = events_named("github.pull_request.merged");
  ASSERT_EQ(implicit.size(), 1u);
  EXPECT_EQ(implicit[0].field("number"), "1131");
  EXPECT_EQ(implicit[0].field("implicit"), "true");
  EXPECT_EQ(implicit[0].field("base"), "main");
  const auto pushes = events_named("github.push");
  ASSERT_FALSE(pushes.empty());
  EXPECT_EQ(pushes.back().field("ref"), "refs/heads/main");

  ASSERT_TRUE(fake_->wait_deliveries_idle(10s));
  std::lock_guard lock(mutex);
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0]["action"], "closed");
  EXPECT_EQ(payloads[0]["pull_request"]["merged"], true);
  EXPECT_EQ(payloads[0]["number"], 1131);
  EXPECT_EQ(payloads[0]["repository"]["full_name"], "MTES-MCT/histologe");
}

TEST_F(GitHubFakeTest, MergeRefusesAMovedHeadAndAClosedPull) {
  // PUT …/merge: 409 when `sha` is not the head, 200 {merged:true}, then 405 once closed.
  const auto created = api("POST", std::string(kRepo) + "/pulls",
                           {{"title", "Release"}, {"head", "develop"}, {"base", "main"}});
  ASSERT_EQ(created.status, 201);
  const std::string number = std::to_string(created.body_json["number"].get<int>());
  const std::string path = std::string(kRepo) + "/pulls/" + number + "/merge";
  EXPECT_EQ(api("PUT", path, {{"sha", std::string(40, 'a')}}).status, 409);
  const auto merged = api("PUT", path, {{"sha", sha_of("refs/heads/develop")}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.body_json["merged"], true);
  EXPECT_EQ(merged.body_json["sha"], sha_of("refs/heads/main"));
  EXPECT_EQ(api("PUT", path, json::object()).status, 405);
  EXPECT_EQ(api("GET", path).status, 204);

  // The explicit merge is not implicit; the review_app PR merged by it is.
  std::map<std::string, std::string> implicit_by_number;
  for (const auto& event : events_named("github.pull_request.merged")) {
    implicit_by_number[event.field("number")] = event.field("implicit");
  }
  EXPECT_EQ(implicit_by_number[number], "false");
  EXPECT_EQ(implicit_by_number["1131"], "true");
}

TEST_F(GitHubFakeTest, RefsCreateTagThenRefuseItAgain) {
  // POST git/refs creates a tag (201, github.tag.created) and refuses it twice (422).
  const std::string sha = sha_of("refs/heads/main");
  const auto created =
      api("POST", std::string(kRepo) + "/git/refs", {{"ref", "refs/tags/1.7.3"}, {"sha", sha}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body_json["ref"], "refs/tags/1.7.3");
  EXPECT_EQ(created.body_json["object"]["sha"], sha);
  const auto again =
      api("POST", std::string(kRepo) + "/git/refs", {{"ref", "refs/tags/1.7.3"}, {"sha", sha}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.body_json.value("message", ""), "Reference already exists");
  const auto tags = events_named("github.tag.created");
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].field("tag"), "1.7.3");
  EXPECT_EQ(tags[0].field("sha"), sha);
  const auto got = api("GET", std::string(kRepo) + "/git/ref/tags/1.7.3");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body_json["object"]["sha"], sha);
  EXPECT_EQ(api("DELETE", std::string(kRepo) + "/git/refs/tags/1.7.3").status, 204);
  EXPECT_EQ(api("GET", std::string(kRepo) + "/git/ref/tags/1.7.3").status, 404);
}

TEST_F(GitHubFakeTest, CombinedStatusFollowsGitHubRule) {
  // Latest per context counts: any failure/error → failure; any pending → pending; all
  // success → success; no status at all → pending.
  const std::string sha = sha_of("refs/heads/main");
  auto combined = [&] {
    return api("GET", std::string(kRepo) + "/commits/" + sha + "/status").body_json;
  };
  auto post = [&](const std::string& state, const std::string& context) {
    return api("POST", std::string(kRepo) + "/statuses/" + sha,
               {{"state", state}, {"context", context}})
        .status;
  };
  EXPECT_EQ(combined()["state"], "success");  // the seeded CI of a branch head
  EXPECT_EQ(post("pending", "deploy"), 201);
  EXPECT_EQ(combined()["state"], "pending");
  EXPECT_EQ(post("error", "deploy"), 201);
  EXPECT_EQ(combined()["state"], "failure");
  EXPECT_EQ(post("success", "deploy"), 201);
  const auto last = combined();
  EXPECT_EQ(last["state"], "success");
  EXPECT_EQ(last["total_count"], 2);  // ci/github-actions and deploy, latest of each
  EXPECT_EQ(post("bogus", "deploy"), 422);

  // The tag is main's head, whose CI the seed made green.
  EXPECT_EQ(fake_->combined_status("refs/tags/1.7.2").value(), CombinedState::success);
  EXPECT_EQ(fake_->combined_status("no-such-ref").ok(), false);
}

TEST_F(GitHubFakeTest, CiRunsPendingThenSucceedsAfterItsDuration) {
  // A push of main starts a run: pending status and in-progress check run, then success
  // once 3 virtual minutes have run on the scheduler.
  ASSERT_EQ(merge_develop_into_main().status, 201);
  const std::string sha = sha_of("refs/heads/main");
  EXPECT_EQ(fake_->combined_status(sha).value(), CombinedState::pending);
  auto runs = api("GET", std::string(kRepo) + "/commits/" + sha + "/check-runs");
  ASSERT_EQ(runs.status, 200);
  ASSERT_EQ(runs.body_json["total_count"], 1);
  EXPECT_EQ(runs.body_json["check_runs"][0]["status"], "in_progress");
  EXPECT_EQ(run_for(2min), 0u);
  EXPECT_EQ(fake_->combined_status(sha).value(), CombinedState::pending);
  EXPECT_EQ(run_for(1min), 1u);
  EXPECT_EQ(fake_->combined_status(sha).value(), CombinedState::success);
  runs = api("GET", std::string(kRepo) + "/commits/main/check-runs");
  EXPECT_EQ(runs.body_json["check_runs"][0]["conclusion"], "success");
  const auto finished = events_named("ci.finished");
  ASSERT_FALSE(finished.empty());
  EXPECT_EQ(finished.back().field("sha"), sha);
  EXPECT_EQ(finished.back().field("result"), "success");
  EXPECT_EQ(finished.back().field("reason"), "default");
}

TEST_F(GitHubFakeTest, CiFailsACommitWhoseMessageSaysCiFail) {
  // "[ci fail]" in the commit message fails its run.
  ASSERT_EQ(merge_develop_into_main("Merge develop [ci fail]").status, 201);
  run_for(10min);
  EXPECT_EQ(fake_->combined_status("main").value(), CombinedState::failure);
  const auto finished = events_named("ci.finished");
  ASSERT_FALSE(finished.empty());
  EXPECT_EQ(finished.back().field("result"), "failure");
  EXPECT_EQ(finished.back().field("reason"), "commit_message");
}

TEST_F(GitHubFakeTest, CiBranchOverrideSetsTheNextRuns) {
  // `mepsim ci --branch main --result failure` (the admin route, with the token) fails
  // main's next run; "default" goes back to the profile's result.
  EXPECT_EQ(call("PUT", "/_mepsim/ci/branches/main", {{"result", "failure"}}, "").status, 401);
  const auto set = api("PUT", "/_mepsim/ci/branches/main", {{"result", "failure"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(fake_->ci_overrides().at("main"), CiResult::failure);
  EXPECT_EQ(api("PUT", "/_mepsim/ci/branches/main", {{"result", "maybe"}}).status, 422);
  ASSERT_EQ(merge_develop_into_main().status, 201);
  run_for(10min);
  EXPECT_EQ(fake_->combined_status("main").value(), CombinedState::failure);
  EXPECT_EQ(events_named("ci.finished").back().field("reason"), "override");

  ASSERT_EQ(api("PUT", "/_mepsim/ci/branches/main", {{"result", "default"}}).status, 200);
  EXPECT_TRUE(fake_->ci_overrides().empty());
  const auto state = api("GET", "/_mepsim/ci");
  ASSERT_EQ(state.status, 200);
  EXPECT_TRUE(state.body_json["overrides"].empty());
  EXPECT_EQ(state.body_json["defaults"]["duration_s"], 180);
}

TEST_F(GitHubFakeTest, GenerateNotesFollowsTheTeamTemplate) {
  // generate-notes for 1.7.3 after merging develop into main: title with the control
  // clock's date, features then bug fixes by label, changelog from the previous tag.
  ASSERT_EQ(merge_develop_into_main().status, 201);
  const auto notes = api("POST", std::string(kRepo) + "/releases/generate-notes",
                         {{"tag_name", "1.7.3"}, {"target_commitish", "main"}});
  ASSERT_EQ(notes.status, 200) << notes.body;
  EXPECT_EQ(notes.body_json["name"], "1.7.3");
  const std::string pull = "](https://github.com/MTES-MCT/histologe/pull/";
  EXPECT_EQ(notes.body_json["body"],
            "# :rocket:  1.7.3 (2026-01-05)\n"
            "## Features\n"
            "* [Performance] Revoir la récupération des notifications [#972" +
                pull +
                "972)\n"
                "* Review app tweak [#1130" +
                pull +
                "1130)\n"
                "* Review app into main [#1131" +
                pull +
                "1131)\n"
                "## Bug fixes\n"
                "* Correction du parcours dans l'édition de signalement [#1122" +
                pull +
                "1122)\n"
                "**Full Changelog**: https://github.com/MTES-MCT/histologe/compare/1.7.2...1.7.3");
  const auto unknown = api("POST", std::string(kRepo) + "/releases/generate-notes",
                           {{"tag_name", "1.7.3"}, {"previous_tag_name", "0.0.1"}});
  EXPECT_EQ(unknown.status, 422);
}

TEST_F(GitHubFakeTest, ReleaseCreatesItsTagAndIsPublished) {
  // A release of a new tag creates the tag at the target, publishes the release with its
  // body, and refuses a second release of the same tag.
  const std::string sha = sha_of("refs/heads/main");
  const auto created = api("POST", std::string(kRepo) + "/releases",
                           {{"tag_name", "1.7.3"},
                            {"target_commitish", "main"},
                            {"name", "1.7.3"},
                            {"body", "# :rocket:  1.7.3 (2026-01-05)"},
                            {"draft", false},
                            {"prerelease", false}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body_json["tag_name"], "1.7.3");
  EXPECT_EQ(sha_of("refs/tags/1.7.3"), sha);
  const auto releases = events_named("github.release.created");
  ASSERT_EQ(releases.size(), 1u);
  EXPECT_EQ(releases[0].field("tag"), "1.7.3");
  EXPECT_EQ(releases[0].field("sha"), sha);
  EXPECT_EQ(releases[0].field("body"), "# :rocket:  1.7.3 (2026-01-05)");
  EXPECT_EQ(events_named("github.tag.created").size(), 1u);
  const auto again = api("POST", std::string(kRepo) + "/releases", {{"tag_name", "1.7.3"}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.body_json["errors"][0]["code"], "already_exists");
  const auto by_tag = api("GET", std::string(kRepo) + "/releases/tags/1.7.3");
  EXPECT_EQ(by_tag.status, 200);
  EXPECT_EQ(by_tag.body_json["name"], "1.7.3");
}

TEST_F(GitHubFakeTest, MilestoneDuplicateIs422AndItsIssuesClose) {
  // Milestone v1.7.3: created once (422 the second time), issues assigned to it and
  // closed, listed by milestone and state, counted on the milestone.
  const auto created = api("POST", std::string(kRepo) + "/milestones", {{"title", "v1.7.3"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int number = created.body_json["number"];
  const auto again = api("POST", std::string(kRepo) + "/milestones", {{"title", "v1.7.3"}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.body_json["errors"][0]["code"], "already_exists");
  EXPECT_EQ(again.body_json["errors"][0]["field"], "title");

  const auto issues = api("GET", std::string(kRepo) + "/issues?state=open&labels=feature");
  ASSERT_EQ(issues.status, 200);
  ASSERT_EQ(issues.body_json.size(), 1u);
  const int issue = issues.body_json[0]["number"];
  const auto updated =
      api("PATCH", std::string(kRepo) + "/issues/" + std::to_string(issue),
          {{"milestone", number}, {"state", "closed"}, {"assignees", {"histologe-dev"}}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.body_json["state"], "closed");
  EXPECT_EQ(updated.body_json["milestone"]["title"], "v1.7.3");
  EXPECT_EQ(updated.body_json["assignees"][0]["login"], "histologe-dev");
  EXPECT_EQ(
      api("PATCH", std::string(kRepo) + "/issues/" + std::to_string(issue), {{"milestone", 999}})
          .status,
      422);

  const auto closed = api(
      "GET", std::string(kRepo) + "/issues?milestone=" + std::to_string(number) + "&state=closed");
  ASSERT_EQ(closed.body_json.size(), 1u);
  EXPECT_EQ(closed.body_json[0]["number"], issue);
  const auto milestone =
      api("GET", std::string(kRepo) + "/milestones/" + std::to_string(number)).body_json;
  EXPECT_EQ(milestone["closed_issues"], 1);
  EXPECT_EQ(milestone["open_issues"], 0);
  EXPECT_EQ(events_named("github.milestone.created").size(), 1u);
  ASSERT_EQ(events_named("github.issue.closed").size(), 1u);
  EXPECT_EQ(events_named("github.issue.closed")[0].field("milestone"), "v1.7.3");
}

TEST_F(GitHubFakeTest, WebhookSignatureVerifiesAtTheReceiver) {
  // A hook with a secret receives ping then push, each signed sha256=HMAC(secret, body),
  // with GitHub's event and delivery headers.
  httplib::Server receiver;
  std::mutex mutex;
  std::vector<std::pair<httplib::Headers, std::string>> received;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    received.emplace_back(req.headers, req.body);
    res.status = 204;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread serving([&] { receiver.listen_after_bind(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  const auto hook = api("POST", std::string(kRepo) + "/hooks",
                        {{"name", "web"},
                         {"config", {{"url", url}, {"secret", "s3cret"}, {"content_type", "json"}}},
                         {"events", {"push", "pull_request"}}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  EXPECT_EQ(hook.body_json["config"]["secret"], "********");
  ASSERT_EQ(merge_develop_into_main().status, 201);
  ASSERT_TRUE(fake_->wait_deliveries_idle(10s));
  receiver.stop();
  serving.join();

  std::lock_guard lock(mutex);
  std::vector<std::string> kinds;
  for (const auto& [headers, body] : received) {
    const auto event = headers.find("X-GitHub-Event")->second;
    kinds.push_back(event);
    const auto signature = headers.find("X-Hub-Signature-256");
    ASSERT_NE(signature, headers.end());
    EXPECT_EQ(signature->second, "sha256=" + to_hex(hmac_sha256("s3cret", body))) << event;
    EXPECT_EQ(headers.find("X-GitHub-Delivery")->second.size(), 36u);
    EXPECT_EQ(headers.find("Content-Type")->second, "application/json");
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"ping", "push", "pull_request"}));
  const auto push = json::parse(received[1].second);
  EXPECT_EQ(push["ref"], "refs/heads/main");
  EXPECT_EQ(push["after"], sha_of("refs/heads/main"));
  EXPECT_EQ(push["repository"]["default_branch"], "main");
  EXPECT_EQ(push["pusher"]["name"], "histologe-dev");
  EXPECT_FALSE(push["commits"].empty());
  EXPECT_EQ(fake_->delivery_stats().delivered, 3u);
}

TEST_F(GitHubFakeTest, DeliveryFailuresAreRecordedNotRetried) {
  // A hook nobody listens on: its deliveries fail once each, recorded with no status.
  const auto hook = api("POST", std::string(kRepo) + "/hooks",
                        {{"config", {{"url", "http://127.0.0.1:9/hook"}}}, {"events", {"*"}}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  ASSERT_TRUE(fake_->wait_deliveries_idle(30s));
  const auto stats = fake_->delivery_stats();
  EXPECT_EQ(stats.delivered, 0u);
  EXPECT_EQ(stats.failed, 1u);  // the ping
  const auto deliveries = fake_->deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].event, "ping");
  EXPECT_EQ(deliveries[0].status_code, 0);
  EXPECT_FALSE(deliveries[0].error.empty());
}

class GitHubFakeQueueTest : public GitHubFakeTest {
 protected:
  void SetUp() override {
    GitHubFakeOptions options;
    options.delivery_queue_max = 2;
    start(options);
  }
};

TEST_F(GitHubFakeQueueTest, FullQueueDropsTheOldestAndCountsIt) {
  // With one delivery stuck in a listener and room for 2 more, 4 more events drop the 2
  // oldest waiting; the rest arrive in order once the listener returns.
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::mutex mutex;
  std::vector<std::string> titles;
  bool first = true;
  fake_->subscribe({"issues"}, [&](const std::string&, const json& payload) {
    {
      std::lock_guard lock(mutex);
      titles.push_back(payload["issue"]["title"]);
      if (!first) return;
      first = false;
    }
    entered.set_value();
    released.wait();
  });
  auto open_issue = [&](const std::string& title) {
    ASSERT_EQ(api("POST", std::string(kRepo) + "/issues", {{"title", title}}).status, 201);
  };
  open_issue("i0");
  entered.get_future().wait();
  for (const char* title : {"i1", "i2", "i3", "i4"}) open_issue(title);
  EXPECT_EQ(fake_->delivery_stats().dropped, 2u);
  EXPECT_EQ(fake_->delivery_stats().queued, 2u);
  release.set_value();
  ASSERT_TRUE(fake_->wait_deliveries_idle(10s));
  std::lock_guard lock(mutex);
  EXPECT_EQ(titles, (std::vector<std::string>{"i0", "i3", "i4"}));
  EXPECT_EQ(fake_->delivery_stats().delivered, 3u);
}

class GitHubFakeCommandTest : public GitHubFakeTest {
 protected:
  void SetUp() override {
    GitHubFakeOptions options;
    options.ci.command = "test -f review.txt && test \"$(cat review.txt)\" = 'Review app tweak'";
    start(options);
  }
};

TEST_F(GitHubFakeCommandTest, RealCommandRunsInACheckoutOfTheCommit) {
  // With ci.command set, a run's verdict is the command's exit code in a checkout of
  // the commit: main after the merge has review.txt, develop's first commit has not.
  ASSERT_EQ(merge_develop_into_main().status, 201);
  run_for(10min);
  EXPECT_EQ(fake_->combined_status("main").value(), CombinedState::success);
  auto commands = events_named("ci.command");
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].field("exit_code"), "0");

  const std::string old = sha_of("refs/heads/develop~3");
  ASSERT_EQ(api("POST", std::string(kRepo) + "/git/refs", {{"ref", "refs/heads/old"}, {"sha", old}})
                .status,
            201);
  run_for(10min);
  EXPECT_EQ(fake_->combined_status(old).value(), CombinedState::failure);
  commands = events_named("ci.command");
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_NE(commands[1].field("exit_code"), "0");
  EXPECT_EQ(events_named("ci.finished").back().field("reason"), "command");
}

TEST_F(GitHubFakeTest, SmartHttpPushNeedsTheToken) {
  // Clones are anonymous; a receive-pack without the token is 401 with a Basic challenge.
  httplib::Client client(fake_->base_url());
  const auto refs = client.Get("/MTES-MCT/histologe.git/info/refs?service=git-upload-pack");
  ASSERT_TRUE(refs);
  EXPECT_EQ(refs->status, 200);
  EXPECT_NE(refs->body.find("refs/heads/main"), std::string::npos);
  const auto push = client.Get("/MTES-MCT/histologe.git/info/refs?service=git-receive-pack");
  ASSERT_TRUE(push);
  EXPECT_EQ(push->status, 401);
  EXPECT_EQ(push->get_header_value("WWW-Authenticate"), "Basic realm=\"GitHub\"");
  client.set_basic_auth("x-access-token", kToken);
  const auto allowed = client.Get("/MTES-MCT/histologe.git/info/refs?service=git-receive-pack");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_EQ(fake_->git_url(), fake_->base_url() + "/MTES-MCT/histologe.git");
}

TEST(GitHubReleaseNotes, SemverPartsAndBugFixLabels) {
  // Tags read as MAJOR.MINOR.PATCH (leading v allowed); bug-ish labels sort as bug fixes.
  EXPECT_EQ(semver_parts("1.7.3"), (std::vector<long>{1, 7, 3}));
  EXPECT_EQ(semver_parts("v2.0.10"), (std::vector<long>{2, 0, 10}));
  EXPECT_FALSE(semver_parts("1.7"));
  EXPECT_FALSE(semver_parts("1.7.3-rc1"));
  EXPECT_FALSE(semver_parts("release"));
  EXPECT_TRUE(is_bug_fix({"Bug"}));
  EXPECT_TRUE(is_bug_fix({"feature", "hotfix"}));
  EXPECT_FALSE(is_bug_fix({"feature"}));
  EXPECT_EQ(release_notes_body("o", "r", "1.0.0", std::nullopt, "2026-01-05", {}),
            "# :rocket:  1.0.0 (2026-01-05)\n## Features\n## Bug fixes\n"
            "**Full Changelog**: https://github.com/o/r/commits/1.0.0");
}

}  // namespace
}  // namespace mepsim::fakes::github
