// The scenario runner's users and expectations against a real topology on virtual time, in
// this process: the app's users through its router (auto-login, maintenance's forced
// logout, a cohort kept across a restart), and each kind of expectation once holding and
// once failing with the message a scenario author reads. Cases run in order and share
// the topology.

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/runner/expectations.h"
#include "harness/runner/http_steps.h"
#include "harness/runner/user_agents.h"
#include "harness/runner/virtual_time.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"

using namespace mepsim;
using namespace mepsim::runner;
using scenario::UserClass;

namespace {

// Virtual time a restart may take (boot and switch are a few virtual minutes at most).
constexpr auto kRestartMax = std::chrono::minutes(30);

class ScenarioSteps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clock_ = new RealClock();
    rng_ = new Rng(7);
    log_ = new EventLog();
    TopologyOptions options;
    options.virtual_time = true;
    options.web_binary = MEPSIM_WEB_BINARY;
    auto started = Topology::start(options, *clock_, *rng_, *log_);
    ASSERT_TRUE(started) << started.error().message;
    topology_ = started.value().release();
    ctx_ = new RunContext{.topology = *topology_,
                          .log = *log_,
                          .real_clock = *clock_,
                          .clone_dir = {},
                          .env = topology_->env(),
                          .mepsim_binary = {},
                          .seed = 7,
                          .users = nullptr,
                          .rule_options = {},
                          .load_report = {},
                          .lost_writes_now = {},
                          .settle = [] { settle(*topology_); }};
    users_ = new UserAgents(*ctx_);
    ctx_->users = users_;
  }
  static void TearDownTestSuite() {
    delete users_;
    delete ctx_;
    if (topology_ != nullptr) topology_->stop();
    delete topology_;
    delete log_;
    delete rng_;
    delete clock_;
  }
  void SetUp() override {
    if (topology_ == nullptr) GTEST_SKIP() << "the topology did not start";
  }

  static StepOutcome http(UserClass as, const std::string& path, std::optional<int> status,
                          std::optional<std::string> location = std::nullopt) {
    scenario::HttpStep step;
    step.as = as;
    step.path = path;
    step.expect.status = status;
    step.expect.location = std::move(location);
    return run_http_step(step, *ctx_);
  }
  static StepOutcome expect(const std::string& kind, scenario::Expectation value) {
    return check_expectation({kind, std::move(value), {}}, *ctx_);
  }
  // Restarts histologe's web containers and runs the platform's tasks until it is done.
  static std::string restart_web() {
    auto& platform = topology_->platform();
    const auto op = platform.restart("histologe", {"web"});
    if (!op) return op.error().message;
    const Instant deadline = platform.now() + kRestartMax;
    while (platform.now() < deadline) {
      advance(*topology_, std::chrono::seconds(5), 0, *clock_);
      const auto now = platform.operation("histologe", op->id);
      if (now && now->status != platform::OperationStatus::pending &&
          now->status != platform::OperationStatus::running) {
        return platform::to_string(now->status);
      }
    }
    return "not finished";
  }
  static std::vector<Event> exchanges() {
    std::vector<Event> found;
    for (auto& e : log_->retained()) {
      if (e.component == "users" && e.name == "http.exchange") found.push_back(std::move(e));
    }
    return found;
  }

  static inline RealClock* clock_ = nullptr;
  static inline Rng* rng_ = nullptr;
  static inline EventLog* log_ = nullptr;
  static inline Topology* topology_ = nullptr;
  static inline RunContext* ctx_ = nullptr;
  static inline UserAgents* users_ = nullptr;
};

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" lacks \"" << part << "\"";
}

// The expectations as a scenario writes them, the fields it leaves out left empty.
scenario::DeploymentExpect deployment(std::optional<std::string> status,
                                      std::optional<std::string> version = {},
                                      std::optional<std::string> git_ref = {}) {
  scenario::DeploymentExpect e;
  e.app = "histologe";
  e.status = std::move(status);
  e.version = std::move(version);
  e.git_ref = std::move(git_ref);
  return e;
}
scenario::AppExpect app(const std::string& name, std::optional<std::string> status,
                        std::optional<std::string> serving = {}, std::optional<bool> exists = {}) {
  scenario::AppExpect e;
  e.app = name;
  e.status = std::move(status);
  e.serving_version = std::move(serving);
  e.exists = exists;
  return e;
}
scenario::VariablesExpect variables() {
  scenario::VariablesExpect e;
  e.app = "histologe";
  return e;
}
scenario::ContainersExpect containers(scenario::CountRange count,
                                      std::optional<scenario::CountRange> healthy = {}) {
  scenario::ContainersExpect e;
  e.app = "histologe";
  e.count = count;
  e.healthy = healthy;
  return e;
}
scenario::MysqlExpect mysql(const std::string& query, std::optional<std::string> equals = {},
                            std::optional<scenario::CountRange> rows = {}) {
  scenario::MysqlExpect e;
  e.app = "histologe";
  e.query = query;
  e.equals = std::move(equals);
  e.rows = rows;
  return e;
}
scenario::MessagesExpect messages(scenario::CountRange count, std::optional<std::string> to = {}) {
  scenario::MessagesExpect e;
  e.count = count;
  e.to = std::move(to);
  return e;
}

