// Malformed bodies sent to every write of the Scalingo API fake, over real HTTP as clients
// send them: a body that is not JSON (or not an object) is a 400 {"error": …}, a wrong type,
// a missing or an out-of-range field a 422 {"errors": {field: [message]}}; in every case
// the platform is left exactly as it was (its events, apps, variables, formation,
// deployments and repository link), even when part of the body was valid.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/scalingo/scalingo_api.h"
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

constexpr const char* kApiToken = "tk-us-bad-body-test";

struct Reply {
  int status = 0;
  json body;  // discarded when not JSON
};

class ScalingoBadBody : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_ = std::make_unique<platform::Platform>(clock_, Rng(42), log_, scalingo_test_profile(),
                                                     source_, runtime_);
    ASSERT_TRUE(platform_->boot().ok());
    platform_->settle();
    ScalingoApiOptions options;
    options.api_token = kApiToken;
    api_ = std::make_unique<ScalingoApi>(*platform_, Rng(7), options);
    ASSERT_TRUE(api_->start().ok());
    httplib::Client client(api_->base_url());
    client.set_basic_auth("", kApiToken);
    const auto exchanged = client.Post("/v1/tokens/exchange", "{}", "application/json");
    ASSERT_TRUE(exchanged && exchanged->status == 200);
    token_ = json::parse(exchanged->body).at("token").get<std::string>();
  }

  void TearDown() override { api_.reset(); }

  Reply call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Client client(api_->base_url());
    client.set_read_timeout(30);
    const httplib::Headers headers{{"Authorization", "Bearer " + token_}};
    const std::string type = "application/json";
    httplib::Result result = method == "POST"     ? client.Post(path, headers, body, type)
                             : method == "PUT"    ? client.Put(path, headers, body, type)
                             : method == "PATCH"  ? client.Patch(path, headers, body, type)
                             : method == "DELETE" ? client.Delete(path, headers, body, type)
                                                  : client.Get(path, headers);
    if (!result) return {};
    return {result->status, json::parse(result->body, nullptr, false)};
  }

  // Everything a write could change, as the API and the event log show it.
  json state() {
    json out = json::object();
    out["events_published"] = log_.published_count();
    out["fingerprint"] = log_.fingerprint();
    out["apps"] = call("GET", "/v1/apps").body;
    for (const std::string app : {"histologe", "histologe-demo"}) {
      for (const std::string what :
           {"variables", "containers", "deployments", "events", "scm_repo_link"}) {
        const Reply reply = call("GET", "/v1/apps/" + app + "/" + what);
        out[app][what] = {{"status", reply.status}, {"body", reply.body}};
      }
    }
    return out;
  }

  std::string variable_id(const std::string& name) {
    const Reply listed = call("GET", "/v1/apps/histologe/variables");
    for (const auto& v : listed.body.at("variables")) {
      if (v.at("name") == name) return v.at("id").get<std::string>();
    }
    return "";
  }

  VirtualClock clock_{default_scenario_start()};
  EventLog log_;
  platform::MapSourceProvider source_;
  platform::ModelContainerRuntime runtime_;
  std::unique_ptr<platform::Platform> platform_;
  std::unique_ptr<ScalingoApi> api_;
  std::string token_;
};

struct BadBody {
  const char* method;
  std::string path;  // under /v1/apps/
  std::string body;
  int status;
  const char* field;  // the 422's field; null for a 400
};

