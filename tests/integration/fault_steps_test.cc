// Fault steps against a whole topology on virtual time, in-process: a fake's chaos set
// through the admin API, Redis and MySQL stopped and started again under the app, and a web
// container killed while the router keeps the app answering, then restarted by the
// platform. The kill goes last: the suite shares one topology.

#include "harness/runner/fault_steps.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fakes/common/chaos.h"
#include "harness/runner/virtual_time.h"
#include "harness/topology/app_routers.h"
#include "harness/topology/third_party_fakes.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"
#include "tests/integration/fault_topology_fixture.h"

using namespace mepsim;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using mepsim::testing::answers_before;
using mepsim::testing::session_of;
using mepsim::testing::status_of;

scenario::FaultStep kill_step(const std::string& app, const std::string& container) {
  return {scenario::KillContainer{app, container}};
}
scenario::FaultStep datastore_step(const std::string& server, bool start) {
  return {scenario::DatastoreFault{server, start}};
}
scenario::FaultStep chaos_step(const std::string& fake, json settings) {
  return {scenario::ChaosFault{fake, std::move(settings)}};
}

class FaultSteps : public mepsim::testing::FaultTopologySuite<20261126> {
 protected:
  static void SetUpTestSuite() { start_topology({}, "mepsim-fault-steps"); }
};

TEST_F(FaultSteps, ChaosOnSentryIsSetReadBackAndCleared) {
  // A chaos step puts its policy through the admin API, which reads it back; settings with
  // only an operation clear it again.
  auto set = run(chaos_step(
      "sentry", {{"operation", "envelope"}, {"error", {{"probability", 1}, {"status", 502}}}}));
  ASSERT_TRUE(set.passed) << set.message;
  httplib::Client admin(context().env_value("MEPSIM_ADMIN_URL"));
  auto policies = admin.Get("/chaos");
  ASSERT_TRUE(policies);
  ASSERT_EQ(policies->status, 200);
  const json body = json::parse(policies->body);
  ASSERT_TRUE(body["policies"].contains("sentry.envelope")) << body.dump();
  EXPECT_EQ(body["policies"]["sentry.envelope"]["error"]["status"], 502) << body.dump();
  EXPECT_EQ(topology_->third_party().chaos().policies().count("sentry.envelope"), 1u);
  const auto event = last_event("fault.injected");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->field("kind"), "chaos");
  EXPECT_EQ(event->field("fake"), "sentry");
  EXPECT_EQ(event->field("operation"), "envelope");
  EXPECT_TRUE(listed(faults_used(), "chaos:sentry.envelope"));

  auto cleared = run(chaos_step("sentry", {{"operation", "envelope"}}));
  ASSERT_TRUE(cleared.passed) << cleared.message;
  EXPECT_EQ(topology_->third_party().chaos().policies().count("sentry.envelope"), 0u);
  EXPECT_EQ(last_event("fault.healed")->field("kind"), "chaos");
}

TEST_F(FaultSteps, ChaosWithUnknownFieldOrFakeFailsWithAdminMessage) {
  // A misspelt policy field fails the step with the admin API's words naming the field; a
  // fake the admin API does not know fails naming it; nothing is set.
  auto misspelt = run(chaos_step("sentry", {{"eror", {{"probability", 1}}}}));
  EXPECT_FALSE(misspelt.passed);
  EXPECT_NE(misspelt.message.find("eror"), std::string::npos) << misspelt.message;
  EXPECT_NE(misspelt.message.find("refused by the admin API"), std::string::npos)
      << misspelt.message;
  auto unknown = run(chaos_step("nosuchfake", {{"error", {{"probability", 1}}}}));
  EXPECT_FALSE(unknown.passed);
  EXPECT_NE(unknown.message.find("no fake named nosuchfake"), std::string::npos) << unknown.message;
  EXPECT_EQ(topology_->third_party().chaos().policies().count("sentry.*"), 0u);
}

TEST_F(FaultSteps, KillOfUnknownOrModelContainerFailsClearly) {
  // An unknown label names the running ones; an unknown app is the platform's not-found;
  // a worker (a model container, no process) cannot be killed.
  auto label = run(kill_step("histologe", "web-9"));
  EXPECT_FALSE(label.passed);
  EXPECT_NE(label.message.find("has no running container web-9"), std::string::npos)
      << label.message;
  EXPECT_NE(label.message.find("web-1, web-2"), std::string::npos) << label.message;
  auto app = run(kill_step("nosuchapp", "web-1"));
  EXPECT_FALSE(app.passed);
  EXPECT_NE(app.message.find("nosuchapp"), std::string::npos) << app.message;
  auto worker = run(kill_step("histologe", "worker-1"));
  EXPECT_FALSE(worker.passed);
  EXPECT_NE(worker.message.find("model container"), std::string::npos) << worker.message;
}

