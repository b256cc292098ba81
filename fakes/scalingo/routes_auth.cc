// The auth service's token exchange: the long-lived API token (HTTP Basic, empty user,
// the token as password) for a one-hour bearer JWT. Served on the same port as the API,
// so SCALINGO_AUTH_URL and SCALINGO_API_URL may both be the fake's base URL.

#include "fakes/common/hmac.h"
#include "fakes/scalingo/api_context.h"

namespace mepsim::fakes::scalingo {
namespace {

void unauthorized(Exchange& ex, const std::string& message) {
  ex.res.set_header("WWW-Authenticate", R"(Basic realm="Scalingo")");
  reply_json(ex, 401, {{"error", message}});
}

// The password of a Basic Authorization header, whatever the user.
std::optional<std::string> basic_password(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return std::nullopt;
  }
  const auto decoded = base64_decode(std::string_view(header).substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return decoded->substr(colon + 1);
}

void exchange(ApiContext& ctx, Exchange& ex) {
  const auto password = basic_password(ex.req);
  if (!password) return unauthorized(ex, "missing HTTP Basic credentials (empty user, API token)");
  if (!constant_time_equal(*password, ctx.api_token)) {
    return unauthorized(ex, "invalid API token");
  }
  reply_json(ex, 200, {{"token", ctx.issue_token()}});
}

}  // namespace

std::vector<Route> auth_routes() {
  return {{"POST", "/v1/tokens/exchange", Access::open, exchange}};
}

}  // namespace mepsim::fakes::scalingo
