#include "fakes/scalingo/jwt.h"

#include <chrono>

#include "fakes/common/hmac.h"

namespace mepsim::fakes::scalingo {
namespace {

const std::string& encoded_header() {
  static const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  return header;
}

Error refused(std::string message) {
  return make_error(ErrorCode::invalid_input, std::move(message));
}

Result<nlohmann::json> decode_part(std::string_view part) {
  const auto bytes = base64_decode(part);
  if (!bytes) return refused("malformed token");
  auto parsed = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return refused("malformed token");
  return parsed;
}

}  // namespace

std::int64_t unix_seconds(Instant t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string sign_jwt_hs256(const nlohmann::json& claims, std::string_view secret) {
  std::string signing_input = encoded_header() + "." + base64url_encode(claims.dump());
  const std::string signature = base64url_encode(hmac_sha256(secret, signing_input));
  return signing_input + "." + signature;
}

Result<nlohmann::json> verify_jwt_hs256(std::string_view token, std::string_view secret,
                                        Instant now) {
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot) {
    return refused("malformed token");
  }
  const std::string_view signing_input = token.substr(0, last_dot);
  const std::string expected = base64url_encode(hmac_sha256(secret, signing_input));
  // The signature is checked before anything in the token is parsed or believed.
  if (!constant_time_equal(token.substr(last_dot + 1), expected)) {
    return refused("invalid token signature");
  }
  auto header = decode_part(token.substr(0, first_dot));
  if (!header) return header.error();
  const auto alg = header->find("alg");
  if (alg == header->end() || *alg != "HS256") return refused("unsupported token algorithm");
  auto claims = decode_part(token.substr(first_dot + 1, last_dot - first_dot - 1));
  if (!claims) return claims.error();
  const auto exp = claims->find("exp");
  if (exp == claims->end() || !exp->is_number_integer()) return refused("token has no exp");
  if (unix_seconds(now) >= exp->get<std::int64_t>()) return refused("token expired");
  return claims;
}

}  // namespace mepsim::fakes::scalingo
