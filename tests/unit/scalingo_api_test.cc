// Unit tests of fakes/scalingo/scalingo_api.h: the Scalingo API fake over a platform
// model on a virtual clock, called over real HTTP on loopback as the npm client calls it
// (token exchange, bearer, rooted JSON, error shapes, 202 + absolute Location).

#include "fakes/scalingo/scalingo_api.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "fakes/common/hmac.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/rng.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform.h"
#include "sim/platform/source_provider.h"
#include "tests/unit/scalingo_test_profile.h"

namespace mepsim::fakes::scalingo {
namespace {

using nlohmann::json;

constexpr const char* kApiToken = "tk-us-unit-test-token";

struct Reply {
  int status = 0;  // 0: no answer at all
  std::string body;
  json body_json;  // discarded when the body is not JSON
  httplib::Headers headers;
};

std::string header(const Reply& reply, const std::string& name) {
  const auto found = reply.headers.find(name);
  return found == reply.headers.end() ? "" : found->second;
}

class ScalingoApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(ScalingoApiOptions options) {
    api_.reset();
    platform_ = std::make_unique<platform::Platform>(clock_, Rng(42), log_, scalingo_test_profile(),
                                                     source_, runtime_);
    ASSERT_TRUE(platform_->boot().ok());
    options.api_token = kApiToken;
    api_ = std::make_unique<ScalingoApi>(*platform_, Rng(7), options);
    const auto started = api_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }

  void TearDown() override { api_.reset(); }

