#include "fakes/scalingo/api_context.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <utility>

#include "fakes/common/hmac.h"
#include "fakes/scalingo/jwt.h"

namespace mepsim::fakes::scalingo {

ApiContext::ApiContext(platform::Platform& p, Rng rng, std::string token, std::string secret,
                       Duration wait_max, int waits_max)
    : platform(p),
      api_token(std::move(token)),
      jwt_secret(std::move(secret)),
      one_off_wait_max(wait_max),
      one_off_waits_max(waits_max),
      rng_(std::move(rng)) {}

std::string ApiContext::operation_url(const std::string& app_name, const std::string& id) const {
  return base_url + "/v1/apps/" + app_name + "/operations/" + id;
}

std::string ApiContext::attach_signature(const std::string& one_off_id) const {
  return base64url_encode(hmac_sha256(jwt_secret, "attach:" + one_off_id).substr(0, 18));
}

std::string ApiContext::attach_url(const std::string& one_off_id) const {
  return base_url + "/one-off/" + one_off_id + "/" + attach_signature(one_off_id);
}

bool ApiContext::attach_signature_valid(const std::string& one_off_id,
                                        std::string_view signature) const {
  return constant_time_equal(signature, attach_signature(one_off_id));
}

std::string ApiContext::issue_token() {
  const Instant now = platform.now();
  std::string nonce;
  {
    std::lock_guard lock(rng_mutex_);
    nonce = rng_.alnum(16);
  }
  const auto& user = platform.profile().user;
  const nlohmann::json claims = {
      {"iss", "mepsim"},
      {"iat", unix_seconds(now)},
      {"exp", unix_seconds(now + std::chrono::hours(1))},
      {"uuid", user.id},
      {"username", user.username},
      // Two exchanges in the same virtual second still give two tokens.
      {"jti", nonce},
  };
  return sign_jwt_hs256(claims, jwt_secret);
}

void reply_json(Exchange& ex, int status, const nlohmann::json& body) {
  ex.res.status = status;
  // Values from the outside (a variable's value) may hold invalid UTF-8: replace, not throw.
  ex.res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     "application/json; charset=utf-8");
}

void reply_text(Exchange& ex, int status, std::string body) {
  ex.res.status = status;
  ex.res.set_content(std::move(body), "text/plain; charset=utf-8");
}

void reply_bad_request(Exchange& ex, const std::string& message) {
  reply_json(ex, 400, {{"error", message}});
}

void reply_not_found(Exchange& ex, std::string_view resource) {
  reply_json(ex, 404, {{"resource", resource}, {"error", "not found"}});
}

void reply_field_errors(Exchange& ex, const FieldErrors& errors) {
  reply_json(ex, 422, errors.to_json());
}

namespace {

// "name: is already taken" → ("name", "is already taken"); anything else is about the
// request as a whole, which Rails files under "base".
std::pair<std::string, std::string> split_field(const std::string& message) {
  const auto colon = message.find(": ");
  if (colon != std::string::npos && colon > 0) {
    const std::string field = message.substr(0, colon);
    bool identifier = true;
    for (const char c : field) {
      identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    }
    if (identifier) return {field, message.substr(colon + 2)};
  }
  return {"base", message};
}

}  // namespace

void reply_platform_error(Exchange& ex, const Error& error, std::string_view resource) {
  switch (error.code) {
    case ErrorCode::not_found:
      return reply_not_found(ex, resource);
    case ErrorCode::invalid_input:
    case ErrorCode::conflict: {
      // The real API answers both with 422 validation errors (a variable name already
      // taken, a scale while the app is stopped), never with 409.
      FieldErrors errors;
      auto [field, message] = split_field(error.message);
      errors.add(field, std::move(message));
      return reply_field_errors(ex, errors);
    }
    case ErrorCode::capacity:
      ex.res.set_header("Retry-After", "60");
      return reply_json(ex, 429, {{"error", error.message}});
    case ErrorCode::unavailable:
      return reply_json(ex, 503, {{"error", error.message}});
    case ErrorCode::timeout:
      return reply_json(ex, 504, {{"error", error.message}});
    case ErrorCode::internal:
      break;
  }
  reply_json(ex, 500, {{"error", error.message}});
}

std::optional<nlohmann::json> read_body(Exchange& ex) {
  auto parsed = parse_json_object(ex.req.body);
  if (!parsed) {
    reply_bad_request(ex, parsed.error().message);
    return std::nullopt;
  }
  return std::move(parsed).value();
}

std::optional<AppRequest> read_app_request(ApiContext& ctx, Exchange& ex) {
  auto body = read_body(ex);
  if (!body) return std::nullopt;
  auto app = require_app(ctx, ex);
  if (!app) return std::nullopt;
  return AppRequest{std::move(*body), std::move(*app)};
}

std::optional<platform::App> require_app(ApiContext& ctx, Exchange& ex) {
  auto app = ctx.platform.app(ex.param(1));
  if (!app) {
    reply_platform_error(ex, app.error(), "app");
    return std::nullopt;
  }
  return std::move(app).value();
}

namespace {

// A positive integer query parameter; absent → `fallback`.
std::optional<int> positive_param(Exchange& ex, const char* key, int fallback,
                                  FieldErrors& errors) {
  if (!ex.req.has_param(key)) return fallback;
  const std::string text = ex.req.get_param_value(key);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
    errors.add(key, "must be a positive integer");
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<platform::Page> read_page(Exchange& ex) {
  FieldErrors errors;
  const platform::Page defaults;
  const auto page = positive_param(ex, "page", defaults.page, errors);
  auto per_page = positive_param(ex, "per_page", defaults.per_page, errors);
  if (!errors.empty()) {
    reply_field_errors(ex, errors);
    return std::nullopt;
  }
  if (*per_page > kPerPageMax) {
    ex.notes.push_back("per_page " + std::to_string(*per_page) + " cut to " +
                       std::to_string(kPerPageMax));
    per_page = kPerPageMax;
  }
  return platform::Page{*page, *per_page};
}

}  // namespace mepsim::fakes::scalingo
