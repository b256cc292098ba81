#pragma once
// The only source of randomness. One seed drives a whole run; each component takes its
// own stream with `fork("name")`, so that a new draw in one component leaves the draws
// of every other one unchanged and runs stay comparable across versions.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace mepsim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // A seed for a run that was given none; the run prints it so that it can be replayed.
  static std::uint64_t fresh_seed();

  std::uint64_t seed() const { return seed_; }
  // An independent stream, a pure function of this stream's seed and `name`.
  Rng fork(std::string_view name) const;

  std::uint64_t next_u64();
  // Uniform in [lo, hi], both included.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  // Uniform in [lo, hi).
  double uniform_real(double lo, double hi);
  bool chance(double probability);
  double normal(double mean, double stddev);
  double lognormal(double mu, double sigma);
  // `length` characters from [A-Za-z0-9]: passwords and tokens of the local stand-ins.
  std::string alnum(std::size_t length);

 private:
  std::uint64_t seed_;
  // mt19937_64's output sequence is fixed by the C++ standard; the distributions come
  // from Boost.Random, whose algorithms (unlike std::'s) are the same on every platform.
  std::mt19937_64 engine_;
};

}  // namespace mepsim
