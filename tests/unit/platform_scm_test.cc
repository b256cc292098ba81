// Unit tests of the platform's GitHub integration (sim/platform/platform_scm.cc): the SCM
// repo link, manual deploys from a branch, and review apps `<parent>-pr<N>`.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

std::map<std::string, std::string> variables_of(Platform& p, const std::string& app) {
  std::map<std::string, std::string> out;
  auto vars = p.variables(app);
  EXPECT_TRUE(vars.ok()) << (vars.ok() ? "" : vars.error().message);
  if (vars.ok()) {
    for (const auto& v : vars.value()) out[v.name] = v.value;
  }
  return out;
}

// ---- SCM link --------------------------------------------------------------------------

class ScmLink : public PlatformFixture {};

TEST_F(ScmLink, ProfileLinksProductionToMain) {
  // The profile links production to MTES-MCT/histologe on main with auto-deploy; demo has no link.
  auto link = platform().scm_link(kProd);
  ASSERT_TRUE(link.ok()) << link.error().message;
  EXPECT_EQ(link->owner, "MTES-MCT");
  EXPECT_EQ(link->repo, "histologe");
  EXPECT_EQ(link->branch, "main");
  EXPECT_TRUE(link->auto_deploy_enabled);
  EXPECT_FALSE(link->deploy_review_apps_enabled);
  EXPECT_FALSE(link->id.empty());
  auto staging = platform().scm_link(kStaging);
  ASSERT_TRUE(staging.ok());
  EXPECT_EQ(staging->branch, "develop");
  EXPECT_TRUE(staging->deploy_review_apps_enabled);
  auto demo = platform().scm_link(kDemo);
  ASSERT_FALSE(demo.ok());
  EXPECT_EQ(demo.error().code, ErrorCode::not_found);
}

TEST_F(ScmLink, LinkUpdateUnlink) {
  // A link is created once, updated field by field with type checks, then removed.
  platform::ScmLink wanted;
  wanted.owner = "MTES-MCT";
  wanted.repo = "histologe";
  auto created = platform().link_scm(kDemo, wanted);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->branch, "master");
  EXPECT_FALSE(created->id.empty());
  EXPECT_EQ(created->created_at, platform().now());

  auto again = platform().link_scm(kDemo, wanted);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::invalid_input);

  auto updated = platform().update_scm_link(
      kDemo,
      {{"branch", "main"}, {"auto_deploy_enabled", true}, {"hours_before_delete_on_close", 2}});
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->branch, "main");
  EXPECT_TRUE(updated->auto_deploy_enabled);
  EXPECT_EQ(updated->hours_before_delete_on_close, 2);
  EXPECT_EQ(updated->id, created->id);

  auto wrong =
      platform().update_scm_link(kDemo, {{"branch", "develop"}, {"auto_deploy_enabled", "yes"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(wrong.error().message.rfind("auto_deploy_enabled:", 0), 0u) << wrong.error().message;
  auto unchanged = platform().scm_link(kDemo);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->branch, "main") << "a refused update changed the link";

  ASSERT_TRUE(platform().unlink_scm(kDemo).ok());
  auto gone = platform().scm_link(kDemo);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  EXPECT_FALSE(platform().unlink_scm(kDemo).ok());
}

TEST_F(ScmLink, LinkNeedsOwnerAndRepo) {
  // A link without owner or repository is refused.
  platform::ScmLink incomplete;
  incomplete.owner = "MTES-MCT";
  auto refused = platform().link_scm(kDemo, incomplete);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(platform().scm_link(kDemo).ok());
}

TEST_F(ScmLink, ManualDeployDeploysTheBranch) {
  // A manual deploy of a branch is a deployment of that ref; without a link it is refused.
  source().set("develop", "version: 1.8.0-dev\n");
  auto d = platform().manual_deploy(kStaging, "develop");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->git_ref, "develop");
  platform().settle();
  EXPECT_EQ(deployment(kStaging, d->id).status, DeploymentStatus::success);
  EXPECT_EQ(container_versions(kStaging), (std::multiset<std::string>{"1.8.0-dev", "1.8.0-dev"}));

  auto unlinked = platform().manual_deploy(kDemo, "main");
  ASSERT_FALSE(unlinked.ok());
  EXPECT_EQ(unlinked.error().code, ErrorCode::not_found);
  auto blank = platform().manual_deploy(kStaging, "");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::invalid_input);
}

// ---- review apps -----------------------------------------------------------------------

class ReviewApp : public PlatformFixture {
 protected:
  static constexpr const char* kReview = "histologe-staging-pr12";
  static constexpr const char* kRef = "feature/signalement-draft";

  void SetUp() override {
    PlatformFixture::SetUp();
    if (HasFatalFailure()) return;
    source().set(kRef, "version: 1.8.0-pr12\n");
  }
};

