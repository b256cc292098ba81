#include "sim/core/rng.h"

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cassert>
#include <chrono>

namespace mepsim {
namespace {

// FNV-1a: stable across platforms and versions, which std::hash is not.
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// splitmix64's finaliser spreads nearby seeds (1, 2, 3…) over unrelated streams.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

Rng::Rng(std::uint64_t seed) : seed_(seed), engine_(mix(seed)) {}

std::uint64_t Rng::fresh_seed() {
  std::random_device device;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::uint64_t entropy = (std::uint64_t{device()} << 32) ^ device();
  // Kept below 2^53 so that the seed survives a round trip through JSON numbers.
  return mix(entropy ^ static_cast<std::uint64_t>(now)) & ((1ull << 53) - 1);
}

Rng Rng::fork(std::string_view name) const {
  return Rng(mix(fnv1a(name, mix(seed_))));
}

std::uint64_t Rng::next_u64() {
  return engine_();
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  assert(lo <= hi);
  return boost::random::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
}

double Rng::uniform_real(double lo, double hi) {
  assert(lo < hi);
  return boost::random::uniform_real_distribution<double>(lo, hi)(engine_);
}

bool Rng::chance(double probability) {
  if (probability <= 0.0) return false;
  if (probability >= 1.0) return true;
  return uniform_real(0.0, 1.0) < probability;
}

double Rng::normal(double mean, double stddev) {
  return boost::random::normal_distribution<double>(mean, stddev)(engine_);
}

double Rng::lognormal(double mu, double sigma) {
  // Boost's lognormal takes the mean and sigma of the underlying normal as m and s.
  return boost::random::lognormal_distribution<double>(mu, sigma)(engine_);
}

std::string Rng::alnum(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    const auto index = uniform_int(0, static_cast<std::int64_t>(kAlphabet.size()) - 1);
    out.push_back(kAlphabet[static_cast<std::size_t>(index)]);
  }
  return out;
}

}  // namespace mepsim
