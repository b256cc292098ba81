// The token API (stateless): /api/login trades an API user's credentials for a bearer
// token; /api/signalements lists and creates reports; /api/doc stays open, even in
// maintenance.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/core/clock.h"
#include "sim/web/password_hash.h"
#include "sim/web/report_input.h"
#include "sim/web/routes.h"
#include "sim/web/secure_token.h"

namespace mepsim::web {
namespace {

constexpr auto kTokenLifetime = std::chrono::hours(24);

nlohmann::json to_json(const SignalementRecord& s) {
  return {{"uuid", s.uuid},
          {"reference", s.reference},
          {"statut", s.statut},
          {"adresse", s.address},
          {"codePostal", s.postcode},
          {"ville", s.city},
          {"createdAt", format_iso8601(s.created_at)}};
}

void invalid_credentials(Exchange& ex) {
  ex.json(401, R"({"code":401,"message":"Invalid credentials."})");
}

}  // namespace

Result<void> api_login(AppContext& app, Exchange& ex) {
  const auto body = nlohmann::json::parse(ex.request.body(), nullptr, false);
  if (!body.is_object() || !body.contains("email") || !body["email"].is_string() ||
      !body.contains("password") || !body["password"].is_string()) {
    ex.json(400,
            R"({"code":400,"message":"The keys \"email\" and \"password\" must be strings."})");
    return {};
  }
  const std::string email = body["email"].get<std::string>();
  auto redis = app.redis();
  if (!redis) return redis.error();
  const std::string subject = ex.client_ip + "|" + email;
  auto throttle = app.rate_limiter().peek(*redis.value(), kLoginLimit, subject, app.now());
  if (!throttle) return throttle.error();
  if (!throttle->accepted) {
    for (const auto& [name, value] : throttle->headers()) ex.add_header(name, value);
    ex.json(429, R"({"code":429,"message":"Too many failed login attempts."})");
    return {};
  }
  auto db = app.database();
  if (!db) return db.error();
  auto user = db.value()->find_user_by_email(email);
  if (!user) return user.error();
  const bool ok = user.value() && user.value()->statut == "ACTIVE" &&
                  is_granted(user.value()->roles, "ROLE_API_USER") &&
                  verify_password(body["password"].get<std::string>(), user.value()->password_hash);
  if (!ok) {
    auto counted = app.rate_limiter().consume(*redis.value(), kLoginLimit, subject, app.now());
    if (!counted) return counted.error();
    invalid_credentials(ex);
    return {};
  }
  const std::string token = random_hex(32);
  const Instant expires = app.now() + kTokenLifetime;
  if (auto created = db.value()->create_api_token(user.value()->id, token, expires); !created) {
    return created.error();
  }
  ex.json(200, nlohmann::json{{"token", token}, {"expires_at", format_iso8601(expires)}}.dump());
  return {};
}

Result<void> api_signalements_list(AppContext& app, Exchange& ex) {
  auto db = app.database();
  if (!db) return db.error();
  auto rows = db.value()->list_signalements(scope_of(*ex.user), 100, 0);
  if (!rows) return rows.error();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : rows.value()) list.push_back(to_json(s));
  ex.json(200, list.dump());
  return {};
}

Result<void> api_signalements_create(AppContext& app, Exchange& ex) {
  auto read = read_report_input(ex.request.body());
  if (!read.ok()) {
    ex.json(400, read.errors.to_json());
    return {};
  }
  auto created = create_report(app, std::move(read.input));
  if (!created) return refuse_report(ex, created.error());
  ex.json(201, to_json(created.value()).dump());
  return {};
}

Result<void> api_doc(AppContext&, Exchange& ex) {
  ex.html(200,
          "<!DOCTYPE html><html><head><title>Signal Logement API</title></head><body>"
          "<h1>Signal Logement API</h1><ul><li>POST /api/login</li>"
          "<li>GET /api/signalements</li><li>POST /api/signalements</li></ul></body></html>");
  return {};
}

}  // namespace mepsim::web