TEST_F(ReviewApp, CreatedFromParentAndDeployedFromRef) {
  // `histologe-staging-pr12` copies the parent's variables, is listed, and deploys the given ref.
  auto parent_vars = variables_of(platform(), kStaging);
  auto created = platform().create_review_app(kStaging, 12, kRef);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->name, kReview);
  EXPECT_EQ(created->parent_app_name, kStaging);
  EXPECT_EQ(created->pull_request_number, 12);
  EXPECT_EQ(created->url, "https://histologe-staging-pr12.osc-fr1.scalingo.io");
  EXPECT_EQ(variables_of(platform(), kReview), parent_vars);

  auto listed = platform().review_apps(kStaging);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, kReview);
  EXPECT_EQ((*listed)[0].parent_app_name, kStaging);
  auto none = platform().review_apps(kProd);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(event_types(kStaging), (std::vector<std::string>{"create_review_app"}));

  auto deployments = platform().deployments(kReview, {1, 30});
  ASSERT_TRUE(deployments.ok());
  ASSERT_EQ(deployments->items.size(), 1u);
  EXPECT_EQ(deployments->items[0].git_ref, kRef);
  platform().settle();
  auto serving = platform().serving_release(kReview);
  ASSERT_TRUE(serving.ok()) << serving.error().message;
  EXPECT_EQ(serving->git_ref, kRef);
  EXPECT_EQ(serving->status, DeploymentStatus::success);
  EXPECT_EQ(serving->version, "1.8.0-pr12");
  // One container per type of the parent's formation (web, worker).
  EXPECT_EQ(container_versions(kReview), (std::multiset<std::string>{"1.8.0-pr12", "1.8.0-pr12"}));
  // The parent is untouched.
  EXPECT_EQ(container_versions(kStaging), (std::multiset<std::string>{"develop", "develop"}));
}

TEST_F(ReviewApp, RunningAfterFirstDeployment) {
  // Once its first deployment succeeds, a review app's status is running, not new.
  ASSERT_TRUE(platform().create_review_app(kStaging, 12, kRef).ok());
  platform().settle();
  auto app = platform().app(kReview);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->status, AppStatus::running) << to_string(app->status);
  EXPECT_TRUE(app->last_deployed_at.has_value());
}

TEST_F(ReviewApp, DestroyRemovesItAndRecordsOnParent) {
  // Destroy removes the app and its containers and records destroy_review_app on the parent.
  const auto running_before = runtime().running_count();
  ASSERT_TRUE(platform().create_review_app(kStaging, 12, kRef).ok());
  platform().settle();
  EXPECT_EQ(runtime().running_count(), running_before + 2);

  ASSERT_TRUE(platform().destroy_review_app(kReview).ok());
  auto gone = platform().app(kReview);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  auto listed = platform().review_apps(kStaging);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(runtime().running_count(), running_before);
  EXPECT_EQ(event_types(kStaging),
            (std::vector<std::string>{"destroy_review_app", "create_review_app"}));
  auto events = platform().events(kStaging, {1, 1});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->items.size(), 1u);
  EXPECT_EQ(events->items[0].type_data.value("review_app_name", ""), kReview);
  EXPECT_EQ(events->items[0].type_data["pull_request"].value("number", 0), 12);
  // The same pull request may open a review app again.
  EXPECT_TRUE(platform().create_review_app(kStaging, 12, kRef).ok());
}

TEST_F(ReviewApp, DestroyWhileDeployingLeavesNothingBehind) {
  // A review app destroyed mid-deployment leaves no container and no task acting on it.
  const auto running_before = runtime().running_count();
  ASSERT_TRUE(platform().create_review_app(kStaging, 12, kRef).ok());
  ASSERT_TRUE(platform().destroy_review_app(kReview).ok());
  platform().settle();
  EXPECT_EQ(runtime().running_count(), running_before);
  EXPECT_FALSE(platform().app(kReview).ok());
}

TEST_F(ReviewApp, InvalidRequestsAreRefused) {
  // A duplicate PR, a PR <= 0, an unknown parent, or destroying a non-review app is refused.
  ASSERT_TRUE(platform().create_review_app(kStaging, 12, kRef).ok());
  auto twice = platform().create_review_app(kStaging, 12, kRef);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_input);
  auto zero = platform().create_review_app(kStaging, 0, kRef);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::invalid_input);
  auto orphan = platform().create_review_app("histologe-preprod", 3, kRef);
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::not_found);
  auto not_review = platform().destroy_review_app(kProd);
  ASSERT_FALSE(not_review.ok());
  EXPECT_EQ(not_review.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(platform().app(kProd).ok());
  auto listed = platform().review_apps(kStaging);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
}

}  // namespace
}  // namespace mepsim::platform_test
