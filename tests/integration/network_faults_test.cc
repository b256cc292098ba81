// Network fault steps against a whole topology started with `network_faults`, in-process:
// the apps reach MySQL, Redis and the fakes through the links' proxies while the harness
// talks to the servers directly; MySQL latency makes a page slower yet 200; a Redis reset
// gives the app's 503, and after heal it answers again. Then a scenario with a network
// step, run by the runner, gets its proxies and reports them.

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>

#include "harness/runner/fault_steps.h"
#include "harness/runner/scenario_runner.h"
#include "harness/runner/virtual_time.h"
#include "harness/scenario/scenario_parser.h"
#include "harness/topology/network_links.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/platform.h"
#include "tests/integration/fault_topology_fixture.h"
#include "tests/integration/mepsim_process.h"

using namespace mepsim;
using namespace std::chrono_literals;

namespace {

using mepsim::testing::answers_before;
using mepsim::testing::session_of;
using mepsim::testing::status_of;

scenario::FaultStep network_step(const std::string& link, FaultPolicy policy, bool heal = false) {
  return {scenario::NetworkFault{link, policy, heal}};
}

// Pages behind a slowed link may take seconds: reads wait up to 20 s.
class NetworkFaults : public mepsim::testing::FaultTopologySuite<20261127> {
 protected:
  static void SetUpTestSuite() {
    TopologyOptions options;
    options.network_faults = true;
    start_topology(options, "mepsim-network-faults");
  }
  static NetworkLinks& links() { return *topology_->network_links(); }
  static httplib::Result get(const std::string& path, const std::string& session = "") {
    return FaultTopologySuite::get(path, session, std::chrono::seconds(20));
  }
  static std::string login() { return FaultTopologySuite::login(std::chrono::seconds(20)); }
};

TEST_F(NetworkFaults, AppsGoThroughLinksHarnessGoesDirect) {
  // Every link the containers use has its proxy; the app's DATABASE_URL and REDIS_URL lead to
  // them, the env file's (the harness's) to the servers.
  EXPECT_EQ(links().links(),
            (std::vector<std::string>{"brevo", "geocoding", "mysql", "redis", "sentry"}));
  auto variables = topology_->platform().variables("histologe");
  ASSERT_TRUE(variables) << variables.error().message;
  std::map<std::string, std::string> by_name;
  for (const auto& v : variables.value()) by_name[v.name] = v.value;
  const auto database = url_address(by_name["DATABASE_URL"]);
  ASSERT_TRUE(database);
  EXPECT_NE(database->port, topology_->mysql_url().port);
  EXPECT_EQ(links().to_json()["mysql"]["port"], database->port);
  EXPECT_EQ(url_address(by_name["REDIS_URL"])->port, links().to_json()["redis"]["port"]);
  EXPECT_EQ(context().env_value("DATABASE_URL"), topology_->mysql_url().str());
  EXPECT_GT(links().counters()["mysql"].connections, 0u);  // migrations, fixtures, boot
}

TEST_F(NetworkFaults, MysqlLatencyMakesAPageSlowerYet200) {
  // 200 ms on the MySQL link: following a report (MySQL reads) still answers 200, at least
  // one round trip's worth later, and the link counts its delayed chunks; heal ends it.
  auto db = MysqlConnection::open(topology_->mysql_url(), 5s);
  ASSERT_TRUE(db) << db.error().message;
  auto rows = db->query("SELECT code_suivi FROM signalement ORDER BY id LIMIT 1");
  ASSERT_TRUE(rows && rows->size() == 1u);
  const std::string follow = "/suivre-mon-signalement/" + rows.value()[0][0];
  ASSERT_EQ(status_of(get(follow)), 200);

  FaultPolicy policy;
  policy.latency_ms = 200;
  policy.jitter_ms = 50;
  auto injected = run(network_step("mysql", policy));
  ASSERT_TRUE(injected.passed) << injected.message;
  const auto event = last_event("fault.injected");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->field("kind"), "network");
  EXPECT_EQ(event->field("link"), "mysql");
  EXPECT_EQ(event->field("faults"), "latency");
  EXPECT_EQ(event->field("settings"), R"({"jitter_ms":50,"latency_ms":200})");

