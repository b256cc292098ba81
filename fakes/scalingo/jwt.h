#pragma once
// The bearer tokens of the Scalingo fake: JWTs signed HS256, as the real auth service
// issues them (its clients decode the claims unverified and need `exp`). The fake checks
// the signature and the expiry against the platform's clock, so that a rehearsal that
// waits two virtual hours sees its token expire as it would in production.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::fakes::scalingo {

// header.payload.signature, each part base64url without padding.
std::string sign_jwt_hs256(const nlohmann::json& claims, std::string_view secret);

// The claims of a token this secret signed, whose `exp` (seconds since the epoch) is
// after `now`. Every refusal is invalid_input with a message fit for a 401 body: it never
// repeats the token.
Result<nlohmann::json> verify_jwt_hs256(std::string_view token, std::string_view secret,
                                        Instant now);

// Whole seconds since the epoch, as JWT claims count time.
std::int64_t unix_seconds(Instant t);

}  // namespace mepsim::fakes::scalingo