  // One request on a fresh connection; `bearer` "" sends no Authorization header.
  Reply call(const std::string& method, const std::string& path, const std::string& body,
             const std::string& bearer) const {
    httplib::Client client(api_->base_url());
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    httplib::Headers headers;
    if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
    const std::string type = "application/json";
    const auto send = [&]() -> httplib::Result {
      if (method == "POST") return client.Post(path, headers, body, type);
      if (method == "PUT") return client.Put(path, headers, body, type);
      if (method == "PATCH") return client.Patch(path, headers, body, type);
      if (method == "DELETE") return client.Delete(path, headers, body, type);
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

  // With a bearer token from a fresh exchange.
  Reply api(const std::string& method, const std::string& path, const std::string& body = "") {
    if (token_.empty()) token_ = exchange(kApiToken);
    return call(method, path, body, token_);
  }

  std::string exchange(const std::string& api_token) const {
    httplib::Client client(api_->base_url());
    client.set_basic_auth("", api_token.c_str());
    const auto result = client.Post("/v1/tokens/exchange", "{}", "application/json");
    if (!result || result->status != 200) return "";
    return json::parse(result->body).value("token", "");
  }

  // The path of an absolute URL on the fake, after checking that it is one.
  std::string path_of(const std::string& url) const {
    EXPECT_EQ(url.rfind(api_->base_url(), 0), 0u) << url;
    return url.substr(api_->base_url().size());
  }

  VirtualClock clock_{default_scenario_start()};
  EventLog log_;
  platform::MapSourceProvider source_;
  platform::ModelContainerRuntime runtime_;
  std::unique_ptr<platform::Platform> platform_;
  std::unique_ptr<ScalingoApi> api_;
  std::string token_;
};

TEST_F(ScalingoApiTest, ExchangeGivesAnHs256BearerValidOneHour) {
  // The exchange answers {"token": JWT} whose claims name the user and expire in 1 h.
  const std::string token = exchange(kApiToken);
  ASSERT_FALSE(token.empty());
  const auto first = token.find('.');
  const auto last = token.rfind('.');
  ASSERT_NE(first, last);
  const auto header = base64_decode(token.substr(0, first));
  const auto claims = base64_decode(token.substr(first + 1, last - first - 1));
  ASSERT_TRUE(header && claims);
  EXPECT_EQ(json::parse(*header).value("alg", ""), "HS256");
  const json parsed = json::parse(*claims);
  EXPECT_EQ(parsed.value("uuid", ""), platform_->profile().user.id);
  EXPECT_EQ(parsed.value("exp", 0) - parsed.value("iat", 0), 3600);
  EXPECT_EQ(call("GET", "/v1/apps", "", token).status, 200);
}

TEST_F(ScalingoApiTest, ExchangeRefusesAWrongOrMissingApiToken) {
  // Only the configured API token buys a bearer; refusals are 401 {"error":…}.
  EXPECT_TRUE(exchange("tk-us-wrong").empty());
  httplib::Client client(api_->base_url());
  const auto missing = client.Post("/v1/tokens/exchange", "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_TRUE(json::parse(missing->body).contains("error"));
  client.set_basic_auth("", "tk-us-wrong");
  const auto wrong = client.Post("/v1/tokens/exchange", "{}", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
}

TEST_F(ScalingoApiTest, AppsNeedAValidUnexpiredBearer) {
  // No token, a forged signature and an expired token (platform time) are all 401.
  const Reply none = call("GET", "/v1/apps", "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_TRUE(none.body_json.contains("error"));

  std::string token = exchange(kApiToken);
  std::string forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(call("GET", "/v1/apps", "", forged).status, 401);
  EXPECT_EQ(call("GET", "/v1/apps", "", "not.a-jwt").status, 401);

  EXPECT_EQ(call("GET", "/v1/apps", "", token).status, 200);
  clock_.advance(std::chrono::minutes(61));
  const Reply expired = call("GET", "/v1/apps", "", token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.body_json.value("error", ""), "token expired");
}

TEST_F(ScalingoApiTest, ListsAppsRootedWithRealFieldNames) {
  // {"apps":[…]} and {"app":{…}}, found by name or by id.
  const Reply list = api("GET", "/v1/apps");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.body_json["apps"].size(), 3u);
  EXPECT_EQ(list.body_json["apps"][0]["name"], "histologe");
  const Reply one = api("GET", "/v1/apps/histologe");
  ASSERT_EQ(one.status, 200);
  const json& app = one.body_json["app"];
  EXPECT_EQ(app["status"], "running");
  EXPECT_EQ(app["url"], "https://histologe.osc-fr1.scalingo.io");
  EXPECT_TRUE(app["created_at"].get<std::string>().ends_with("Z"));
  EXPECT_TRUE(app["parent_app_name"].is_null());
  EXPECT_EQ(app["owner"]["username"], "mepsim");
  const Reply by_id = api("GET", "/v1/apps/" + app["id"].get<std::string>());
  EXPECT_EQ(by_id.body_json["app"]["name"], "histologe");
}

TEST_F(ScalingoApiTest, UnknownResourcesAre404NamingTheResource) {
  // {"resource":"app","error":"not found"}, and the same shape for what is inside an app.
  const Reply app = api("GET", "/v1/apps/nope");
  EXPECT_EQ(app.status, 404);
  EXPECT_EQ(app.body_json, json({{"resource", "app"}, {"error", "not found"}}));
  EXPECT_EQ(api("GET", "/v1/apps/nope/variables").body_json["resource"], "app");
  EXPECT_EQ(api("GET", "/v1/apps/histologe/deployments/0000").body_json["resource"], "deployment");
  EXPECT_EQ(api("GET", "/v1/apps/histologe/operations/0000").body_json["resource"], "operation");
  EXPECT_EQ(api("PATCH", "/v1/apps/histologe/variables/0000", R"({"variable":{"value":"1"}})")
                .body_json["resource"],
            "variable");
  EXPECT_EQ(api("GET", "/v1/apps/histologe-demo/scm_repo_link").body_json["resource"],
            "scm_repo_link");
  EXPECT_EQ(api("GET", "/v1/nothing-here").status, 404);
}

TEST_F(ScalingoApiTest, WrongTypesAndMissingFieldsAre422PerField) {
  // Rails-style {"errors":{"field":["message"]}}; nothing is changed.
  const Reply wrong =
      api("POST", "/v1/apps/histologe/variables", R"({"variable":{"name":42,"value":"x"}})");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.body_json, json::parse(R"({"errors":{"name":["must be a string"]}})"));
  const Reply missing = api("POST", "/v1/apps/histologe/deployments", R"({"deployment":{}})");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.body_json["errors"]["source_url"][0], "can't be blank");
  const Reply scale =
      api("POST", "/v1/apps/histologe/scale", R"({"containers":[{"name":"web","amount":"3"}]})");
  EXPECT_EQ(scale.status, 422);
  EXPECT_TRUE(scale.body_json["errors"].contains("amount"));
  // The platform's own refusals keep the shape: a name already taken.
  const Reply taken =
      api("POST", "/v1/apps/histologe/variables", R"({"variable":{"name":"APP_ENV","value":"x"}})");
  EXPECT_EQ(taken.status, 422);
  EXPECT_EQ(taken.body_json["errors"]["name"][0], "has already been taken");
  EXPECT_EQ(api("GET", "/v1/apps/histologe/deployments?page=zero").status, 422);
}

TEST_F(ScalingoApiTest, BadJsonIs400) {
  // A body that does not parse, or is not an object, is the client's syntax error.
  const Reply bad = api("PUT", "/v1/apps/histologe/variables", "{\"variables\": [");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.body_json["error"].get<std::string>().find("invalid JSON") != std::string::npos);
  EXPECT_EQ(api("POST", "/v1/apps/histologe/restart", "[1,2]").status, 400);
}

TEST_F(ScalingoApiTest, VariablesBulkPutThenGet) {
  // PUT creates or updates each variable; GET lists them; values never reach the journal.
  const Reply put = api("PUT", "/v1/apps/histologe/variables",
                        R"({"variables":[{"name":"MAINTENANCE_ENABLE","value":"1"},)"
                        R"({"name":"SENTRY_DSN","value":"s3cr3t-dsn"}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body_json["variables"].size(), 2u);
  const Reply get = api("GET", "/v1/apps/histologe/variables");
  ASSERT_EQ(get.status, 200);
  std::map<std::string, std::string> values;
  for (const auto& v : get.body_json["variables"]) values[v["name"]] = v["value"];
  EXPECT_EQ(values["MAINTENANCE_ENABLE"], "1");
  EXPECT_EQ(values["SENTRY_DSN"], "s3cr3t-dsn");
  EXPECT_EQ(values["APP_ENV"], "prod");

  std::string id;
  for (const auto& v : get.body_json["variables"]) {
    if (v["name"] == "SENTRY_DSN") id = v["id"];
  }
  EXPECT_EQ(api("PATCH", "/v1/apps/histologe/variables/" + id, R"({"variable":{"value":"2"}})")
                .body_json["variable"]["value"],
            "2");
  EXPECT_EQ(
      api("DELETE", "/v1/apps/histologe/variables", json{{"variable_ids", {id}}}.dump()).status,
      204);
  EXPECT_EQ(api("GET", "/v1/apps/histologe/variables").body_json["variables"].size(), 2u);

  for (const auto& entry : api_->journal().entries()) {
    EXPECT_EQ(entry.path.find("s3cr3t"), std::string::npos);
    for (const auto& note : entry.notes) EXPECT_EQ(note.find("s3cr3t"), std::string::npos);
  }
}

TEST_F(ScalingoApiTest, RestartIs202WithAnAbsoluteOperationLocation) {
  // Empty body, Location the npm client GETs as is; the operation finishes once settled.
  const Reply restart = api("POST", "/v1/apps/histologe/restart", R"({"scope":["web"]})");
  ASSERT_EQ(restart.status, 202) << restart.body;
  EXPECT_TRUE(restart.body.empty());
  const std::string location = header(restart, "Location");
  ASSERT_EQ(location.rfind(api_->base_url() + "/v1/apps/histologe/operations/", 0), 0u) << location;
  const Reply running = api("GET", path_of(location));
  ASSERT_EQ(running.status, 200);
  EXPECT_EQ(running.body_json["operation"]["type"], "restart");
  EXPECT_TRUE(running.body_json["operation"]["finished_at"].is_null());
  platform_->settle();
  const Reply done = api("GET", path_of(location));
  EXPECT_EQ(done.body_json["operation"]["status"], "done");
  EXPECT_FALSE(done.body_json["operation"]["finished_at"].is_null());
}

TEST_F(ScalingoApiTest, RestartTakesWhatTheNpmClientSends) {
  // scalingo.js 0.14.6 sends {} (no scope) or {"scope":"web"}: both restart, the string
  // one is journaled as not what the documentation says.
  EXPECT_EQ(api("POST", "/v1/apps/histologe/restart", "{}").status, 202);
  // One operation at a time: a restart while another runs is refused.
  EXPECT_EQ(api("POST", "/v1/apps/histologe/restart", "{}").status, 422);
  platform_->settle();
  EXPECT_EQ(api("POST", "/v1/apps/histologe/restart", R"({"scope":"web"})").status, 202);
  EXPECT_EQ(api_->journal().entries().back().notes.at(0), "scope sent as a string, not an array");
  EXPECT_EQ(api("POST", "/v1/apps/histologe/restart", R"({"scope":["nope"]})").status, 422);
}

TEST_F(ScalingoApiTest, ScaleIs202AndChangesTheFormation) {
  // A size-only change keeps the amount; the answer lists what was asked.
  const Reply scale =
      api("POST", "/v1/apps/histologe/scale",
          R"({"containers":[{"name":"web","amount":3},{"name":"worker","size":"L"}]})");
  ASSERT_EQ(scale.status, 202) << scale.body;
  EXPECT_EQ(header(scale, "Location").rfind(api_->base_url() + "/v1/apps/histologe/operations/", 0),
            0u);
  EXPECT_EQ(scale.body_json["containers"][1],
            json({{"name", "worker"}, {"amount", 1}, {"size", "L"}}));
  platform_->settle();
  const Reply formation = api("GET", "/v1/apps/histologe/containers");
  EXPECT_EQ(formation.body_json["containers"][0],
            json({{"name", "web"}, {"amount", 3}, {"size", "M"}}));
  const Reply ps = api("GET", "/v1/apps/histologe/ps");
  ASSERT_EQ(ps.status, 200);
  EXPECT_EQ(ps.body_json["containers"].size(), 4u);
  EXPECT_EQ(ps.body_json["containers"][0]["type"], "web");
}

TEST_F(ScalingoApiTest, DeploymentsPaginateNewestFirst) {
  // meta.pagination carries prev/next pages as numbers or null.
  for (const char* ref : {"1.7.2", "1.7.3", "1.7.4"}) {
    const Reply created =
        api("POST", "/v1/apps/histologe/deployments",
            json{{"deployment", {{"git_ref", ref}, {"source_url", "https://example.test/a.tgz"}}}}
                .dump());
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.body_json["deployment"]["git_ref"], ref);
    platform_->settle();
  }
  const Reply first = api("GET", "/v1/apps/histologe/deployments?page=1&per_page=3");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.body_json["deployments"].size(), 3u);
  EXPECT_EQ(first.body_json["deployments"][0]["git_ref"], "1.7.4");
  EXPECT_EQ(first.body_json["deployments"][0]["status"], "success");
  EXPECT_EQ(first.body_json["meta"]["pagination"],
            json::parse(R"({"prev_page":null,"current_page":1,"next_page":2,)"
                        R"("total_pages":2,"total_count":4})"));
  const Reply second = api("GET", "/v1/apps/histologe/deployments?page=2&per_page=3");
  EXPECT_EQ(second.body_json["meta"]["pagination"]["prev_page"], 1);
  EXPECT_TRUE(second.body_json["meta"]["pagination"]["next_page"].is_null());