  const auto delayed_before = links().counters()["mysql"].chunks_delayed;
  const Instant started = clock_.now();
  EXPECT_EQ(status_of(get(follow)), 200);
  EXPECT_GE(clock_.now() - started, 150ms);
  EXPECT_GE(links().counters()["mysql"].chunks_delayed - delayed_before, 2u);

  auto healed = run(network_step("mysql", {}, true));
  ASSERT_TRUE(healed.passed) << healed.message;
  EXPECT_EQ(last_event("fault.healed")->field("link"), "mysql");
  EXPECT_TRUE(links().policy("mysql")->pass_through());
  const auto used = faults_used();
  EXPECT_NE(std::find(used.begin(), used.end(), "network:mysql.latency"), used.end());
  EXPECT_TRUE(std::any_of(used.begin(), used.end(), [](const std::string& f) {
    return f.rfind("network:mysql.latency (", 0) == 0 && f.find("chunks delayed)") != f.npos;
  })) << ::testing::PrintToString(used);
}

TEST_F(NetworkFaults, RedisResetGives503ThenHealRecovers) {
  // Every Redis connection reset (new ones at once, open ones at their next bytes): a
  // logged-in page answers 503, a public one 200; healed, the same session answers 200 again
  // (nothing was lost: Redis itself never stopped).
  const std::string session = login();
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(status_of(get("/bo", session)), 200);

  FaultPolicy policy;
  policy.reset_probability = 1;
  policy.reset_after_bytes = 1;
  auto injected = run(network_step("redis", policy));
  ASSERT_TRUE(injected.passed) << injected.message;
  EXPECT_EQ(status_of(get("/bo", session)), 503);
  EXPECT_EQ(status_of(get("/")), 200);
  EXPECT_GT(links().counters()["redis"].connections_reset, 0u);

  auto healed = run(network_step("redis", {}, true));
  ASSERT_TRUE(healed.passed) << healed.message;
  EXPECT_GE(answers_before(200, [&] { return status_of(get("/bo", session)); }), 0)
      << "/bo never answered 200 after the Redis link healed";
}

TEST_F(NetworkFaults, UnknownLinkFailsNamingTheLinks) {
  // A link the topology has no proxy for fails the step, listing those it has.
  FaultPolicy policy;
  policy.blackhole = true;
  auto outcome = run(network_step("mattermost", policy));
  EXPECT_FALSE(outcome.passed);
  EXPECT_NE(outcome.message.find("no network link named mattermost (links: brevo, geocoding, "
                                 "mysql, redis, sentry)"),
            std::string::npos)
      << outcome.message;
}

TEST(NetworkFaultScenario, RunnerStartsLinksAndReportsThem) {
  // A scenario with a network step runs on a topology with its links; the report lists the
  // fault used with what it did, and each link's counters under measurements.
  const auto parsed = scenario::parse_scenario(R"(name: network-latency
description: MySQL slow for a while, the public pages still answer.
steps:
  - fault: {network: {link: mysql, latency_ms: 100}}
  - http: {as: anonymous, path: /, expect: {status: 200}}
  - fault: {network: {link: mysql, heal: true}}
  - http: {as: anonymous, path: /, expect: {status: 200}}
)",
                                               "network-latency.yaml");
  ASSERT_TRUE(parsed.scenario) << parsed.errors.front().str();
  runner::RunnerOptions options;
  options.seed = 5;
  options.mepsim_binary = MEPSIM_BINARY;
  options.web_binary = MEPSIM_WEB_BINARY;
  RealClock clock;
  const auto report = runner::run_scenario(*parsed.scenario, options, clock);
  ASSERT_TRUE(report.passed) << report.failure;
  EXPECT_NE(
      std::find(report.faults_used.begin(), report.faults_used.end(), "network:mysql.latency"),
      report.faults_used.end())
      << ::testing::PrintToString(report.faults_used);
  ASSERT_TRUE(report.measurements.contains("network_links")) << report.measurements.dump();
  const auto& mysql = report.measurements["network_links"]["mysql"];
  EXPECT_GT(mysql["connections"].get<std::uint64_t>(), 0u) << mysql.dump();
  EXPECT_GT(mysql["bytes_to_server"].get<std::uint64_t>(), 0u) << mysql.dump();
  EXPECT_EQ(mysql["policy"], nlohmann::json::object()) << mysql.dump();
}

}  // namespace
