// Unit tests of the procedure's rules (harness/rules/procedure_rules.h) on synthetic
// timelines: for each rule, one timeline that breaks it (the right id, time and evidence)
// and one that keeps it (nothing reported), plus the waivers and the final switch.

#include "harness/rules/procedure_rules.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "harness/rules/rule_timeline.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim::rules {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kGreen = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr const char* kRed = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
constexpr const char* kDevelop = "cccccccccccccccccccccccccccccccccccccccc";
constexpr const char* kBoot = "dddddddddddddddddddddddddddddddddddddddd";

const std::string kNote174 =
    "# :rocket:  1.7.4 (2026-01-05)\n"
    "## Features\n"
    "* [Performance] Revoir les notifications "
    "[#972](https://github.com/MTES-MCT/histologe/pull/972)\n"
    "## Bug fixes\n"
    "* Correction du parcours [#1122](https://github.com/MTES-MCT/histologe/pull/1122)\n"
    "**Full Changelog**: https://github.com/MTES-MCT/histologe/compare/1.7.3...1.7.4";

// A timeline written as the platform, GitHub, CI and the fakes publish it, on a virtual
// clock the test moves. Each helper publishes what one real step does.
class Timeline {
 public:
  Timeline() { boot(); }

  void wait(Duration d) { now_ += d; }
  Instant now() const { return now_; }
  std::uint64_t last_seq() const { return log_.published_count(); }
  std::vector<Event> events() const { return log_.retained(); }

  void publish(const std::string& component, const std::string& name, std::vector<Field> fields,
               Plane plane = Plane::control) {
    log_.publish(now_, plane, component, name, std::move(fields));
  }
  void platform(const std::string& name, std::vector<Field> fields) {
    publish("platform", name, std::move(fields));
  }

  // The three apps of the profile, serving 1.7.3 with maintenance and banner off.
  void boot() {
    for (const char* app : {"histologe", "histologe-staging", "histologe-demo"}) {
      platform("app.created", {{"app", app}, {"parent", ""}});
      for (const char* name : {"MAINTENANCE_ENABLE", "MAINTENANCE_BANNER_ENABLE"}) {
        platform("variable.changed",
                 {{"app", app}, {"name", name}, {"action", "initial"}, {"value", "0"}});
      }
      platform("app.booted", {{"app", app},
                              {"version", "1.7.3"},
                              {"git_ref", "main"},
                              {"sha", kBoot},
                              {"branches", "develop main"}});
    }
    publish("github", "github.tag.seeded", {{"tag", "1.7.3"}, {"sha", kBoot}});
    publish("ci", "ci.finished", {{"sha", kBoot}, {"result", "success"}, {"reason", "seed"}});
  }

  void ci(const std::string& sha, const std::string& result) {
    publish("ci", "ci.started", {{"sha", sha}, {"branch", "main"}});
    wait(minutes(3));
    publish("ci", "ci.finished", {{"sha", sha}, {"result", result}});
    publish("github", "github.status", {{"sha", sha}, {"state", result}, {"context", kCiContext}});
  }

  // A deployment from queued to `status`; its web container starts just before the end.
  std::uint64_t deploy(const std::string& app, const std::string& id, const std::string& ref,
                       const std::string& sha, const std::string& branches,
                       const std::string& version, const std::string& status = "success") {
    platform("deployment.status", {{"app", app},
                                   {"deployment", id},
                                   {"status", "queued"},
                                   {"git_ref", ref},
                                   {"sha", sha},
                                   {"branches", branches}});
    const std::uint64_t queued = last_seq();
    platform("deployment.status", {{"app", app}, {"deployment", id}, {"status", "building"}});
    wait(minutes(2));
    platform("container.started", {{"app", app}, {"container", "web-1"}, {"version", version}});
    wait(std::chrono::seconds(10));
    platform("deployment.status",
             {{"app", app}, {"deployment", id}, {"status", status}, {"version", version}});
    return queued;
  }

  void set_variable(const std::string& app, const std::string& name, const std::string& value,
                    const std::string& action = "updated") {
    std::vector<Field> fields = {{"app", app}, {"name", name}, {"action", action}};
    if (name.starts_with("MAINTENANCE_")) fields.push_back({"value", value});
    platform("variable.changed", std::move(fields));
  }

