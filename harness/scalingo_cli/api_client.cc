#include "harness/scalingo_cli/api_client.h"

#include <httplib.h>

#include "harness/scalingo_cli/api_error.h"
#include "harness/scalingo_cli/json_fields.h"

namespace mepsim::scalingo_cli {
namespace {

constexpr const char* kUserAgent = "mepsim-scalingo-cli";

const char* method_name(HttpMethod method) {
  switch (method) {
    case HttpMethod::get:
      return "GET";
    case HttpMethod::post:
      return "POST";
    case HttpMethod::put:
      return "PUT";
    case HttpMethod::patch:
      return "PATCH";
    case HttpMethod::del:
      return "DELETE";
  }
  return "?";
}

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// One request on a fresh connection: the CLI makes a handful per run, so keep-alive would
// buy nothing and a pooled connection could outlive a restarted stand-in.
Result<ApiResponse> perform(const HttpUrl& url, HttpMethod method, const httplib::Headers& headers,
                            const std::string& body, std::chrono::seconds connect_timeout,
                            std::chrono::seconds read_timeout) {
  httplib::Client client(url.origin());
  client.set_tcp_nodelay(true);  // without it each response stalls ~40 ms (DESIGN.md)
  client.set_connection_timeout(connect_timeout);
  client.set_read_timeout(read_timeout);
  client.set_write_timeout(connect_timeout);
  const std::string target = url.path.empty() ? "/" : url.path;
  const std::string content_type = "application/json";
  httplib::Result result = [&] {
    switch (method) {
      case HttpMethod::get:
        return client.Get(target, headers);
      case HttpMethod::post:
        return client.Post(target, headers, body, content_type);
      case HttpMethod::put:
        return client.Put(target, headers, body, content_type);
      case HttpMethod::patch:
        return client.Patch(target, headers, body, content_type);
      case HttpMethod::del:
        return body.empty() ? client.Delete(target, headers)
                            : client.Delete(target, headers, body, content_type);
    }
    return httplib::Result{nullptr, httplib::Error::Unknown};
  }();
  const std::string what = std::string(method_name(method)) + " " + url.origin() + target;
  if (!result) {
    const auto code =
        result.error() == httplib::Error::Read ? ErrorCode::timeout : ErrorCode::unavailable;
    return make_error(code, "no answer to " + what + ": " + httplib::to_string(result.error()));
  }
  return ApiResponse{result->status, result->body, result->get_header_value("Location")};
}

}  // namespace

ApiClient::ApiClient(ScalingoConfig config, ApiTimeouts timeouts)
    : config_(std::move(config)), timeouts_(timeouts) {}

std::string ApiClient::api_url(const std::string& path) const {
  return config_.api_url.with_path("/v1" + path);
}

std::string ApiClient::auth_url(const std::string& path) const {
  return config_.auth_url.with_path("/v1" + path);
}

std::string ApiClient::resolve(const std::string& url) const {
  if (url.find("://") != std::string::npos) return url;
  // The Go CLI only reads the operation id off the Location's path, so a relative one
  // works there too; follow it on the API's own origin.
  return config_.api_url.origin() + (url.empty() || url.front() != '/' ? "/" : "") + url;
}

Result<std::string> ApiClient::bearer() {
  if (bearer_) return *bearer_;
  const std::string url = auth_url("/tokens/exchange");
  const auto fail = [&](const Error& error) {
    return error.context("exchanging SCALINGO_API_TOKEN for a bearer token at " + url);
  };
  auto parsed_url = parse_http_url(url, "SCALINGO_AUTH_URL");
  if (!parsed_url) return fail(parsed_url.error());
  httplib::Headers headers{{"Accept", "application/json"}, {"User-Agent", kUserAgent}};
  headers.insert(httplib::make_basic_authentication_header("", config_.api_token));
  ++token_exchanges_;
  auto response = perform(parsed_url.value(), HttpMethod::post, headers, "{}", timeouts_.connect,
                          timeouts_.read);
  if (!response) return fail(response.error());
  if (!is_success(response->status)) return fail(api_error(response->status, response->body));
  auto json = decode_json(response.value(), "the token exchange");
  if (!json) return fail(json.error());
  std::string token = string_field(json.value(), "token");
  if (token.empty()) {
    return fail(make_error(ErrorCode::unavailable, "the answer has no \"token\" string"));
  }
  bearer_ = std::move(token);
  return *bearer_;
}

Result<ApiResponse> ApiClient::send(const ApiRequest& request) {
  auto url = parse_http_url(resolve(request.url), "the request URL");
  if (!url) return url.error();
  auto token = bearer();
  if (!token) return token.error();
  httplib::Headers headers{{"Accept", "application/json"}, {"User-Agent", kUserAgent}};
  if (request.credentials == Credentials::basic_with_bearer) {
    headers.insert(httplib::make_basic_authentication_header("", token.value()));
  } else {
    headers.emplace("Authorization", "Bearer " + token.value());
  }
  const std::string body = request.body ? request.body->dump() : std::string();
  return perform(url.value(), request.method, headers, body, timeouts_.connect,
                 request.read_timeout.value_or(timeouts_.read));
}

Result<ApiResponse> ApiClient::call(const ApiRequest& request) {
  auto response = send(request);
  if (!response) return response.error();
  if (!is_success(response->status)) return api_error(response->status, response->body);
  return response;
}

Result<nlohmann::json> ApiClient::call_json(HttpMethod method, const std::string& path,
                                            const std::optional<nlohmann::json>& body) {
  auto response = call(ApiRequest{method, api_url(path), body, Credentials::bearer, {}});
  if (!response) return response.error();
  return decode_json(response.value(), std::string(method_name(method)) + " " + path);
}

Result<nlohmann::json> decode_json(const ApiResponse& response, const std::string& what) {
  auto json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    std::string excerpt = response.body.substr(0, 200);
    return make_error(ErrorCode::unavailable, what + " answered " +
                                                  std::to_string(response.status) +
                                                  " with a body that is not JSON: " + excerpt);
  }
  return json;
}

}  // namespace mepsim::scalingo_cli