scenario::CountRange at_least(std::int64_t n) {
  return {n, std::nullopt};
}
scenario::CountRange exactly(std::int64_t n) {
  return {n, n};
}

}  // namespace

TEST_F(ScenarioSteps, AnonymousVisitorSeesTheHomePage) {
  // The simplest step: no login, the home page through histologe's router.
  const auto home = http(UserClass::anonymous, "/", 200);
  EXPECT_TRUE(home.passed) << home.message;
}

TEST_F(ScenarioSteps, PartnerReachesTheBackOfficeAfterLoggingIn) {
  // First use of the partner class logs in, published as login_ok with its role.
  const auto bo = http(UserClass::partner, "/bo", 200);
  EXPECT_TRUE(bo.passed) << bo.message;
  const auto events = exchanges();
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const Event& e) {
    return e.field("outcome") == "login_ok" && e.field("role") == "ROLE_USER_PARTNER" &&
           e.field("maintenance") == "0";
  }));
  const auto wrong = http(UserClass::partner, "/bo", 404);
  EXPECT_FALSE(wrong.passed);
  EXPECT_TRUE(contains(wrong.message, "status 200, expected 404; body: <!DOCTYPE html>"));
}

TEST_F(ScenarioSteps, PlatformExpectationsHoldAndFailWithTheirMessage) {
  // deployment, app, variables and containers, each holding then failing.
  const auto serving = topology_->platform().serving_release("histologe");
  ASSERT_TRUE(serving);
  EXPECT_TRUE(expect("deployment", deployment("success", serving->version, "main")).passed);
  EXPECT_EQ(expect("deployment", deployment("hook-error")).message,
            "deployment histologe: status is success, expected hook-error");
  EXPECT_TRUE(expect("app", app("histologe", "running", serving->version, true)).passed);
  EXPECT_EQ(expect("app", app("histologe", "stopped")).message,
            "app histologe: status is running, expected stopped");
  EXPECT_TRUE(expect("app", app("histologe-pr9999", {}, {}, false)).passed);
  auto vars = variables();
  vars.set = {{"MAINTENANCE_ENABLE", "0"}};
  vars.in_effect = {{"MAINTENANCE_ENABLE", "0"}};
  vars.absent = {"NOT_A_VARIABLE"};
  EXPECT_TRUE(expect("variables", vars).passed) << expect("variables", vars).message;
  vars.set = {{"MAINTENANCE_ENABLE", "1"}};
  EXPECT_EQ(expect("variables", vars).message,
            "variables histologe: MAINTENANCE_ENABLE is 0, expected 1");
  const auto two = expect("containers", containers(exactly(2), exactly(2)));
  EXPECT_TRUE(two.passed) << two.message;
  EXPECT_EQ(expect("containers", containers(exactly(3))).message,
            "containers histologe web: running is 2, expected 3");
}

TEST_F(ScenarioSteps, DatastoreExpectationsReadTheAppsOwnDatabases) {
  // mysql on the app's DATABASE_URL (reads only), redis on its REDIS_URL.
  const std::string query = "SELECT email FROM `user` WHERE roles LIKE '%ROLE_ADMIN\"%'";
  const auto admin = expect("mysql", mysql(query, "admin-01@signal-logement.fr", exactly(1)));
  EXPECT_TRUE(admin.passed) << admin.message;
  EXPECT_TRUE(contains(expect("mysql", mysql(query, "nobody")).message,
                       "first value is admin-01@signal-logement.fr, expected nobody"));
  EXPECT_TRUE(contains(expect("mysql", mysql("DELETE FROM user")).message,
                       "only SELECT and SHOW may run, not DELETE"));
  // The partner logged in above holds a session.
  const auto sessions = expect("redis", scenario::RedisExpect{"histologe", "sf_s*", at_least(1)});
  EXPECT_TRUE(sessions.passed) << sessions.message;
  EXPECT_TRUE(
      contains(expect("redis", scenario::RedisExpect{"histologe", "sf_s*", exactly(0)}).message,
               "redis histologe sf_s*: keys is "));
}