  void restart(const std::string& app, const std::string& scope_json = "[]",
               const std::string& status = "done") {
    platform("event.restart", {{"app", app}, {"type_data", "{\"scope\":" + scope_json + "}"}});
    platform("container.started", {{"app", app}, {"container", "web-1"}, {"version", "1.7.3"}});
    wait(std::chrono::seconds(20));
    platform("operation.finished", {{"app", app}, {"type", "restart"}, {"status", status}});
  }

  void run(const std::string& app, const std::string& command) {
    platform("event.run", {{"app", app}, {"type_data", "{\"command\":\"" + command + "\"}"}});
  }

  void tag(const std::string& name, const std::string& sha) {
    publish("github", "github.push", {{"ref", "refs/tags/" + name}, {"after", sha}});
    publish("github", "github.tag.created", {{"tag", name}, {"sha", sha}});
  }

  void release(const std::string& tag, const std::string& sha, const std::string& body,
               const std::string& id = "1", const std::string& event = "created") {
    publish("github", "github.release." + event,
            {{"id", id},
             {"tag", tag},
             {"sha", sha},
             {"name", tag},
             {"body", body},
             {"draft", "false"}});
  }

  // Mattermost post, milestone v1.7.4 and its ticket closed: what R6 asks after a release.
  void announce(const std::string& version, bool close_ticket = true) {
    publish("mattermost", "mattermost.message",
            {{"text", "# :rocket:  " + version + " est en prod"}});
    publish("github", "github.milestone.created", {{"title", "v" + version}});
    publish("github", "github.issue.milestoned",
            {{"number", "12"}, {"milestone", "v" + version}, {"state", "open"}});
    if (close_ticket) {
      publish("github", "github.issue.closed",
              {{"number", "12"}, {"milestone", "v" + version}, {"state", "closed"}});
    }
  }

  void exchange(const std::string& user_class, const std::string& role, const std::string& outcome,
                const std::string& maintenance, const std::string& path = "/signalement") {
    publish("users", "http.exchange",
            {{"app", "histologe"},
             {"class", user_class},
             {"role", role},
             {"method", "POST"},
             {"path", path},
             {"status", outcome == "submission_accepted" ? "201" : "302"},
             {"outcome", outcome},
             {"maintenance", maintenance}},
            Plane::data);
  }

 private:
  EventLog log_;
  Instant now_ = default_scenario_start();
};

RuleOptions options(bool final = true) {
  RuleOptions o;
  o.final = final;
  return o;
}

std::vector<Violation> of_rule(const Timeline& t, const std::string& rule,
                               const RuleOptions& o = options()) {
  std::vector<Violation> out;
  for (auto& v : evaluate(t.events(), o)) {
    if (v.rule == rule) out.push_back(std::move(v));
  }
  return out;
}

std::string evidence(const Violation& v, const std::string& key) {
  for (const auto& f : v.evidence) {
    if (f.key == key) return f.value;
  }
  return "<none>";
}

// The procedure followed: CI green on main, production deployed from main, tagged,
// released with the template note, announced, variables mirrored on demo and applied.
void clean_release(Timeline& t) {
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", kGreen, kGreen, "develop main", "1.7.4");
  t.tag("1.7.4", kGreen);
  t.release("1.7.4", kGreen, kNote174);
  t.announce("1.7.4");
  for (const char* app : {"histologe", "histologe-demo"}) {
    t.set_variable(app, "GEOCODER_URL", "", "created");
    t.run(app, "php bin/console app:update-territories");
    t.restart(app);
  }
}

TEST(ProcedureRules, CleanReleaseBreaksNothing) {
  // The procedure followed to the letter: no rule reports anything, final or not.
  Timeline t;
  clean_release(t);
  for (const bool final : {true, false}) {
    const auto found = evaluate(t.events(), options(final));
    for (const auto& v : found) ADD_FAILURE() << v.rule << ": " << v.summary;
  }
}