std::vector<BadBody> bad_bodies(const std::string& variable_id) {
  const std::string one_variable = "histologe/variables/" + variable_id;
  return {
      // Not JSON, or not an object: 400 {"error": "invalid JSON…" / "…must be a JSON object…"}.
      {"PUT", "histologe/variables", R"({"variables": [)", 400, nullptr},
      {"POST", "histologe/scale", R"({"containers":[{"name":"web","amount":3})", 400, nullptr},
      {"POST", "histologe/deployments", "not json", 400, nullptr},
      {"POST", "histologe/run", R"({"command": "x",})", 400, nullptr},
      {"POST", "histologe/restart", R"({"scope": ["web"]])", 400, nullptr},
      {"POST", "histologe-demo/scm_repo_link", "\xff\xfe{}", 400, nullptr},
      {"PATCH", one_variable, R"({"variable":{"value":1e999}})", 400, nullptr},
      {"DELETE", "histologe/variables", "[1]", 400, nullptr},
      {"POST", "histologe/variables", R"("just a string")", 400, nullptr},
      // Wrong types: 422 naming the field.
      {"PUT", "histologe/variables", R"({"variables":{"name":"A"}})", 422, "variables"},
      {"POST", "histologe/variables", R"({"variable":{"name":42,"value":"x"}})", 422, "name"},
      {"PATCH", one_variable, R"({"variable":{"value":true}})", 422, "value"},
      {"DELETE", "histologe/variables", R"({"variable_ids":["x",2]})", 422, "variable_ids"},
      {"POST", "histologe/scale", R"({"containers":[{"name":"web","amount":"3"}]})", 422, "amount"},
      {"POST", "histologe/restart", R"({"scope":[1]})", 422, "scope"},
      {"POST", "histologe/deployments", R"({"deployment":{"git_ref":5,"source_url":"x"}})", 422,
       "git_ref"},
      {"POST", "histologe/run", R"({"command":"ls","env":{"A":1}})", 422, "env"},
      {"PATCH", "histologe/scm_repo_link", R"({"scm_repo_link":{"auto_deploy_enabled":"yes"}})",
       422, "auto_deploy_enabled"},
      // Missing or blank fields.
      {"POST", "histologe/variables", "{}", 422, "variable"},
      {"POST", "histologe/variables", R"({"variable":{"name":"","value":"x"}})", 422, "name"},
      {"PATCH", one_variable, R"({"variable":{}})", 422, "value"},
      {"DELETE", "histologe/variables", R"({"variable_ids":[]})", 422, "variable_ids"},
      {"POST", "histologe/deployments", R"({"deployment":{}})", 422, "source_url"},
      {"POST", "histologe/deployments", R"({"deployment":{"source_url":"https://x/none"}})", 422,
       "git_ref"},
      {"POST", "histologe/run", R"({"env":{}})", 422, "command"},
      {"POST", "histologe/run", R"({"command":""})", 422, "command"},
      {"POST", "histologe/scale", R"({"containers":[]})", 422, "containers"},
      {"POST", "histologe/scale", R"({"containers":[{"name":"web"}]})", 422, "containers"},
      {"POST", "histologe-demo/scm_repo_link", R"({"scm_repo_link":{}})", 422, "source"},
      {"POST", "histologe/scm_repo_link/manual_deploy", R"({"branch":""})", 422, "branch"},
      // Out of range, or a valid part beside an invalid one: nothing half-applied.
      {"POST", "histologe/scale",
       R"({"containers":[{"name":"web","amount":3},{"name":"worker","amount":999}]})", 422,
       "amount"},
      {"POST", "histologe/scale", R"({"containers":[{"name":"web","amount":-1}]})", 422, "amount"},
      {"PUT", "histologe/variables",
       R"({"variables":[{"name":"MAINTENANCE_ENABLE","value":"1"},{"name":7}]})", 422, "name"},
      {"POST", "histologe-demo/scm_repo_link",
       R"({"scm_repo_link":{"source":"https://gitlab.com/o/r","auto_deploy_enabled":true}})", 422,
       "source"},
  };
}

TEST_F(ScalingoBadBody, EveryMalformedWriteIsRefusedAndChangesNothing) {
  // Each malformed body gets its 4xx in the real API's shape and leaves the platform as is.
  const std::string id = variable_id("APP_ENV");
  ASSERT_FALSE(id.empty());
  const json before = state();
  for (const auto& bad : bad_bodies(id)) {
    const std::string what = std::string(bad.method) + " " + bad.path + " " + bad.body;
    const Reply reply = call(bad.method, "/v1/apps/" + bad.path, bad.body);
    EXPECT_EQ(reply.status, bad.status) << what << "\n" << reply.body.dump();
    if (bad.field == nullptr) {
      EXPECT_TRUE(reply.body.is_object() && reply.body.contains("error") &&
                  reply.body.at("error").is_string())
          << what << "\n"
          << reply.body.dump();
    } else {
      EXPECT_TRUE(reply.body.is_object() && reply.body.contains("errors") &&
                  reply.body.at("errors").contains(bad.field) &&
                  reply.body.at("errors").at(bad.field).is_array())
          << what << "\n"
          << reply.body.dump();
    }
    platform_->settle();
    EXPECT_EQ(state(), before) << what;
  }
}

TEST_F(ScalingoBadBody, ValidWritesStillChangeTheState) {
  // The state comparison above can fail: a valid write after the refusals changes it.
  const json before = state();
  const Reply put = call("PUT", "/v1/apps/histologe/variables",
                         R"({"variables":[{"name":"MAINTENANCE_ENABLE","value":"1"}]})");
  ASSERT_EQ(put.status, 200) << put.body.dump();
  EXPECT_NE(state(), before);
}

}  // namespace
}  // namespace mepsim::fakes::scalingo
