#pragma once
// The few primitives the fakes sign and check things with: HMAC-SHA256 (JWTs, webhook
// signatures, capability URLs), base64 in both alphabets, hex, and a comparison whose
// time does not depend on where two secrets differ.

#include <optional>
#include <string>
#include <string_view>

namespace mepsim::fakes {

// The raw 32-byte MAC.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string to_hex(std::string_view bytes);

// RFC 4648 §5 (JWT): '-' and '_', no padding.
std::string base64url_encode(std::string_view bytes);
// Standard alphabet with padding (HTTP Basic auth).
std::string base64_encode(std::string_view bytes);
// Accepts either alphabet, padded or not; nullopt on anything else.
std::optional<std::string> base64_decode(std::string_view text);

bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace mepsim::fakes