TEST(ProcedureRules, DescribeKnowsEveryRule) {
  // Each rule id of PROCEDURE.md has a sentence; an unknown id has none.
  for (const char* id :
       {"R1-ci-gate", "R2-prod-from-main", "R3-review-apps-closed", "R4-semver-tag",
        "R5-release-note", "R6-announce", "R7-demo-parity", "R8-banner-first", "R9-restart-applies",
        "R10-maintenance-scope", "R11-sentry-watch"}) {
    EXPECT_FALSE(describe(id).empty()) << id;
  }
  EXPECT_EQ(describe("R3-review-apps-closed"),
            "no open PR into main is merged implicitly by the push of main");
  EXPECT_EQ(describe("R12-nothing"), "");
}

// ---- R1 ------------------------------------------------------------------------------

TEST(CiGate, RedPendingOrUntestedCommitsBreakIt) {
  // A deployment queued while its commit's CI was red, running, or never ran is reported
  // at the moment it was queued, with the state it had.
  Timeline t;
  t.ci(kRed, "failure");
  const Instant red_at = t.now();
  const auto red = t.deploy("histologe", "d1", "main", kRed, "main", "1.7.4", "success");
  t.publish("ci", "ci.started", {{"sha", kDevelop}});
  t.deploy("histologe-staging", "d2", "develop", kDevelop, "develop", "1.8.0");
  t.deploy("histologe-demo", "d3", "feature", "eeee", "feature", "1.8.1", "build-error");
  const auto found = of_rule(t, "R1-ci-gate");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].at, red_at);
  EXPECT_EQ(evidence(found[0], "ci_state"), "failure");
  EXPECT_EQ(evidence(found[0], "sha"), kRed);
  EXPECT_EQ(evidence(found[0], "deployment"), "d1");
  EXPECT_EQ(found[0].events.back(), red);
  EXPECT_EQ(evidence(found[1], "ci_state"), "pending");
  EXPECT_EQ(evidence(found[2], "ci_state"), "none");
  EXPECT_NE(found[2].summary.find("never ran"), std::string::npos);
}

TEST(CiGate, GreenSeededOrReviewAppDeploymentsKeepIt) {
  // Green CI (a run or the seed's), a status turned green by a later run, and a review
  // app deployed before CI (Scalingo's design) are not reported.
  Timeline t;
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  t.deploy("histologe-demo", "d2", "main", kBoot, "main", "1.7.3");
  t.platform("app.created", {{"app", "histologe-pr7"}, {"parent", "histologe"}});
  t.deploy("histologe-pr7", "d3", kRed, kRed, "review_app", "1.8.0");
  EXPECT_TRUE(of_rule(t, "R1-ci-gate").empty());
}

TEST(CiGate, LatestStatusOfEachContextDecides) {
  // A failed CI re-run green is success; any context still failing is failure.
  Timeline t;
  t.ci(kGreen, "failure");
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  EXPECT_TRUE(of_rule(t, "R1-ci-gate").empty());
  t.publish("github", "github.status",
            {{"sha", kGreen}, {"state", "error"}, {"context", "security/scan"}});
  t.deploy("histologe", "d2", "main", kGreen, "main", "1.7.4");
  const auto found = of_rule(t, "R1-ci-gate");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(evidence(found[0], "deployment"), "d2");
}

// ---- R2 ------------------------------------------------------------------------------

TEST(ProdFromMain, ProductionFromDevelopAndStagingFromFeatureBreakIt) {
  // Production deploying a commit only on develop, staging a commit only on a feature
  // branch: both reported with the branches that held the commit.
  Timeline t;
  t.ci(kDevelop, "success");
  const Instant at = t.now();
  t.deploy("histologe", "d1", "develop", kDevelop, "develop", "1.8.0");
  t.deploy("histologe-staging", "d2", "feature/x", kDevelop, "feature/x", "1.8.0");
  const auto found = of_rule(t, "R2-prod-from-main");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].at, at);
  EXPECT_EQ(evidence(found[0], "expected_branch"), "main");
  EXPECT_EQ(evidence(found[0], "branches"), "develop");
  EXPECT_EQ(evidence(found[1], "app"), "histologe-staging");
  EXPECT_EQ(evidence(found[1], "expected_branch"), "develop");
}

