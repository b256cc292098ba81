// Unit tests of the events the procedure's rules read (harness/rules/procedure_rules.h),
// where they are published: the platform (a deployment's commit and branches, variable
// changes with public values only), the GitHub fake (seeded tags, the push behind an
// implicit merge, release bodies bounded, branches holding a commit), Mattermost, Brevo
// and Sentry. Each publisher is driven as in a run, then its events are read back.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/brevo/brevo_fake.h"
#include "fakes/github/git_origin.h"
#include "fakes/github/git_source_provider.h"
#include "fakes/github/github_fake.h"
#include "fakes/mattermost/mattermost_fake.h"
#include "fakes/sentry/sentry_fake.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::vector<Event> named(const EventLog& log, const std::string& name) {
  std::vector<Event> out;
  for (const auto& e : log.retained()) {
    if (e.name == name) out.push_back(e);
  }
  return out;
}

bool has_field(const Event& e, const std::string& key) {
  for (const auto& f : e.fields) {
    if (f.key == key) return true;
  }
  return false;
}

// ---- Platform ------------------------------------------------------------------------

class RuleEvents : public PlatformFixture {};

TEST_F(RuleEvents, QueuedDeploymentCarriesItsCommitAndBranches) {
  // A deployment's queued event names the commit its ref resolved to and the branches
  // holding it (a map source: the ref itself); the boot names its commit too.
  const auto d = deploy(kProd, "develop");
  const auto queued = logged("deployment.status", "deployment", d.id);
  ASSERT_FALSE(queued.empty());
  EXPECT_EQ(queued[0].field("status"), "queued");
  EXPECT_EQ(queued[0].field("sha"), "develop");
  EXPECT_EQ(queued[0].field("branches"), "develop");
  const auto booted = logged("app.booted", "app", kProd);
  ASSERT_EQ(booted.size(), 1u);
  EXPECT_EQ(booted[0].field("sha"), "main");
  EXPECT_EQ(booted[0].field("git_ref"), "main");
}

TEST_F(RuleEvents, VariableChangesCarryPublicValuesOnly) {
  // Every change is a variable.changed event with its action; the value comes only for
  // MAINTENANCE_* names, never for others (a secret's value never reaches the log).
  ASSERT_TRUE(platform().create_variable(kProd, {"PARTNER_API_KEY_X", "s3cr3t"}).ok());
  ASSERT_TRUE(platform()
                  .bulk_update_variables(kProd, {{"MAINTENANCE_ENABLE", "1"}, {"S3_ENABLE", "1"}})
                  .ok());
  auto vars = platform().variables(kProd);
  ASSERT_TRUE(vars.ok());
  std::string id;
  for (const auto& v : *vars) {
    if (v.name == "PARTNER_API_KEY_X") id = v.id;
  }
  ASSERT_TRUE(platform().delete_variable(kProd, id).ok());
  std::vector<std::string> seen;
  for (const auto& e : logged("variable.changed", "app", kProd)) {
    seen.push_back(e.field("name") + " " + e.field("action") +
                   (has_field(e, "value") ? "=" + e.field("value") : ""));
    EXPECT_EQ(e.field("value").find("s3cr3t"), std::string::npos);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "MAINTENANCE_BANNER_ENABLE initial=0",
                      "MAINTENANCE_BANNER_MESSAGE initial=", "MAINTENANCE_ENABLE initial=0",
                      "PARTNER_API_KEY_X created", "MAINTENANCE_ENABLE updated=1",
                      "S3_ENABLE unchanged", "PARTNER_API_KEY_X deleted"}));
}

TEST(PublicVariables, MaintenanceNamesUnlessSecretLooking) {
  // The allow-list: MAINTENANCE_* names, except one that looks secret.
  EXPECT_TRUE(platform::is_public_variable("MAINTENANCE_BANNER_MESSAGE"));
  EXPECT_FALSE(platform::is_public_variable("MAINTENANCE_TOKEN"));
  EXPECT_FALSE(platform::is_public_variable("APP_SECRET"));
  EXPECT_EQ(cut_utf8("été", 2), "é");
  EXPECT_EQ(cut_utf8("été", 1), "");
}

