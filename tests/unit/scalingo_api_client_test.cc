// Unit tests of harness/scalingo_cli/api_client.h and its configuration: against a tiny
// in-process imitation of the Scalingo auth and API servers, the client exchanges the API
// token with HTTP Basic (empty user), then sends the bearer it got, once per process, and
// turns 401/404/422 answers into the real CLI's messages.

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <thread>

#include "harness/scalingo_cli/api_client.h"
#include "harness/scalingo_cli/api_error.h"
#include "harness/scalingo_cli/scalingo_config.h"

namespace mepsim::scalingo_cli {
namespace {

constexpr const char* kApiToken = "tk-us-secret-token";
constexpr const char* kBearer = "jwt-for-tests";

// The token exchange and the variables endpoint, recording the Authorization headers.
class ScalingoImitation {
 public:
  ScalingoImitation() {
    server_.Post(
        "/v1/tokens/exchange", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mutex_);
          ++exchanges_;
          exchange_authorization_ = req.get_header_value("Authorization");
          if (exchange_authorization_ !=
              httplib::make_basic_authentication_header("", kApiToken).second) {
            res.status = 401;
            res.set_content(R"({"error":"invalid token"})", "application/json");
            return;
          }
          res.set_content(std::string(R"({"token":")") + kBearer + R"("})", "application/json");
        });
    server_.Get(R"(/v1/apps/([^/]+)/variables)", [this](const httplib::Request& req,
                                                        httplib::Response& res) {
      std::lock_guard lock(mutex_);
      api_authorization_ = req.get_header_value("Authorization");
      if (req.matches[1] != "histologe") {
        res.status = 404;
        res.set_content(R"({"resource":"app","error":"not found"})", "application/json");
        return;
      }
      res.set_content(R"({"variables":[{"id":"v1","name":"MAINTENANCE_ENABLE","value":"0"}]})",
                      "application/json");
    });
    server_.Put("/v1/apps/histologe/variables", [](const httplib::Request&,
                                                   httplib::Response& res) {
      res.status = 422;
      res.set_content(
          R"({"errors":{"value":["can't be blank"],"name":["has already been taken","is invalid"]}})",
          "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");  // listening from here on
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would hang.
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~ScalingoImitation() {
    server_.stop();
    thread_.join();
  }
  ScalingoImitation(const ScalingoImitation&) = delete;
  ScalingoImitation& operator=(const ScalingoImitation&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int exchanges() {
    std::lock_guard lock(mutex_);
    return exchanges_;
  }
  std::string exchange_authorization() {
    std::lock_guard lock(mutex_);
    return exchange_authorization_;
  }
  std::string api_authorization() {
    std::lock_guard lock(mutex_);
    return api_authorization_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  int exchanges_ = 0;
  std::string exchange_authorization_;
  std::string api_authorization_;
};

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

ScalingoConfig config_for(const ScalingoImitation& server, const std::string& token) {
  auto config = scalingo_config_from_env(env_of({{"SCALINGO_API_URL", server.url()},
                                                 {"SCALINGO_AUTH_URL", server.url()},
                                                 {"SCALINGO_API_TOKEN", token}}));
  EXPECT_TRUE(config.ok()) << config.error().message;
  return config.value();
}

TEST(ScalingoApiClient, ExchangesTokenWithBasicThenSendsBearer) {
  // Basic with an empty user and the API token as password; then the JWT as bearer.
  ScalingoImitation server;
  ApiClient api(config_for(server, kApiToken));
  auto body = api.call_json(HttpMethod::get, "/apps/histologe/variables");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(server.exchange_authorization(), "Basic OnRrLXVzLXNlY3JldC10b2tlbg==");
  EXPECT_EQ(server.api_authorization(), std::string("Bearer ") + kBearer);
  EXPECT_EQ(body.value()["variables"][0]["name"], "MAINTENANCE_ENABLE");
}

TEST(ScalingoApiClient, ExchangesTheTokenOncePerClient) {
  // The bearer is valid an hour: one exchange serves every request of a command.
  ScalingoImitation server;
  ApiClient api(config_for(server, kApiToken));
  ASSERT_TRUE(api.call_json(HttpMethod::get, "/apps/histologe/variables").ok());
  ASSERT_TRUE(api.call_json(HttpMethod::get, "/apps/histologe/variables").ok());
  EXPECT_EQ(server.exchanges(), 1);
  EXPECT_EQ(api.token_exchanges(), 1);
}

TEST(ScalingoApiClient, RefusedTokenIsUnauthorizedWithoutLeakingIt) {
  // A 401 at the exchange says where and why, and never prints the token.
  ScalingoImitation server;
  ApiClient api(config_for(server, "tk-us-wrong"));
  auto body = api.call_json(HttpMethod::get, "/apps/histologe/variables");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(body.error().message,
            "exchanging SCALINGO_API_TOKEN for a bearer token at " + server.url() +
                "/v1/tokens/exchange: unauthorized - you are not authorized to do this "
                "operation (invalid token)");
  EXPECT_EQ(body.error().message.find("tk-us-wrong"), std::string::npos);
  EXPECT_EQ(server.api_authorization(), "");  // nothing reached the API
}

TEST(ScalingoApiClient, UnknownAppIsTheRealCliMessage) {
  // 404 {"resource":"app"} is go-scalingo's NotFoundError text.
  ScalingoImitation server;
  ApiClient api(config_for(server, kApiToken));
  auto body = api.call_json(HttpMethod::get, "/apps/histologe-typo/variables");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::not_found);
  EXPECT_EQ(body.error().message, "The application was not found, did you make a typo?");
}

TEST(ScalingoApiClient, UnprocessableListsFieldsInOrder) {
  // 422 {"errors":{field:[…]}}: one "* field → a, b" line per field, by field name.
  ScalingoImitation server;
  ApiClient api(config_for(server, kApiToken));
  auto body = api.call_json(HttpMethod::put, "/apps/histologe/variables",
                            nlohmann::json{{"variables", nlohmann::json::array()}});
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(body.error().message,
            "422 Unprocessable Content\n"
            "* name → has already been taken, is invalid\n"
            "* value → can't be blank");
}

TEST(ScalingoApiClient, NoServerIsUnavailable) {
  // A stand-in that is not running is an error value naming the URL, not a crash.
  ScalingoConfig config;
  {
    ScalingoImitation server;
    config = config_for(server, kApiToken);
  }  // stopped: its port refuses connections now
  ApiClient api(config, ApiTimeouts{std::chrono::seconds(2), std::chrono::seconds(2)});
  auto body = api.call_json(HttpMethod::get, "/apps/histologe/variables");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::unavailable);
  EXPECT_NE(body.error().message.find("/v1/tokens/exchange"), std::string::npos)
      << body.error().message;
}

TEST(ScalingoApiError, OtherStatusesUseTheRealCliWords) {
  // The statuses the stand-in may send besides 401/404/422.
  EXPECT_EQ(api_error(404, R"({"resource":"deployment","error":"not found"})").message,
            "The deployment was not found");
  EXPECT_EQ(api_error(400, R"({"error":"scope is invalid"})").message,
            "400 Bad Request → scope is invalid");
  EXPECT_EQ(api_error(409, R"({"error":"a deployment is running"})").message,
            "409 Conflict → a deployment is running");
  EXPECT_EQ(api_error(429, "Retry later\n").message, "429 Too Many Requests → Retry later");
  EXPECT_EQ(api_error(429, "Retry later").code, ErrorCode::capacity);
  EXPECT_EQ(api_error(401, "").message,
            "unauthorized - you are not authorized to do this operation");
  EXPECT_EQ(api_error(500, "oops").message, "server internal error - our team has been notified");
  EXPECT_EQ(api_error(502, "").message, "invalid status from server: 502");
}

TEST(ScalingoConfig, MissingVariablesAreNamed) {
  // Each required variable, when missing, is named; nothing defaults to the real Scalingo.
  const std::map<std::string, std::string> full = {{"SCALINGO_API_URL", "http://127.0.0.1:1"},
                                                   {"SCALINGO_AUTH_URL", "http://127.0.0.1:2"},
                                                   {"SCALINGO_API_TOKEN", "tk-us-x"}};
  for (const auto& [missing, unused] : full) {
    auto partial = full;
    partial.erase(missing);
    auto config = scalingo_config_from_env(env_of(partial));
    ASSERT_FALSE(config.ok()) << missing;
    EXPECT_EQ(config.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(config.error().message.rfind(missing + " is not set", 0), 0u)
        << config.error().message;
  }
  auto config = scalingo_config_from_env(env_of(full));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->region, "osc-fr1");
  EXPECT_EQ(config->api_url.port, 1);
}

TEST(ScalingoConfig, MalformedUrlIsNamed) {
  // A URL without a scheme is refused with the variable's name.
  auto config = scalingo_config_from_env(env_of({{"SCALINGO_API_URL", "127.0.0.1:8080"},
                                                 {"SCALINGO_AUTH_URL", "http://127.0.0.1:2"},
                                                 {"SCALINGO_API_TOKEN", "tk-us-x"}}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.rfind("SCALINGO_API_URL is not a usable URL", 0), 0u)
      << config.error().message;
}

TEST(ScalingoHttpUrl, SplitsOriginAndPath) {
  // A path prefix is kept (without its trailing slash) and requests go under it.
  auto url = parse_http_url("http://127.0.0.1:8080/scalingo/", "X");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->origin(), "http://127.0.0.1:8080");
  EXPECT_EQ(url->with_path("/v1/apps"), "http://127.0.0.1:8080/scalingo/v1/apps");
  auto https = parse_http_url("https://api.example", "X");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->port, 443);
  EXPECT_FALSE(parse_http_url("http://127.0.0.1:0", "X").ok());
  EXPECT_FALSE(parse_http_url("ftp://host", "X").ok());
  EXPECT_FALSE(parse_http_url("http://user:pw@host", "X").ok());
  EXPECT_EQ(percent_encode("histologe-pr12"), "histologe-pr12");
  EXPECT_EQ(percent_encode("a b/c?"), "a%20b%2Fc%3F");
}

}  // namespace
}  // namespace mepsim::scalingo_cli