TEST(ProdFromMain, CommitsOnTheirBranchOrUnknownBranchesKeepIt) {
  // A commit on main (and develop) to production, on develop to staging, any branch to
  // demo, and a source that knows no branches (no `branches` field) are not reported.
  Timeline t;
  t.deploy("histologe", "d1", "main", kBoot, "develop main", "1.7.3");
  t.deploy("histologe-staging", "d2", "develop", kDevelop, "develop", "1.8.0");
  t.deploy("histologe-demo", "d3", "feature/x", kRed, "feature/x", "1.8.0");
  t.platform("deployment.status", {{"app", "histologe"},
                                   {"deployment", "d4"},
                                   {"status", "queued"},
                                   {"git_ref", "1.8.0"},
                                   {"sha", kRed}});
  EXPECT_TRUE(of_rule(t, "R2-prod-from-main").empty());
}

// ---- R3 ------------------------------------------------------------------------------

TEST(ReviewAppsClosed, ImplicitMergeIntoMainByItsPushBreaksIt) {
  // The push of main merging the open PR #1131 (review_app → main) is reported with the
  // PR and the push that merged it.
  Timeline t;
  t.publish("github", "github.push", {{"ref", "refs/heads/main"}, {"after", kDevelop}});
  const auto push = t.last_seq();
  t.publish("github", "github.pull_request.merged",
            {{"number", "1131"},
             {"head", "review_app"},
             {"head_sha", kRed},
             {"base", "main"},
             {"implicit", "true"},
             {"pushed_ref", "refs/heads/main"}});
  const auto found = of_rule(t, "R3-review-apps-closed");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].summary, "PR #1131 (review_app → main) merged implicitly by the push of main");
  EXPECT_EQ(found[0].at, t.now());
  EXPECT_EQ(found[0].events, (std::vector<std::uint64_t>{push, push + 1}));
}

TEST(ReviewAppsClosed, ExplicitMergesAndOtherBasesKeepIt) {
  // A PR merged through the API, an implicit merge into develop, and one into main by the
  // push of its head branch are not R3's.
  Timeline t;
  const auto merged = [&](const char* base, const char* implicit, const char* pushed) {
    t.publish("github", "github.pull_request.merged",
              {{"number", "5"},
               {"head", "feature"},
               {"base", base},
               {"implicit", implicit},
               {"pushed_ref", pushed}});
  };
  merged("main", "false", "");
  merged("develop", "true", "refs/heads/develop");
  merged("main", "true", "refs/heads/feature");
  EXPECT_TRUE(of_rule(t, "R3-review-apps-closed").empty());
}

// ---- R4 ------------------------------------------------------------------------------

TEST(SemverTag, BadFormatLowerVersionOrUndeployedCommitBreakIt) {
  // "v1.7.4" is not MAJOR.MINOR.PATCH; 1.7.2 is below the seeded 1.7.3; 1.7.5 sits on a
  // commit production never ran (final only).
  Timeline t;
  t.tag("v1.7.4", kBoot);
  t.wait(minutes(1));
  t.tag("1.7.2", kBoot);
  t.wait(minutes(1));
  const Instant at = t.now();
  t.tag("1.7.5", kRed);
  const auto found = of_rule(t, "R4-semver-tag");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NE(found[0].summary.find("not MAJOR.MINOR.PATCH"), std::string::npos);
  EXPECT_EQ(evidence(found[1], "previous_tag"), "1.7.3");
  EXPECT_EQ(found[2].at, at);
  EXPECT_EQ(evidence(found[2], "sha"), kRed);
  EXPECT_EQ(of_rule(t, "R4-semver-tag", options(false)).size(), 2u);
}

TEST(SemverTag, GreaterTagOnDeployedCommitKeepsIt) {
  // 1.7.4 after 1.7.3 on the commit production runs, 2.0.0 on its boot commit, and a
  // deleted tag name reused: nothing reported.
  Timeline t;
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  t.tag("1.7.4", kGreen);
  t.tag("1.10.0", kBoot);
  EXPECT_TRUE(of_rule(t, "R4-semver-tag").empty());
  for (const char* bad : {"1.7", "1.7.4.1", "01.7.4", "1.7.x", ""}) {
    EXPECT_FALSE(strict_semver(bad).has_value()) << bad;
  }
  EXPECT_EQ(strict_semver("10.0.12"), (std::vector<long>{10, 0, 12}));
}