TEST_F(FaultSteps, RedisStoppedFailsLoggedInPagesStartedAgainLosesSessions) {
  // Without Redis, a logged-in page answers 503 and public ones 200; started again, the
  // app answers, but the sessions written before are gone (no persistence): /bo sends
  // the partner back to the login form, and a new login works.
  const std::string session = login();
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(status_of(get("/bo", session)), 200);

  auto stop = run(datastore_step("redis", false));
  ASSERT_TRUE(stop.passed) << stop.message;
  EXPECT_EQ(last_event("fault.injected")->field("kind"), "stop_redis");
  EXPECT_EQ(status_of(get("/bo", session)), 503);
  EXPECT_EQ(status_of(get("/", session)), 200);
  auto twice = run(datastore_step("redis", false));
  EXPECT_FALSE(twice.passed);
  EXPECT_NE(twice.message.find("already stopped"), std::string::npos) << twice.message;

  auto start = run(datastore_step("redis", true));
  ASSERT_TRUE(start.passed) << start.message;
  EXPECT_EQ(last_event("fault.healed")->field("kind"), "start_redis");
  std::string location;
  const int stale = answers_before(302, [&] {
    auto reply = get("/bo", session);
    location = reply ? reply->get_header_value("Location") : "";
    return status_of(reply);
  });
  ASSERT_GE(stale, 0) << "/bo never answered 302 after Redis started again";
  EXPECT_EQ(location, "/connexion");
  std::string again;
  ASSERT_GE(answers_before(1,
                           [&] {
                             again = login();
                             return again.empty() ? 0 : 1;
                           }),
            0);
  EXPECT_GE(answers_before(200, [&] { return status_of(get("/bo", again)); }), 0);
  EXPECT_TRUE(listed(faults_used(), "stop_redis"));
}

TEST_F(FaultSteps, MysqlStoppedAnswers503StartedAgainKeepsData) {
  // Without MySQL, following a report answers 503 while the form page still answers;
  // started again on its data, the same report is found: the fixtures survived.
  auto db = MysqlConnection::open(topology_->mysql_url(), 5s);
  ASSERT_TRUE(db) << db.error().message;
  auto rows = db->query("SELECT code_suivi, reference FROM signalement ORDER BY id LIMIT 1");
  ASSERT_TRUE(rows && rows->size() == 1u);
  const std::string follow = "/suivre-mon-signalement/" + rows.value()[0][0];
  const std::string reference = rows.value()[0][1];
  ASSERT_GE(answers_before(200, [&] { return status_of(get(follow)); }), 0);

  auto stop = run(datastore_step("mysql", false));
  ASSERT_TRUE(stop.passed) << stop.message;
  EXPECT_EQ(last_event("fault.injected")->field("kind"), "stop_mysql");
  EXPECT_EQ(status_of(get(follow)), 503);
  EXPECT_EQ(status_of(get("/signalement")), 200);

  auto start = run(datastore_step("mysql", true));
  ASSERT_TRUE(start.passed) << start.message;
  EXPECT_EQ(last_event("fault.healed")->field("kind"), "start_mysql");
  auto twice = run(datastore_step("mysql", true));
  EXPECT_FALSE(twice.passed);
  EXPECT_NE(twice.message.find("already running"), std::string::npos) << twice.message;
  std::string body;
  ASSERT_GE(answers_before(200,
                           [&] {
                             auto reply = get(follow);
                             body = reply ? reply->body : "";
                             return status_of(reply);
                           }),
            0);
  EXPECT_NE(body.find(reference), std::string::npos) << body;
}

TEST_F(FaultSteps, KillWeb1LeavesWeb2Serving) {
  // Killing web-1 ends its process; the router answers the health route from web-2
  // (each GET that meets the dead one is retried there); the event names the app and the
  // container but no pid; the platform then restarts web-1 as Scalingo restarts a crashed
  // container: a new process, behind the router once booted.
  auto containers = topology_->platform().containers("histologe");
  ASSERT_TRUE(containers);
  const auto web1 = std::find_if(containers->begin(), containers->end(),
                                 [](const platform::Container& c) { return c.label == "web-1"; });
  ASSERT_NE(web1, containers->end());
  const pid_t pid = topology_->processes().pid_of(web1->runtime_id);
  ASSERT_GT(pid, 0);

  auto killed = run(kill_step("histologe", "web-1"));
  ASSERT_TRUE(killed.passed) << killed.message;
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(pid))) << "reaped";
  for (int i = 0; i < 6; ++i) {
    auto health = get("/_mepsim/health");
    ASSERT_TRUE(health) << "request " << i;
    EXPECT_EQ(health->status, 200) << "request " << i;
  }
  const auto event = last_event("fault.injected");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->plane, Plane::control);
  EXPECT_EQ(event->field("kind"), "kill");
  EXPECT_EQ(event->field("app"), "histologe");
  EXPECT_EQ(event->field("container"), "web-1");
  for (const auto& field : event->fields) EXPECT_NE(field.key, "pid");
  EXPECT_TRUE(listed(faults_used(), "kill:histologe/web-1"));

  const auto crashed = last_event("container.crashed");
  ASSERT_TRUE(crashed) << "the platform did not see web-1 die";
  EXPECT_EQ(crashed->field("container"), "web-1");
  runner::advance(*topology_, 60s, 0, clock_);
  EXPECT_TRUE(last_event("container.recovered"));
  containers = topology_->platform().containers("histologe");
  ASSERT_TRUE(containers);
  const auto replaced = std::find_if(containers->begin(), containers->end(),
                                     [](const auto& c) { return c.label == "web-1"; });
  ASSERT_NE(replaced, containers->end());
  const pid_t new_pid = topology_->processes().pid_of(replaced->runtime_id);
  EXPECT_GT(new_pid, 0);
  EXPECT_NE(new_pid, pid);
  EXPECT_TRUE(topology_->routers().is_backend(replaced->runtime_id));
}

}  // namespace
