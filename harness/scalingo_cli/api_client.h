#pragma once
// The Scalingo API as the real CLI speaks it: the API token is exchanged once at
// {SCALINGO_AUTH_URL}/v1/tokens/exchange (HTTP Basic, empty user, token as password) for a
// bearer; requests then go to {SCALINGO_API_URL}/v1/… with `Authorization: Bearer …`.
// A refused request becomes an Error worded like the real CLI's (api_error.h).
//
// Every request has a connection and a read timeout; the bearer lives in memory only.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/scalingo_cli/http_url.h"
#include "harness/scalingo_cli/scalingo_config.h"
#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

enum class HttpMethod { get, post, put, patch, del };

// How a request proves who sends it. The API takes the bearer; a one-off's attach URL
// takes HTTP Basic with an empty user and the bearer as password (the real CLI's run.go).
enum class Credentials { bearer, basic_with_bearer };

struct ApiRequest {
  HttpMethod method = HttpMethod::get;
  std::string url;  // absolute
  std::optional<nlohmann::json> body;
  Credentials credentials = Credentials::bearer;
  std::optional<std::chrono::seconds> read_timeout;  // the client's default when unset
};

struct ApiResponse {
  int status = 0;
  std::string body;
  std::string location;  // the Location header: where a 202's operation is followed
};

struct ApiTimeouts {
  std::chrono::seconds connect{5};
  std::chrono::seconds read{30};
};

class ApiClient {
 public:
  explicit ApiClient(ScalingoConfig config, ApiTimeouts timeouts = {});

  // {SCALINGO_API_URL}/v1{path}; `path` starts with '/' and may carry a query.
  std::string api_url(const std::string& path) const;
  // {SCALINGO_AUTH_URL}/v1{path}.
  std::string auth_url(const std::string& path) const;
  // A URL the API handed back, made absolute against the API's origin if it is not.
  std::string resolve(const std::string& url) const;

  // Any answer the server gives; an Error only when there is none (refused connection,
  // timeout) or the token exchange fails.
  Result<ApiResponse> send(const ApiRequest& request);
  // Like send, but a non-2xx answer is an Error worded like the real CLI's.
  Result<ApiResponse> call(const ApiRequest& request);
  // call() on {SCALINGO_API_URL}/v1{path}, the 2xx body decoded as JSON.
  Result<nlohmann::json> call_json(HttpMethod method, const std::string& path,
                                   const std::optional<nlohmann::json>& body = std::nullopt);

  const ScalingoConfig& config() const { return config_; }
  // How many token exchanges this client made (one per process is expected).
  int token_exchanges() const { return token_exchanges_; }

 private:
  Result<std::string> bearer();

  ScalingoConfig config_;
  ApiTimeouts timeouts_;
  std::optional<std::string> bearer_;
  int token_exchanges_ = 0;
};

// The JSON of a 2xx body, or an Error naming what answered something else.
Result<nlohmann::json> decode_json(const ApiResponse& response, const std::string& what);

}  // namespace mepsim::scalingo_cli
