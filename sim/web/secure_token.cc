#include "sim/web/secure_token.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace mepsim::web {
namespace {

void fill(unsigned char* data, std::size_t size) {
  // RAND_bytes only fails when the CSPRNG cannot be seeded: nothing sane can go on.
  if (RAND_bytes(data, static_cast<int>(size)) != 1) {
    throw std::runtime_error("RAND_bytes failed: no entropy");
  }
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> data(bytes);
  fill(data.data(), data.size());
  return to_hex(data.data(), data.size());
}

std::string random_uuid_v4() {
  std::array<unsigned char, 16> b{};
  fill(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  const std::string h = to_hex(b.data(), b.size());
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20));
}

}  // namespace mepsim::web