// ---- GitHub --------------------------------------------------------------------------

fakes::github::SeedCommit commit(const std::string& message, const std::string& file) {
  fakes::github::SeedCommit out;
  out.message = message;
  out.files[file] = message + "\n";
  return out;
}

// main (tag 1.7.3) ← develop ← review_app, merged into develop, with an open PR into main.
class GitHubRuleEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = ScratchDir::create("procedure-events-test");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    scratch_ = std::make_unique<ScratchDir>(std::move(*dir));
    fakes::github::RepositorySeed seed;
    seed.epoch = std::chrono::sys_days{std::chrono::year{2026} / 1 / 5} + 9h;
    auto root = commit("Initial commit", "README.md");
    root.manifest_yaml = "version: 1.7.3\n";
    seed.branches = {{"main", "", {root}},
                     {"develop", "main", {commit("Prepare 1.7.4", "CHANGELOG.md")}},
                     {"review_app", "develop", {commit("Review app tweak", "review.txt")}}};
    seed.tags = {{"1.7.3", "main"}};
    auto origin = fakes::github::GitOrigin::create(scratch_->path() / "origin", seed, &clock_);
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
    fakes::github::GitHubFakeOptions options;
    options.token = "ghp_proceduretest0123456789abcdefghijklm";
    options.control_clock = &clock_;
    fake_ = std::make_unique<fakes::github::GitHubFake>(*origin_, Rng(3), log_, options);
    fakes::github::GitHubSeed github;
    github.pulls = {{1130, "Review app tweak", "review_app", "develop", "", {}, "dev", "merged"},
                    {1131, "Review app into main", "review_app", "main", "", {}, "dev", "open"}};
    ASSERT_TRUE(fake_->seed(github).ok());
    ASSERT_TRUE(fake_->start().ok());
  }

  int post(const std::string& path, const json& body) {
    httplib::Client client(fake_->base_url());
    const httplib::Headers headers = {
        {"Authorization", "token ghp_proceduretest0123456789abcdefghijklm"}};
    auto res =
        client.Post("/repos/MTES-MCT/histologe" + path, headers, body.dump(), "application/json");
    return res ? res->status : 0;
  }

  VirtualClock clock_{default_scenario_start()};
  EventLog log_;
  std::unique_ptr<ScratchDir> scratch_;
  std::unique_ptr<fakes::github::GitOrigin> origin_;
  std::unique_ptr<fakes::github::GitHubFake> fake_;
};

TEST_F(GitHubRuleEvents, SeededTagsAndTheImplicitMergesPush) {
  // The seed publishes its tags; merging develop into main merges PR #1131 implicitly,
  // and the merge event names the push of main that did it.
  const auto seeded = named(log_, "github.tag.seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0].field("tag"), "1.7.3");
  EXPECT_EQ(seeded[0].field("sha"), origin_->resolve("1.7.3").value());
  ASSERT_EQ(post("/merges", {{"base", "main"}, {"head", "develop"}}), 201);
  const auto merged = named(log_, "github.pull_request.merged");
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].field("number"), "1131");
  EXPECT_EQ(merged[0].field("implicit"), "true");
  EXPECT_EQ(merged[0].field("pushed_ref"), "refs/heads/main");
}

TEST_F(GitHubRuleEvents, ReleaseBodyIsBoundedOnTheTimeline) {
  // A release body past 16 KiB reaches the timeline cut, with its full size beside it.
  const std::string body(20'000, 'x');
  ASSERT_EQ(
      post("/releases", {{"tag_name", "1.7.4"}, {"target_commitish", "main"}, {"body", body}}),
      201);
  const auto created = named(log_, "github.release.created");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].field("body").size(), 16u * 1024);
  EXPECT_EQ(created[0].field("body_bytes"), "20000");
  EXPECT_EQ(named(log_, "github.tag.created").size(), 1u);
}

