// Unit tests of the platform's deployments (sim/platform/platform_deployments.cc): every
// status is reachable, a failed deployment leaves the old release serving, a success
// switches the release and stops the old containers, and one seed replays the same
// control-plane timeline while another seed draws other durations.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

using std::chrono::seconds;

// A release with two migrations, like a typical Histologe minor version.
constexpr const char* kRelease174 =
    "version: 1.7.4\n"
    "migrations:\n"
    "  - name: Version20260105120000\n"
    "  - name: Version20260105130000\n"
    "boot_s: 8\n";

class Deployment : public PlatformFixture {
 protected:
  // What serves before a deployment: the release, its containers, the runtime's count.
  struct Before {
    std::string serving_id;
    std::set<std::string> container_ids;
    std::size_t running_count = 0;
  };

  Before before(const std::string& app) {
    return {serving_id(app), container_ids(app), runtime().running_count()};
  }

  // The deployment ended with `status`, and the release of `was` still serves: same
  // release, same containers (all of the old version), none of the failed deployment's.
  void expect_failed_keeping(const Before& was, const std::string& failed_id,
                             DeploymentStatus status) {
    const auto failed = deployment(kProd, failed_id);
    EXPECT_EQ(failed.status, status) << to_string(failed.status) << ": " << failed.error;
    EXPECT_TRUE(failed.finished_at.has_value());
    EXPECT_FALSE(failed.error.empty());
    EXPECT_EQ(serving_id(kProd), was.serving_id);
    EXPECT_EQ(container_ids(kProd), was.container_ids);
    for (const auto& c : containers(kProd)) {
      EXPECT_EQ(c.deployment_id, was.serving_id) << c.label;
      EXPECT_EQ(c.version, "main") << c.label;
      EXPECT_NE(c.deployment_id, failed_id) << c.label;
    }
    EXPECT_EQ(runtime().running_count(), was.running_count);
    auto app = platform().app(kProd);
    ASSERT_TRUE(app.ok());
    EXPECT_EQ(app->status, AppStatus::running);
  }
};

TEST_F(Deployment, SuccessPathSeenThroughApi) {
  // Through the API a release goes queued -> building -> pushing -> starting -> success.
  source().set("release-1.7.4", kRelease174);
  const auto created = deploy(kProd, "release-1.7.4");
  EXPECT_EQ(created.status, DeploymentStatus::queued);
  std::vector<std::string> seen = {to_string(created.status)};
  for (int step = 0; step < 100; ++step) {
    const auto status = deployment(kProd, created.id).status;
    if (seen.back() != to_string(status)) seen.push_back(to_string(status));
    if (platform::is_finished(status)) break;
    const auto due = platform().next_due();
    ASSERT_TRUE(due.has_value()) << "the deployment stalled in " << to_string(status);
    platform().advance_to(*due);
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"queued", "building", "pushing", "starting", "success"}));
}

TEST_F(Deployment, SuccessPathSeenInEventLogStatuses) {
  // The EventLog's "deployment.status" events of one deployment read queued -> … -> success.
  source().set("release-1.7.4", kRelease174);
  const auto created = deploy(kProd, "release-1.7.4");
  platform().settle();
  ASSERT_EQ(deployment(kProd, created.id).status, DeploymentStatus::success);
  EXPECT_EQ(logged_statuses(created.id),
            (std::vector<std::string>{"queued", "building", "pushing", "starting", "success"}));
}

TEST_F(Deployment, SuccessSwitchesServingReleaseAndStopsOldContainers) {
  // A success makes the new release serve on fresh containers and stops every old one.
  source().set("release-1.7.4", kRelease174);
  const std::string old_serving = serving_id(kProd);
  const auto old_ids = container_ids(kProd);
  const auto running_before = runtime().running_count();
  const auto created = deploy(kProd, "release-1.7.4");
  platform().settle();

  const auto done = deployment(kProd, created.id);
  ASSERT_EQ(done.status, DeploymentStatus::success) << done.error;
  EXPECT_EQ(done.version, "1.7.4");
  EXPECT_TRUE(done.error.empty());
  EXPECT_TRUE(HasSubstring(done.output, "Migrated Version20260105130000"));
  EXPECT_NE(serving_id(kProd), old_serving);
  EXPECT_EQ(serving_id(kProd), created.id);
  std::multiset<std::string> labels;
  for (const auto& c : containers(kProd)) {
    labels.insert(c.label);
    EXPECT_EQ(c.version, "1.7.4") << c.label;
    EXPECT_EQ(c.deployment_id, created.id) << c.label;
    EXPECT_FALSE(old_ids.contains(c.id)) << c.label << " is an old container";
  }
  EXPECT_EQ(labels, (std::multiset<std::string>{"clock-1", "web-1", "web-2", "worker-1"}));
  EXPECT_EQ(runtime().running_count(), running_before);
  EXPECT_EQ(logged("container.stopped", "app", kProd).size(), 4u);
  auto app = platform().app(kProd);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->last_deployment_id, created.id);
  EXPECT_EQ(app->last_deployed_at, done.finished_at);
  EXPECT_EQ(app->status, AppStatus::running);
}

