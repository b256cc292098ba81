#pragma once
// The 30-day remember-me cookie (REMEMBERME), signed with APP_SECRET as Symfony's
// signature-based remember-me does: the user's email, the expiry and an HMAC-SHA256 over
// both and the user's password hash. Rotating APP_SECRET or the password invalidates it.

#include <optional>
#include <string>

#include "sim/core/clock.h"

namespace mepsim::web {

inline constexpr const char* kRememberMeCookie = "REMEMBERME";
inline constexpr int kRememberMeLifetimeS = 30 * 24 * 3600;

std::string remember_me_value(const std::string& app_secret, const std::string& email,
                              const std::string& password_hash, Instant expires_at);

// The email the cookie names, if its format is right and it has not expired; the caller
// then loads the user and checks the signature with `remember_me_valid`.
std::optional<std::string> remember_me_email(const std::string& value, Instant now);
bool remember_me_valid(const std::string& app_secret, const std::string& value,
                       const std::string& password_hash, Instant now);

}  // namespace mepsim::web
