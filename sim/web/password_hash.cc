#include "sim/web/password_hash.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace mepsim::web {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kHashBytes = 32;  // SHA-256's output: PBKDF2 adds nothing past it
// Bounds on what a stored hash may ask for: a corrupt or hostile row cannot make a login
// spin for minutes or allocate a huge salt.
constexpr int kIterationsMax = 10'000'000;
constexpr std::size_t kSaltBytesMax = 1024;

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return std::vector<unsigned char>{};  // an empty salt
  std::vector<unsigned char> out(text.size() / 4 * 3);
  const int written =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: drop one per trailing '='.
  std::size_t size = static_cast<std::size_t>(written);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

std::optional<std::array<unsigned char, kHashBytes>> derive(const std::string& password,
                                                            const unsigned char* salt,
                                                            std::size_t salt_size, int iterations) {
  std::array<unsigned char, kHashBytes> hash{};
  const int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt,
                                   static_cast<int>(salt_size), iterations, EVP_sha256(),
                                   static_cast<int>(hash.size()), hash.data());
  if (ok != 1) return std::nullopt;
  return hash;
}

// "$scheme$iterations$salt$hash" split on '$'; empty when the shape is wrong.
std::vector<std::string_view> fields_of(std::string_view hash) {
  std::vector<std::string_view> fields;
  if (hash.empty() || hash.front() != '$') return fields;
  hash.remove_prefix(1);
  for (std::size_t at = 0; fields.size() < 5;) {
    const auto next = hash.find('$', at);
    fields.push_back(hash.substr(at, next == std::string_view::npos ? next : next - at));
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  if (fields.size() != 4) fields.clear();
  return fields;
}

}  // namespace

std::string hash_password(const std::string& password, const std::string& salt, int iterations) {
  const auto* salt_bytes = reinterpret_cast<const unsigned char*>(salt.data());
  const auto hash = derive(password, salt_bytes, salt.size(), iterations);
  // PKCS5_PBKDF2_HMAC fails only on bad arguments (iterations < 1) or memory exhaustion.
  if (!hash) return {};
  return fmt::format("${}${}${}${}", kScheme, iterations, base64(salt_bytes, salt.size()),
                     base64(hash->data(), hash->size()));
}

bool verify_password(const std::string& password, const std::string& hash) {
  const auto fields = fields_of(hash);
  if (fields.empty() || fields[0] != kScheme) return false;
  int iterations = 0;
  const auto [end, ec] =
      std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), iterations);
  if (ec != std::errc() || end != fields[1].data() + fields[1].size() || iterations < 1 ||
      iterations > kIterationsMax) {
    return false;
  }
  const auto salt = unbase64(fields[2]);
  const auto expected = unbase64(fields[3]);
  if (!salt || salt->size() > kSaltBytesMax || !expected || expected->size() != kHashBytes) {
    return false;
  }
  const auto actual = derive(password, salt->data(), salt->size(), iterations);
  if (!actual) return false;
  return CRYPTO_memcmp(actual->data(), expected->data(), kHashBytes) == 0;
}

}  // namespace mepsim::web