TEST_F(Deployment, OldContainersServeUntilNewOnesAreHealthy) {
  // Zero downtime: while the new containers boot, the old release's containers still run.
  source().set("release-1.7.4", kRelease174);
  const auto old_ids = container_ids(kProd);
  const auto created = deploy(kProd, "release-1.7.4");
  bool saw_both = false;
  for (int step = 0; step < 100; ++step) {
    const auto d = deployment(kProd, created.id);
    if (platform::is_finished(d.status)) break;
    const auto versions = container_versions(kProd);
    if (versions.count("1.7.4") == 4) {
      saw_both = true;
      EXPECT_EQ(d.status, DeploymentStatus::starting);
      EXPECT_EQ(versions.count("main"), 4u);
      for (const auto& id : old_ids) EXPECT_TRUE(container_ids(kProd).contains(id));
      EXPECT_NE(serving_id(kProd), created.id);
    }
    const auto due = platform().next_due();
    ASSERT_TRUE(due.has_value());
    platform().advance_to(*due);
  }
  EXPECT_TRUE(saw_both) << "the new containers never booted next to the old ones";
  EXPECT_EQ(deployment(kProd, created.id).status, DeploymentStatus::success);
}

TEST_F(Deployment, BuildErrorOnUnknownManifestKey) {
  // A typo in the release manifest is a build-error naming the key and its place.
  source().set("typo", "version: 1.7.4\ncrash_on_bot: true\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "typo");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::build_error);
  const auto failed = deployment(kProd, created.id);
  EXPECT_TRUE(HasSubstring(failed.error, "typo:app.yaml:2:1"));
  EXPECT_TRUE(HasSubstring(failed.error, "unknown key 'crash_on_bot'"));
  EXPECT_TRUE(HasSubstring(failed.output, "build-error"));
}

TEST_F(Deployment, BuildErrorOnMalformedManifest) {
  // A release manifest that is not YAML is a build-error naming its line and column.
  source().set("broken", "version: [1.7.4\nmigrations: {\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "broken");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::build_error);
  EXPECT_TRUE(HasSubstring(deployment(kProd, created.id).error, "broken:app.yaml:"));
}

TEST_F(Deployment, BuildErrorWhenManifestPlantsOne) {
  // `build_error:` in the manifest fails the build with that message.
  source().set("no-vendor", "version: 1.7.4\nbuild_error: composer install failed\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "no-vendor");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::build_error);
  EXPECT_EQ(deployment(kProd, created.id).error, "composer install failed");
  // It stopped at the build: the log shows it building, never pushing.
  const auto statuses = logged_statuses(created.id);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "building"), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "pushing"), 0);
}

