#pragma once
// Internal to the Scalingo fake: what every route file shares. A route is a method, a
// path pattern and a handler; the server wraps each handler with the bearer check, the
// exception guard and the journal, so handlers only read the request and answer it.

#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/common/json_fields.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/platform.h"

namespace mepsim::fakes::scalingo {

class GithubIntegration;

// One request being answered, and what the journal will say about it.
struct Exchange {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> notes;

  // The n-th group of the route's pattern (1 is the app for /v1/apps/{app}/…).
  std::string param(std::size_t n) const { return req.matches[n].str(); }
};

// What the routes need from the server: the platform, the URLs clients follow, the
// secrets behind tokens and attach URLs, and the bounds of blocking waits.
class ApiContext {
 public:
  ApiContext(platform::Platform& platform, Rng rng, std::string api_token, std::string jwt_secret,
             Duration one_off_wait_max, int one_off_waits_max);

  platform::Platform& platform;
  const std::string api_token;
  const std::string jwt_secret;
  const Duration one_off_wait_max;
  const int one_off_waits_max;
  std::atomic<int> one_off_waits{0};
  std::atomic<bool> stopping{false};
  // Where `POST /hooks/github` deliveries go; null until the wiring links GitHub.
  std::atomic<GithubIntegration*> github_integration{nullptr};

  // "http://127.0.0.1:PORT", set once the server is bound, before it serves.
  std::string base_url;

  std::string operation_url(const std::string& app_name, const std::string& id) const;
  // {base}/one-off/{id}/{signature}: a capability, as the real attach URLs are, so that
  // it needs no bearer token; the signature is an HMAC of the id under the JWT secret.
  std::string attach_url(const std::string& one_off_id) const;
  bool attach_signature_valid(const std::string& one_off_id, std::string_view signature) const;

  // A JWT for the profile's user, valid one hour of platform time.
  std::string issue_token();

 private:
  std::string attach_signature(const std::string& one_off_id) const;
  std::mutex rng_mutex_;
  Rng rng_;
};

using RouteHandler = std::function<void(ApiContext&, Exchange&)>;

enum class Access {
  bearer,  // Authorization: Bearer <JWT from the exchange>
  open,    // the token exchange itself, and attach URLs (a capability in the path)
};

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  // an std::regex on the decoded path
  Access access = Access::bearer;
  RouteHandler handler;
  // A capture group holding a capability (the attach URL's signature), which the
  // journal replaces with "[redacted]"; 0 for none.
  int secret_group = 0;
};

// Each resource's routes, one file each.
std::vector<Route> auth_routes();
std::vector<Route> app_routes();
std::vector<Route> deployment_routes();
std::vector<Route> container_routes();
std::vector<Route> one_off_routes();
std::vector<Route> variable_routes();
std::vector<Route> scm_routes();

// Path pieces of the patterns: an app name or id, and any other id.
inline constexpr std::string_view kAppPattern = "/v1/apps/([^/]+)";
inline constexpr std::string_view kIdPattern = "([^/]+)";

// ---- Answers -------------------------------------------------------------------------

void reply_json(Exchange& ex, int status, const nlohmann::json& body);
void reply_text(Exchange& ex, int status, std::string body);
// 400 {"error": message}
void reply_bad_request(Exchange& ex, const std::string& message);
// 404 {"resource": resource, "error": "not found"}
void reply_not_found(Exchange& ex, std::string_view resource);
// 422 {"errors": {...}}
void reply_field_errors(Exchange& ex, const FieldErrors& errors);
// The platform's refusal, as the real API would answer it (see the .cc for the table).
void reply_platform_error(Exchange& ex, const Error& error, std::string_view resource);

// The body as a JSON object, or nullopt after answering 400.
std::optional<nlohmann::json> read_body(Exchange& ex);

// The app named (or whose id is given) in the path, or nullopt after answering 404.
std::optional<platform::App> require_app(ApiContext& ctx, Exchange& ex);

// What a write on an app's resource starts from: its JSON body, then its app — in that
// order, so a malformed body is a 400 even for an unknown app. nullopt after answering.
struct AppRequest {
  nlohmann::json body;
  platform::App app;
};
std::optional<AppRequest> read_app_request(ApiContext& ctx, Exchange& ex);

// `page` and `per_page` from the query, or nullopt after answering 422. Pages beyond
// kPerPageMax items are cut to it, with a note.
inline constexpr int kPerPageMax = 100;
std::optional<platform::Page> read_page(Exchange& ex);

}  // namespace mepsim::fakes::scalingo