  const json& latest = first.body_json["deployments"][0];
  const Reply one = api("GET", "/v1/apps/histologe/deployments/" + latest["id"].get<std::string>());
  EXPECT_EQ(one.body_json["deployment"]["id"], latest["id"]);
  const Reply output = api("GET", path_of(latest["links"]["output"]));
  EXPECT_EQ(output.status, 200);
  EXPECT_NE(output.body.find("1.7.4"), std::string::npos) << output.body;
}

TEST_F(ScalingoApiTest, UnknownFieldsAreAcceptedAndJournaled) {
  // Stricter than the real API in what it tells, not in what it refuses.
  const Reply created =
      api("POST", "/v1/apps/histologe/deployments",
          R"({"deployment":{"git_ref":"1.7.4","source_url":"https://x.test/a.tgz",)"
          R"("postdeploy_hook":"php bin/console x","colour":"blue"},"extra":1})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto notes = api_->journal().entries().back().notes;
  const auto has = [&](const std::string& note) {
    return std::find(notes.begin(), notes.end(), note) != notes.end();
  };
  EXPECT_TRUE(has("unknown field extra"));
  EXPECT_TRUE(has("unknown field deployment.colour"));
  EXPECT_TRUE(has("field deployment.postdeploy_hook accepted but not modelled"));
}

TEST_F(ScalingoApiTest, RunStartsAOneOffWhoseExitCodeCanBeAwaited) {
  // POST /run gives the container and its URLs; GET {attach_url}/wait blocks until exit.
  const Reply run = api("POST", "/v1/apps/histologe/run",
                        R"({"command":"echo hello","env":{"A":"1"},"size":"M","detached":false})");
  ASSERT_EQ(run.status, 200) << run.body;
  const json& container = run.body_json["container"];
  EXPECT_EQ(container["type"], "one-off");
  EXPECT_EQ(container["state"], "booting");
  const std::string attach = run.body_json["attach_url"];
  EXPECT_EQ(container["attach_url"], attach);
  const std::string operation = run.body_json["operation_url"];
  EXPECT_EQ(api("GET", path_of(operation)).body_json["operation"]["status"], "pending");

  auto waiter = std::async(std::launch::async,
                           [&] { return call("GET", path_of(attach) + "/wait", "", ""); });
  // Let the wait block first, so that it is the platform's change that wakes it.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  platform_->settle();
  const Reply waited = waiter.get();
  ASSERT_EQ(waited.status, 200) << waited.body;
  EXPECT_EQ(waited.body_json, json({{"exit_code", 0}}));
  EXPECT_EQ(call("GET", path_of(attach) + "/output", "", "").body, "hello\n");
  const Reply started = api("GET", path_of(operation));
  EXPECT_EQ(started.body_json["operation"]["status"], "done");
  EXPECT_EQ(started.body_json["operation"]["start_one_off_data"]["attach_url"], attach);

  // The attach URL is a capability: a wrong signature finds nothing, and the journal
  // never shows the right one.
  EXPECT_EQ(
      call("GET", "/one-off/" + container["id"].get<std::string>() + "/forged/wait", "", "").status,
      404);
  const std::string signature = attach.substr(attach.rfind('/') + 1);
  for (const auto& entry : api_->journal().entries()) {
    EXPECT_EQ(entry.path.find(signature), std::string::npos) << entry.path;
  }
}

TEST_F(ScalingoApiTest, OneOffWaitIsBoundedInRealTime) {
  // Nothing advances the platform: the wait gives up with 408 after its bound.
  ScalingoApiOptions options;
  options.one_off_wait_max = std::chrono::milliseconds(200);
  start(options);
  const Reply run = api("POST", "/v1/apps/histologe/run", R"({"command":"true"})");
  ASSERT_EQ(run.status, 200);
  const Reply waited = call("GET", path_of(run.body_json["attach_url"]) + "/wait", "", "");
  EXPECT_EQ(waited.status, 408);
}

TEST_F(ScalingoApiTest, EventsAreNewestFirstAndPaginated) {
  // Each change the API made is an app event with its type and data.
  ASSERT_EQ(api("POST", "/v1/apps/histologe/variables",
                R"({"variable":{"name":"MAINTENANCE_BANNER_ENABLE","value":"1"}})")
                .status,
            201);
  ASSERT_EQ(api("POST", "/v1/apps/histologe/restart", "{}").status, 202);
  const Reply events = api("GET", "/v1/apps/histologe/events?per_page=1");
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_EQ(events.body_json["events"].size(), 1u);
  EXPECT_EQ(events.body_json["events"][0]["type"], "restart");
  EXPECT_EQ(events.body_json["events"][0]["user"]["username"], "mepsim");
  EXPECT_EQ(events.body_json["meta"]["pagination"]["next_page"], 2);
  const Reply second = api("GET", "/v1/apps/histologe/events?page=2&per_page=1");
  EXPECT_EQ(second.body_json["events"][0]["type"], "new_variable");
  EXPECT_EQ(second.body_json["events"][0]["type_data"]["name"], "MAINTENANCE_BANNER_ENABLE");
}

TEST_F(ScalingoApiTest, ScmRepoLinkAndManualDeploy) {
  // Link, update, pulls (none yet), manual deploy of a branch, unlink.
  const Reply linked = api("POST", "/v1/apps/histologe-demo/scm_repo_link",
                           R"({"scm_repo_link":{"source":"https://github.com/MTES-MCT/histologe",)"
                           R"("branch":"develop","auto_deploy_enabled":true}})");
  ASSERT_EQ(linked.status, 201) << linked.body;
  EXPECT_EQ(linked.body_json["scm_repo_link"]["owner"], "MTES-MCT");
  EXPECT_EQ(linked.body_json["scm_repo_link"]["auto_deploy_enabled"], true);
  const Reply updated = api("PATCH", "/v1/apps/histologe-demo/scm_repo_link",
                            R"({"scm_repo_link":{"auto_deploy_enabled":false}})");
  EXPECT_EQ(updated.body_json["scm_repo_link"]["auto_deploy_enabled"], false);
  EXPECT_EQ(api("PATCH", "/v1/apps/histologe-demo/scm_repo_link",
                R"({"scm_repo_link":{"auto_deploy_enabled":"no"}})")
                .status,
            422);
  EXPECT_EQ(api("GET", "/v1/apps/histologe-demo/scm_repo_link/pulls").body_json,
            json({{"pulls", json::array()}}));
  EXPECT_EQ(api("GET", "/v1/apps/histologe-demo/scm_repo_link/review_apps").body_json,
            json({{"review_apps", json::array()}}));
  const Reply deployed =
      api("POST", "/v1/apps/histologe-demo/scm_repo_link/manual_deploy", R"({"branch":"develop"})");
  ASSERT_EQ(deployed.status, 200) << deployed.body;
  EXPECT_EQ(deployed.body_json["deployment"]["git_ref"], "develop");
  EXPECT_EQ(api("DELETE", "/v1/apps/histologe-demo/scm_repo_link").status, 204);
  EXPECT_EQ(api("GET", "/v1/apps/histologe-demo/scm_repo_link").status, 404);
}

TEST_F(ScalingoApiTest, JournalRecordsEveryRequestWithoutSecrets) {
  // Method, path, status for each request, routed or not; no token anywhere.
  const std::string token = exchange(kApiToken);
  (void)call("GET", "/v1/apps?page=1&token=abc", "", token);
  (void)call("GET", "/v1/unknown", "", token);
  const auto entries = api_->journal().entries();
  ASSERT_GE(entries.size(), 3u);
  EXPECT_EQ(entries[0].method, "POST");
  EXPECT_EQ(entries[0].path, "/v1/tokens/exchange");
  EXPECT_EQ(entries[0].status, 200);
  EXPECT_EQ(entries[1].path, "/v1/apps?page=1&token=[redacted]");
  EXPECT_EQ(entries[2].status, 404);
  EXPECT_EQ(entries[2].notes.at(0), "no such route");
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.path.find(token), std::string::npos);
    EXPECT_GE(entry.latency_ms, 0.0);
  }
}

TEST_F(ScalingoApiTest, StopIsPromptAndIdempotent) {
  // A blocked wait does not hold stop() up; a second stop() does nothing.
  const Reply run = api("POST", "/v1/apps/histologe/run", R"({"command":"true"})");
  ASSERT_EQ(run.status, 200);
  const std::string wait_path = path_of(run.body_json["attach_url"]) + "/wait";
  auto waiter = std::async(std::launch::async, [&] { return call("GET", wait_path, "", ""); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  api_->stop();
  EXPECT_EQ(waiter.get().status, 503);
  api_->stop();
}

}  // namespace
}  // namespace mepsim::fakes::scalingo