TEST_F(Deployment, HookErrorKeepsOldRelease) {
  // A migration that fails in the postdeploy hook is a hook-error; the old release serves on.
  source().set("bad-migration",
               "version: 1.7.4\n"
               "migrations:\n"
               "  - name: Version20260105120000\n"
               "  - name: Version20260105130000\n"
               "    fails: true\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "bad-migration");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::hook_error);
  const auto failed = deployment(kProd, created.id);
  EXPECT_TRUE(HasSubstring(failed.error, "Version20260105130000"));
  EXPECT_TRUE(HasSubstring(failed.output, "Migration Version20260105130000 failed"));
  EXPECT_TRUE(logged("container.started", "version", "1.7.4").empty());
}

TEST_F(Deployment, FixedReleaseDeploysAfterHookError) {
  // After a hook-error, a fixed release deploys; the migration that passed is not rerun.
  source().set("bad-migration",
               "version: 1.7.4\n"
               "migrations:\n"
               "  - name: Version20260105120000\n"
               "  - name: Version20260105130000\n"
               "    fails: true\n");
  source().set("fixed", kRelease174);
  const auto failed = deploy(kProd, "bad-migration");
  platform().settle();
  ASSERT_EQ(deployment(kProd, failed.id).status, DeploymentStatus::hook_error);
  const auto fixed = deploy(kProd, "fixed");
  platform().settle();
  const auto done = deployment(kProd, fixed.id);
  EXPECT_EQ(done.status, DeploymentStatus::success) << done.error;
  EXPECT_FALSE(HasSubstring(done.output, "Migrated Version20260105120000"));
  EXPECT_TRUE(HasSubstring(done.output, "Migrated Version20260105130000"));
  EXPECT_EQ(serving_id(kProd), fixed.id);
}

TEST_F(Deployment, CrashedErrorKeepsOldRelease) {
  // A release whose containers crash at boot is a crashed-error; its containers are gone.
  source().set("crash", "version: 1.7.4\ncrash_on_boot: true\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "crash");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::crashed_error);
  EXPECT_TRUE(HasSubstring(deployment(kProd, created.id).error, "crashed at boot"));
  EXPECT_EQ(logged("container.started", "version", "1.7.4").size(), 4u);
  EXPECT_EQ(logged("container.stopped", "version", "1.7.4").size(), 4u);
}

TEST_F(Deployment, TimeoutErrorKeepsOldRelease) {
  // Containers slower than the profile's start_timeout_s make a timeout-error at the timeout.
  const double timeout_s = platform().profile().durations.start_timeout_s;
  ASSERT_EQ(timeout_s, 60.0);
  source().set("slow", "version: 1.7.4\nboot_s: 300\n");
  const auto was = before(kProd);
  const auto created = deploy(kProd, "slow");
  platform().settle();
  expect_failed_keeping(was, created.id, DeploymentStatus::timeout_error);
  const auto failed = deployment(kProd, created.id);
  EXPECT_TRUE(HasSubstring(failed.error, "60 s"));
  // It ends at the timeout, not after the 240-360 s the boot would have taken.
  const auto started = logged("container.started", "version", "1.7.4");
  ASSERT_EQ(started.size(), 4u);
  ASSERT_TRUE(failed.finished_at.has_value());
  EXPECT_EQ(*failed.finished_at - started.front().at, seconds(60));
}

TEST_F(Deployment, NewerDeploymentAbortsQueuedOne) {
  // While one deployment runs, a newer one supersedes the one waiting: it ends aborted.
  source().set("first", "version: 1.7.4\n");
  source().set("second", "version: 1.7.5\n");
  source().set("third", "version: 1.7.6\n");
  const auto first = deploy(kProd, "first");
  advance(seconds(10));
  const auto second = deploy(kProd, "second");
  EXPECT_EQ(deployment(kProd, second.id).status, DeploymentStatus::queued);
  EXPECT_EQ(deployment(kProd, first.id).status, DeploymentStatus::building);
  const auto third = deploy(kProd, "third");

  const auto aborted = deployment(kProd, second.id);
  EXPECT_EQ(aborted.status, DeploymentStatus::aborted);
  EXPECT_TRUE(aborted.finished_at.has_value());
  EXPECT_TRUE(HasSubstring(aborted.error, third.id));
  EXPECT_EQ(deployment(kProd, first.id).status, DeploymentStatus::building);
  EXPECT_EQ(deployment(kProd, third.id).status, DeploymentStatus::queued);

  platform().settle();
  EXPECT_EQ(deployment(kProd, first.id).status, DeploymentStatus::success);
  EXPECT_EQ(deployment(kProd, second.id).status, DeploymentStatus::aborted);
  EXPECT_EQ(deployment(kProd, third.id).status, DeploymentStatus::success);
  // The aborted one never started building.
  const auto aborted_statuses = logged_statuses(second.id);
  EXPECT_EQ(std::count(aborted_statuses.begin(), aborted_statuses.end(), "building"), 0);
  EXPECT_EQ(serving_id(kProd), third.id);
  EXPECT_EQ(container_versions(kProd),
            (std::multiset<std::string>{"1.7.6", "1.7.6", "1.7.6", "1.7.6"}));
  // The third starts building only once the first has finished.
  const auto first_done = deployment(kProd, first.id).finished_at;
  ASSERT_TRUE(first_done.has_value());
  bool third_built = false;
  for (const auto& e : logged("deployment.status", "deployment", third.id)) {
    if (e.field("status") != "building") continue;
    third_built = true;
    EXPECT_GE(e.at, *first_done);
  }
  EXPECT_TRUE(third_built);
}

TEST_F(Deployment, RejectsUnknownAppAndBlankRef) {
  // Deploying to an app that does not exist, or without a ref, is refused and changes nothing.
  auto unknown = platform().deploy("histologe-prod", "main", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_TRUE(HasSubstring(unknown.error().message, "app not found"));
  auto blank = platform().deploy(kProd, "", "");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(blank.error().message.rfind("git_ref:", 0), 0u) << blank.error().message;
  auto list = platform().deployments(kProd, {1, 30});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total_count, 1);  // the initial release only
  EXPECT_FALSE(platform().next_due().has_value());
}

TEST_F(Deployment, ListedNewestFirstWithPagination) {
  // Deployments list newest first, paginated with total_count and total_pages.
  const auto a = deploy(kProd, "a");
  platform().settle();
  const auto b = deploy(kProd, "b");
  platform().settle();
  auto page1 = platform().deployments(kProd, {1, 2});
  ASSERT_TRUE(page1.ok());
  EXPECT_EQ(page1->total_count, 3);
  EXPECT_EQ(page1->total_pages, 2);
  EXPECT_EQ(page1->current_page, 1);
  ASSERT_EQ(page1->items.size(), 2u);
  EXPECT_EQ(page1->items[0].id, b.id);
  EXPECT_EQ(page1->items[1].id, a.id);
  auto page2 = platform().deployments(kProd, {2, 2});
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->items.size(), 1u);
  EXPECT_EQ(page2->items[0].git_ref, "main");
  EXPECT_EQ(page2->items[0].status, DeploymentStatus::success);
}

// A scripted rehearsal step list on a fresh platform: deploys (one failing), variable
// edits, a restart, a scale and a one-off. Returns the EventLog's fingerprint.
struct ScriptRun {
  std::string fingerprint;
  std::vector<Event> events;
  std::optional<Instant> release_finished_at;
};

ScriptRun run_script(std::uint64_t seed) {
  ScriptRun out;
  auto profile = load_histologe_profile();
  if (!profile) {
    ADD_FAILURE() << profile.error().message;
    return out;
  }
  PlatformWorld world(seed, std::move(profile.value()));
  Platform& p = world.platform;
  if (auto booted = p.boot(); !booted) {
    ADD_FAILURE() << booted.error().message;
    return out;
  }
  world.source.set("release-1.7.4", kRelease174);
  world.source.set("bad-migration", "version: 1.7.5\nmigrations:\n  - name: V1\n    fails: true\n");
  const auto expect_ok = [](const auto& result, const char* what) {
    EXPECT_TRUE(result.ok()) << what << ": " << (result.ok() ? "" : result.error().message);
  };
  expect_ok(p.bulk_update_variables(kProd, {{"MAINTENANCE_BANNER_ENABLE", "1"},
                                            {"MAINTENANCE_BANNER_MESSAGE", "MEP à 12h"}}),
            "variables");
  expect_ok(p.restart(kProd, {}), "restart");
  p.advance_to(p.now() + seconds(30));
  auto release = p.deploy(kProd, "release-1.7.4", "");
  expect_ok(release, "deploy");
  p.settle();
  expect_ok(p.deploy(kProd, "bad-migration", ""), "deploy");
  expect_ok(p.create_variable(kProd, {"NEW_FEATURE", "1"}), "create variable");
  expect_ok(p.scale(kProd, {{"web", 3, "M"}}), "scale");
  expect_ok(p.run(kProd, "php bin/console app:sync-esabora", {}, "", false), "run");
  p.settle();
  out.fingerprint = world.log.fingerprint();
  out.events = world.log.retained();
  if (release.ok()) {
    if (auto d = p.deployment(kProd, release->id); d.ok()) out.release_finished_at = d->finished_at;
  }
  return out;
}

std::vector<std::string> describe(const std::vector<Event>& events) {
  std::vector<std::string> lines;
  for (const auto& e : events) {
    std::string line = format_iso8601(e.at) + " " + e.name;
    for (const auto& f : e.fields) line += " " + f.key + "=" + f.value;
    lines.push_back(line);
  }
  return lines;
}

TEST(Replay, SameSeedSameFingerprint) {
  // The same seed and the same calls give the same timeline and the same fingerprint.
  const auto one = run_script(kSeed);
  const auto two = run_script(kSeed);
  ASSERT_FALSE(one.fingerprint.empty());
  EXPECT_EQ(one.fingerprint, two.fingerprint);
  EXPECT_EQ(describe(one.events), describe(two.events));
  EXPECT_GT(one.events.size(), 40u);
}

TEST(Replay, OtherSeedOtherFingerprint) {
  // Another seed draws other ids and jittered durations, hence another fingerprint.
  const auto one = run_script(kSeed);
  const auto other = run_script(kSeed + 1);
  EXPECT_NE(one.fingerprint, other.fingerprint);
  ASSERT_TRUE(one.release_finished_at.has_value());
  ASSERT_TRUE(other.release_finished_at.has_value());
  EXPECT_NE(*one.release_finished_at, *other.release_finished_at)
      << "durations are not jittered from the seed";
}

}  // namespace
}  // namespace mepsim::platform_test