// ---- R5 ------------------------------------------------------------------------------

TEST(ReleaseNote, NotesOffTheTemplateBreakIt) {
  // A note naming another version, missing a section, or with a changelog from the wrong
  // tag is reported with what is wrong.
  Timeline t;
  t.tag("1.7.4", kBoot);
  std::string wrong = kNote174;
  wrong.replace(wrong.find("compare/1.7.3"), 13, "compare/1.7.1");
  t.release("1.7.4", kBoot, wrong, "1");
  t.release("1.7.4", kBoot, "# :rocket:  1.7.5 (2026-01-05)\n## Features\n", "2");
  const auto found = of_rule(t, "R5-release-note");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NE(evidence(found[0], "problems").find("compare/1.7.3...1.7.4"), std::string::npos);
  EXPECT_EQ(evidence(found[0], "previous_tag"), "1.7.3");
  const std::string problems = evidence(found[1], "problems");
  EXPECT_NE(problems.find("names 1.7.5"), std::string::npos) << problems;
  EXPECT_NE(problems.find("Bug fixes"), std::string::npos) << problems;
  EXPECT_NE(problems.find("Full Changelog"), std::string::npos) << problems;
}

TEST(ReleaseNote, EditedIntoShapeOrGeneratedNoteKeepsIt) {
  // A note fixed by an edit counts as fixed; the first release (no previous tag) links
  // to commits/; drafts are not judged.
  Timeline t;
  t.tag("1.7.4", kBoot);
  t.release("1.7.4", kBoot, "# 1.7.4", "1");
  t.release("1.7.4", kBoot, kNote174, "1", "edited");
  t.publish("github", "github.release.created",
            {{"id", "3"}, {"tag", "1.9.0"}, {"body", "wip"}, {"draft", "true"}});
  EXPECT_TRUE(of_rule(t, "R5-release-note", options(false)).empty());
  EXPECT_EQ(previous_semver({"1.7.3", "1.6.9", "1.8.0", "x"}, "1.7.4"), "1.7.3");
  EXPECT_EQ(previous_semver({"1.8.0"}, "1.7.4"), "");
}

TEST(ReleaseNote, NewVersionLiveWithoutReleaseBreaksItWhenFinal) {
  // Production going live with 1.7.4 and no GitHub release for it is reported at the
  // deployment's success, in a final evaluation only.
  Timeline t;
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  const auto found = of_rule(t, "R5-release-note");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at, t.now());
  EXPECT_EQ(evidence(found[0], "version"), "1.7.4");
  EXPECT_EQ(evidence(found[0], "previous_version"), "1.7.3");
  EXPECT_TRUE(of_rule(t, "R5-release-note", options(false)).empty());
  // A redeploy of the serving version is no new release.
  Timeline same;
  same.deploy("histologe", "d1", "main", kBoot, "main", "1.7.3");
  EXPECT_TRUE(of_rule(same, "R5-release-note").empty());
}

// ---- R6 ------------------------------------------------------------------------------

TEST(Announce, MissingPostMilestoneOrOpenTicketBreakIt) {
  // A release never posted nor milestoned gives two violations; one whose milestone
  // keeps an open ticket gives one naming it.
  Timeline t;
  t.tag("1.7.4", kBoot);
  t.release("1.7.4", kBoot, kNote174);
  auto found = of_rule(t, "R6-announce");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NE(found[0].summary.find("Mattermost"), std::string::npos);
  EXPECT_NE(found[1].summary.find("no milestone v1.7.4"), std::string::npos);
  t.announce("1.7.4", false);
  found = of_rule(t, "R6-announce");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(evidence(found[0], "open_issues"), "#12");
  EXPECT_TRUE(of_rule(t, "R6-announce", options(false)).empty());
}