TEST_F(GitHubRuleEvents, SourceProviderKnowsTheBranchesHoldingACommit) {
  // main's head is on every branch; review_app's only on review_app and develop (merged).
  fakes::github::GitSourceProvider source(*origin_);
  const auto main_sha = source.resolve("histologe", "main");
  ASSERT_TRUE(main_sha.ok());
  EXPECT_EQ(source.branches_containing("histologe", *main_sha).value(),
            (std::vector<std::string>{"develop", "main", "review_app"}));
  const auto review = source.resolve("histologe", "review_app").value();
  EXPECT_EQ(source.branches_containing("histologe", review).value(),
            (std::vector<std::string>{"develop", "review_app"}));
  EXPECT_FALSE(source.resolve("histologe", "no-such-branch").ok());
}

// ---- Mattermost, Brevo, Sentry --------------------------------------------------------

TEST(ThirdPartyRuleEvents, MattermostPostIsAControlPlaneMessage) {
  // A post to the hook is a mattermost.message event with its text, at the control time.
  VirtualClock clock{default_scenario_start()};
  EventLog log;
  fakes::mattermost::MattermostFakeOptions options;
  options.control_clock = &clock;
  options.events = &log;
  fakes::mattermost::MattermostFake fake(Rng(5), options);
  ASSERT_TRUE(fake.start().ok());
  httplib::Client client(fake.base_url());
  auto res = client.Post("/hooks/" + fake.hook_id(), R"({"text":"# :rocket:  1.7.4"})",
                         "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const auto posted = named(log, "mattermost.message");
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].plane, Plane::control);
  EXPECT_EQ(posted[0].field("text"), "# :rocket:  1.7.4");
  EXPECT_EQ(posted[0].at, clock.now());
}

TEST(ThirdPartyRuleEvents, BrevoMailIsADataPlaneEvent) {
  // An accepted mail is a brevo.email.sent event with its recipients and subject.
  VirtualClock clock{default_scenario_start()};
  EventLog log;
  fakes::brevo::BrevoFakeOptions options;
  options.control_clock = &clock;
  options.events = &log;
  fakes::brevo::BrevoFake fake(Rng(6), options);
  ASSERT_TRUE(fake.start().ok());
  httplib::Client client(fake.base_url());
  const json body = {{"sender", {{"email", "noreply@signal-logement.fr"}}},
                     {"to", {{{"email", "occupant@example.org"}}}},
                     {"subject", "Votre signalement"},
                     {"htmlContent", "<p>Bonjour</p>"}};
  const httplib::Headers headers = {{"api-key", fake.api_key()}};
  auto res = client.Post("/v3/smtp/email", headers, body.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const auto sent = named(log, "brevo.email.sent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].plane, Plane::data);
  EXPECT_EQ(sent[0].field("to"), "occupant@example.org");
  EXPECT_EQ(sent[0].field("subject"), "Votre signalement");
}

TEST(ThirdPartyRuleEvents, SentryPublishesEachNewIssueOnce) {
  // Two events of one error make one issue: one sentry.issue.created, data plane, at the
  // issue's firstSeen, naming its project and release.
  VirtualClock clock{default_scenario_start()};
  EventLog log;
  fakes::sentry::SentryFakeOptions options;
  options.control_clock = &clock;
  options.events = &log;
  fakes::sentry::SentryFake fake(Rng(7), options);
  ASSERT_TRUE(fake.start().ok());
  const std::string dsn = fake.dsn("histologe");
  const std::string key = dsn.substr(7, dsn.find('@') - 7);
  const json event = {{"level", "error"},
                      {"release", "1.7.4"},
                      {"exception", {{"values", {{{"type", "TypeError"}, {"value", "x"}}}}}}};
  const std::string envelope =
      json::object().dump() + "\n" + json{{"type", "event"}}.dump() + "\n" + event.dump();
  httplib::Client client(fake.base_url());
  const std::string path =
      "/api/" + fake.project_id("histologe") + "/envelope/?sentry_version=7&sentry_key=" + key;
  for (int i = 0; i < 2; ++i) {
    auto res = client.Post(path, envelope, "application/x-sentry-envelope");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    clock.advance(1min);
  }
  const auto created = named(log, "sentry.issue.created");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].plane, Plane::data);
  EXPECT_EQ(created[0].field("project"), "histologe");
  EXPECT_EQ(created[0].field("release"), "1.7.4");
  EXPECT_EQ(created[0].at, default_scenario_start());
}

}  // namespace
}  // namespace mepsim::platform_test