TEST_F(ScenarioSteps, ObserverExpectationsHoldAndFailWithTheirMessage) {
  // GitHub's seeded review_app PR, Mattermost and Brevo as the run left them.
  scenario::GithubExpect pr;
  pr.pull_request = scenario::PullRequestExpect{1141, "open", false};
  EXPECT_TRUE(expect("github", pr).passed) << expect("github", pr).message;
  pr.pull_request->state = "closed";
  EXPECT_EQ(expect("github", pr).message,
            "github: pull request #1141 state is open, expected closed");
  EXPECT_TRUE(expect("mattermost", messages(exactly(0))).passed);
  EXPECT_EQ(expect("mattermost", messages(at_least(1))).message,
            "mattermost: messages is 0, expected ≥ 1");
  EXPECT_TRUE(expect("mail", messages(at_least(0))).passed);
  EXPECT_EQ(expect("mail", messages(at_least(1), "nobody@example.org")).message,
            "mail: mails sent to nobody@example.org is 0, expected ≥ 1");
}

TEST_F(ScenarioSteps, CohortSurvivesARestart) {
  // Sessions live in Redis: five partners logged in are still logged in after a restart.
  scenario::SessionsStep step;
  step.cohort = "before-restart";
  step.as = UserClass::partner;
  step.count = 5;
  const auto opened = run_sessions_step(step, *ctx_);
  EXPECT_TRUE(opened.passed) << opened.message;
  EXPECT_TRUE(expect("sessions", scenario::SessionsExpect{"before-restart", exactly(5)}).passed);
  ASSERT_EQ(restart_web(), "done");
  const auto after = expect("sessions", scenario::SessionsExpect{"before-restart", exactly(5)});
  EXPECT_TRUE(after.passed) << after.message;
  EXPECT_EQ(expect("sessions", scenario::SessionsExpect{"before-restart", exactly(0)}).message,
            "sessions before-restart: 5 of 5 still logged in, expected 0");
}

TEST_F(ScenarioSteps, MaintenanceLogsPartnersOutButNotTheAdmin) {
  // MAINTENANCE_ENABLE=1 and a restart: the partner is sent to /logout, the admin stays.
  ASSERT_TRUE(
      topology_->platform().bulk_update_variables("histologe", {{"MAINTENANCE_ENABLE", "1"}}));
  auto pending = variables();
  pending.not_in_effect = {"MAINTENANCE_ENABLE"};
  EXPECT_TRUE(expect("variables", pending).passed) << expect("variables", pending).message;
  ASSERT_EQ(restart_web(), "done");
  auto applied = variables();
  applied.in_effect = {{"MAINTENANCE_ENABLE", "1"}};
  EXPECT_TRUE(expect("variables", applied).passed) << expect("variables", applied).message;

  const auto partner = http(UserClass::partner, "/bo", 302, "/logout");
  EXPECT_TRUE(partner.passed) << partner.message;
  const auto admin = http(UserClass::admin, "/bo", 200);
  EXPECT_TRUE(admin.passed) << admin.message;
  const auto events = exchanges();
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const Event& e) {
    return e.field("class") == "partner" && e.field("path") == "/bo" &&
           e.field("status") == "302" && e.field("maintenance") == "1";
  }));
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const Event& e) {
    return e.field("outcome") == "login_ok" && e.field("role") == "ROLE_ADMIN" &&
           e.field("maintenance") == "1";
  }));
  // The partner expecting the back-office is logged in again once, and still sent away.
  const auto denied = http(UserClass::partner, "/bo", 200);
  EXPECT_FALSE(denied.passed);
  EXPECT_TRUE(contains(denied.message, "status 302 /logout, expected 200"));
  EXPECT_TRUE(contains(denied.message, "logged in again"));
  // The cohort's partners are sent away too; counting them logs none back in.
  EXPECT_TRUE(
      contains(expect("sessions", scenario::SessionsExpect{"before-restart", exactly(5)}).message,
               "0 of 5 still logged in, expected 5 (first lost: "));
}