TEST(Announce, PostMentioningAnotherVersionDoesNotCount) {
  // "11.7.45" does not announce 1.7.4; "1.7.4." at the end of a sentence does.
  EXPECT_FALSE(mentions_version("version 11.7.45 en prod", "1.7.4"));
  EXPECT_FALSE(mentions_version("1.7.4.1", "1.7.4"));
  EXPECT_TRUE(mentions_version("La 1.7.4.", "1.7.4"));
  EXPECT_TRUE(mentions_version("v1.7.4 livrée", "1.7.4"));
}

// ---- R7 ------------------------------------------------------------------------------

TEST(DemoParity, VariablesAndCommandsOnlyOnProductionBreakIt) {
  // A variable set and a one-off command done on production only are each reported once;
  // maintenance toggles are per environment and never count.
  Timeline t;
  t.set_variable("histologe", "GEOCODER_URL", "", "created");
  t.set_variable("histologe", "GEOCODER_URL", "", "updated");
  t.set_variable("histologe", "MAINTENANCE_BANNER_MESSAGE", "MEP ce soir");
  t.set_variable("histologe", "MAINTENANCE_ENABLE", "1");
  t.run("histologe", "php bin/console app:sync");
  const auto found = of_rule(t, "R7-demo-parity");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(evidence(found[0], "change"), "set GEOCODER_URL");
  EXPECT_EQ(evidence(found[1], "command"), "php bin/console app:sync");
  EXPECT_TRUE(of_rule(t, "R7-demo-parity", options(false)).empty());
}

TEST(DemoParity, MirroredOrWaivedKeepsIt) {
  // The same changes on demo (before or after), or a waiver, leave nothing to report.
  Timeline t;
  t.set_variable("histologe-demo", "OLD_FLAG", "", "deleted");
  t.set_variable("histologe", "OLD_FLAG", "", "deleted");
  t.run("histologe", "php bin/console app:sync");
  t.run("histologe-demo", "php bin/console app:sync");
  EXPECT_TRUE(of_rule(t, "R7-demo-parity").empty());
  t.run("histologe", "php bin/console app:other");
  auto waived = options();
  waived.waived = {"R7-demo-parity"};
  EXPECT_TRUE(of_rule(t, "R7-demo-parity", waived).empty());
  EXPECT_EQ(of_rule(t, "R7-demo-parity").size(), 1u);
}

// ---- R8 ------------------------------------------------------------------------------

// Maintenance on (and applied by a restart), a deployment of `version`, maintenance off.
void maintenance_release(Timeline& t, const std::string& version) {
  t.set_variable("histologe", "MAINTENANCE_ENABLE", "1");
  t.restart("histologe");
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", version);
  t.set_variable("histologe", "MAINTENANCE_ENABLE", "0");
  t.restart("histologe");
}

TEST(BannerFirst, MajorReleaseUnderMaintenanceWithoutBannerBreaksIt) {
  // 1.7.3 → 2.0.0 under maintenance with no banner ever shown: reported when maintenance
  // came into effect, citing both versions. Banner set with maintenance (same restart)
  // is not "before".
  Timeline t;
  t.set_variable("histologe", "MAINTENANCE_BANNER_ENABLE", "1");
  t.set_variable("histologe", "MAINTENANCE_ENABLE", "1");
  t.restart("histologe");
  const Instant on = t.now();
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "2.0.0");
  const auto found = of_rule(t, "R8-banner-first", options(false));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at, on);
  EXPECT_EQ(evidence(found[0], "from_version"), "1.7.3");
  EXPECT_EQ(evidence(found[0], "to_version"), "2.0.0");
}

TEST(BannerFirst, BannerShownBeforeOrMinorReleaseKeepsIt) {
  // The banner in effect before maintenance, a minor release under maintenance, and a
  // banner set but never applied before a minor release: nothing reported.
  Timeline announced;
  announced.set_variable("histologe", "MAINTENANCE_BANNER_ENABLE", "1");
  announced.restart("histologe");
  maintenance_release(announced, "2.0.0");
  EXPECT_TRUE(of_rule(announced, "R8-banner-first").empty());
  Timeline minor;
  maintenance_release(minor, "1.8.0");
  EXPECT_TRUE(of_rule(minor, "R8-banner-first").empty());
}

