#include "sim/web/remember_me.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <vector>

namespace mepsim::web {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xf]);
  }
  return out;
}

std::string signature(const std::string& secret, const std::string& email, std::int64_t expires,
                      const std::string& password_hash) {
  const std::string message = email + "\n" + std::to_string(expires) + "\n" + password_hash;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return hex(mac, size);
}

std::string to_hex(const std::string& text) {
  return hex(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (ec != std::errc() || end != text.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<char>(value));
  }
  return out;
}

struct Parts {
  std::string email;
  std::int64_t expires = 0;
  std::string mac;
};

// <hex email>:<expires unix s>:<hex hmac>
std::optional<Parts> split(const std::string& value) {
  const auto first = value.find(':');
  const auto second = value.find(':', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return std::nullopt;
  auto email = from_hex(std::string_view(value).substr(0, first));
  if (!email) return std::nullopt;
  Parts parts{std::move(*email), 0, value.substr(second + 1)};
  const char* begin = value.data() + first + 1;
  const char* end = value.data() + second;
  const auto [ptr, ec] = std::from_chars(begin, end, parts.expires);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return parts;
}

}  // namespace

std::string remember_me_value(const std::string& app_secret, const std::string& email,
                              const std::string& password_hash, Instant expires_at) {
  const std::int64_t expires = unix_seconds(expires_at);
  return to_hex(email) + ":" + std::to_string(expires) + ":" +
         signature(app_secret, email, expires, password_hash);
}

std::optional<std::string> remember_me_email(const std::string& value, Instant now) {
  auto parts = split(value);
  if (!parts || parts->expires <= unix_seconds(now)) return std::nullopt;
  return parts->email;
}

bool remember_me_valid(const std::string& app_secret, const std::string& value,
                       const std::string& password_hash, Instant now) {
  auto parts = split(value);
  if (!parts || parts->expires <= unix_seconds(now) || app_secret.empty()) return false;
  const std::string expected = signature(app_secret, parts->email, parts->expires, password_hash);
  return expected.size() == parts->mac.size() &&
         CRYPTO_memcmp(expected.data(), parts->mac.data(), expected.size()) == 0;
}

}  // namespace mepsim::web