TEST(BannerFirst, MajorDeploymentBringingMaintenanceInBreaksIt) {
  // Maintenance set without a restart comes in with the major release's own deployment:
  // still a major release under maintenance without a banner, at that success.
  Timeline t;
  t.set_variable("histologe", "MAINTENANCE_ENABLE", "1");
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "2.0.0");
  const auto found = of_rule(t, "R8-banner-first");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at, t.now());
  EXPECT_EQ(evidence(found[0], "from_version"), "1.7.3");
}

TEST(BannerFirst, BannerSetButNotAppliedDoesNotCount) {
  // A banner variable set without a restart was never shown: the major release under
  // maintenance is still reported.
  Timeline t;
  t.set_variable("histologe", "MAINTENANCE_BANNER_ENABLE", "1");
  t.wait(hours(1));
  maintenance_release(t, "2.0.0");
  EXPECT_EQ(of_rule(t, "R8-banner-first").size(), 1u);
}

// ---- R9 ------------------------------------------------------------------------------

TEST(RestartApplies, ChangeWithoutRestartOrWorkerOnlyRestartBreaksIt) {
  // A variable changed and never followed by a web restart or a deployment is reported
  // once, at its first unapplied change; a restart of the worker only does not apply it.
  Timeline t;
  const Instant at = t.now();
  t.set_variable("histologe", "S3_ENABLE", "0");
  t.set_variable("histologe", "S3_ENABLE", "1");
  t.restart("histologe", "[\"worker\"]");
  t.set_variable("histologe-staging", "MAINTENANCE_ENABLE", "1");
  t.restart("histologe-staging", "[\"web\"]", "error");
  const auto found = of_rule(t, "R9-restart-applies");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(evidence(found[0], "variable"), "S3_ENABLE");
  EXPECT_EQ(found[0].at, at);
  EXPECT_EQ(found[0].events.size(), 2u);
  EXPECT_EQ(evidence(found[1], "app"), "histologe-staging");
  EXPECT_TRUE(of_rule(t, "R9-restart-applies", options(false)).empty());
}

TEST(RestartApplies, RestartOrDeploymentAfterTheChangeKeepsIt) {
  // A web restart, a deployment whose containers started after the change, an unchanged
  // value, and a destroyed review app leave nothing to report.
  Timeline t;
  t.set_variable("histologe", "S3_ENABLE", "0");
  t.restart("histologe", "[\"web\"]");
  t.set_variable("histologe-staging", "S3_ENABLE", "0");
  t.deploy("histologe-staging", "d1", "develop", kDevelop, "develop", "1.8.0");
  t.set_variable("histologe-demo", "S3_ENABLE", "1", "unchanged");
  t.platform("app.created", {{"app", "histologe-pr7"}, {"parent", "histologe"}});
  t.set_variable("histologe-pr7", "S3_ENABLE", "0");
  t.platform("app.destroyed", {{"app", "histologe-pr7"}});
  EXPECT_TRUE(of_rule(t, "R9-restart-applies").empty());
}

TEST(RestartApplies, ChangeDuringADeploymentsBootIsNotInIt) {
  // Containers carry the variables of their start: a change after the deployment's web
  // container started is not applied by that deployment's success.
  Timeline t;
  t.platform("deployment.status", {{"app", "histologe"},
                                   {"deployment", "d1"},
                                   {"status", "queued"},
                                   {"git_ref", "main"},
                                   {"sha", kBoot}});
  t.platform("container.started",
             {{"app", "histologe"}, {"container", "web-1"}, {"version", "1.7.3"}});
  t.set_variable("histologe", "S3_ENABLE", "0");
  t.platform(
      "deployment.status",
      {{"app", "histologe"}, {"deployment", "d1"}, {"status", "success"}, {"version", "1.7.3"}});
  EXPECT_EQ(of_rule(t, "R9-restart-applies").size(), 1u);
}

// ---- R10 -----------------------------------------------------------------------------

TEST(MaintenanceScope, NonAdminLoginOrSubmissionDuringMaintenanceBreaksIt) {
  // Two accepted submissions by citizens and a partner's login during maintenance are two
  // violations (grouped by class and outcome), counted, at the first exchange.
  Timeline t;
  const Instant at = t.now();
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "1");
  t.wait(minutes(1));
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "1");
  t.exchange("partner", "ROLE_USER_PARTNER", "login_ok", "1", "/connexion");
  const auto found = of_rule(t, "R10-maintenance-scope");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].at, at);
  EXPECT_EQ(evidence(found[0], "count"), "2");
  EXPECT_EQ(evidence(found[0], "outcome"), "submission_accepted");
  EXPECT_EQ(found[0].events.size(), 2u);
  EXPECT_EQ(evidence(found[1], "role"), "ROLE_USER_PARTNER");
}

TEST(MaintenanceScope, SuperAdminsRefusalsAndNormalTimesKeepIt) {
  // Super admins during maintenance, refused users during maintenance, and anyone
  // outside maintenance are not reported.
  Timeline t;
  t.exchange("admin", "ROLE_ADMIN", "login_ok", "1", "/connexion");
  t.exchange("admin", "ROLE_ADMIN", "submission_accepted", "1");
  t.exchange("usager", "ROLE_USAGER", "submission_refused", "1");
  t.exchange("partner", "ROLE_USER_PARTNER", "login_refused", "1");
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "0");
  EXPECT_TRUE(of_rule(t, "R10-maintenance-scope").empty());
}

TEST(MaintenanceScope, EachMaintenanceWindowIsItsOwnViolation) {
  // The same breach in two maintenance windows (maintenance seen off in between) is
  // reported twice.
  Timeline t;
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "1");
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "0");
  t.exchange("usager", "ROLE_USAGER", "submission_accepted", "1");
  EXPECT_EQ(of_rule(t, "R10-maintenance-scope").size(), 2u);
}

// ---- R11 -----------------------------------------------------------------------------

void sentry_issue(Timeline& t, const std::string& project, const std::string& id) {
  t.publish("sentry", "sentry.issue.created",
            {{"project", project}, {"issue", id}, {"title", "TypeError: x"}, {"release", "1.7.4"}},
            Plane::data);
}

TEST(SentryWatch, NewProductionIssueWithinTheWatchBreaksIt) {
  // A new production issue 30 min after 1.7.4 went live is reported against 1.7.4.
  Timeline t;
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  t.wait(minutes(30));
  sentry_issue(t, "histologe", "42");
  const auto found = of_rule(t, "R11-sentry-watch", options(false));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at, t.now());
  EXPECT_EQ(evidence(found[0], "release"), "1.7.4");
  EXPECT_EQ(evidence(found[0], "minutes_after_deploy"), "30");
  EXPECT_EQ(evidence(found[0], "issue"), "42");
}

TEST(SentryWatch, IssuesOutsideTheWindowOrOtherAppsKeepIt) {
  // An issue before any deployment, one past the watch, and one of staging right after
  // a deployment are not reported.
  Timeline t;
  sentry_issue(t, "histologe", "1");
  t.ci(kGreen, "success");
  t.deploy("histologe", "d1", "main", kGreen, "main", "1.7.4");
  sentry_issue(t, "histologe-staging", "2");
  t.wait(hours(2) + minutes(1));
  sentry_issue(t, "histologe", "3");
  EXPECT_TRUE(of_rule(t, "R11-sentry-watch").empty());
}

// ---- Across rules --------------------------------------------------------------------

TEST(ProcedureRules, ViolationsComeInTimelineOrderWithoutWaivedRules) {
  // Violations of several rules come sorted by time; a waived rule is left out.
  Timeline t;
  t.run("histologe", "php bin/console app:sync");  // R7, first
  t.wait(minutes(1));
  t.publish("ci", "ci.started", {{"sha", kRed}});
  t.deploy("histologe", "d1", "main", kRed, "main", "1.7.3");  // R1
  auto o = options();
  auto found = evaluate(t.events(), o);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rule, "R7-demo-parity");
  EXPECT_EQ(found[1].rule, "R1-ci-gate");
  EXPECT_LE(found[0].at, found[1].at);
  o.waived = {"R1-ci-gate"};
  found = evaluate(t.events(), o);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, "R7-demo-parity");
}

}  // namespace
}  // namespace mepsim::rules
