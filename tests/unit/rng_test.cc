// Unit tests of sim/core/rng.h: one seed gives one sequence, forks are pure functions of
// (seed, name), and the distributions stay in their ranges.

#include "sim/core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace mepsim {
namespace {

std::vector<std::uint64_t> draws(Rng rng, std::size_t count) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(rng.next_u64());
  return out;
}

TEST(Rng, SameSeedSameSequence) {
  // Two generators with the same seed produce the same sequence.
  EXPECT_EQ(draws(Rng(42), 100), draws(Rng(42), 100));
  EXPECT_EQ(Rng(42).seed(), 42u);
}

TEST(Rng, DifferentSeedsDiffer) {
  // Different seeds, even neighbouring ones, produce different sequences.
  const auto zero = draws(Rng(0), 8);
  const auto one = draws(Rng(1), 8);
  const auto two = draws(Rng(2), 8);
  EXPECT_NE(zero, one);
  EXPECT_NE(one, two);
  EXPECT_NE(zero, two);
  EXPECT_NE(one[0], two[0]);
}

TEST(Rng, GoldenFirstDraws) {
  // The first draws of Rng(42) are pinned: seeds printed by old runs must replay the same
  // run, so any change of the seeding (splitmix64) or engine (mt19937_64) has to show up
  // here and be deliberate. Cross-checked against an independent Python reimplementation.
  Rng rng(42);
  EXPECT_EQ(rng.next_u64(), 2576493707698874361ull);
  EXPECT_EQ(rng.next_u64(), 17880808640956396325ull);
  EXPECT_EQ(rng.next_u64(), 17896956056310571724ull);
}

TEST(Rng, ForkIsPureFunctionOfSeedAndName) {
  // fork("a") depends only on the parent's seed and the name, not on draws already made.
  Rng parent(7);
  const auto before = draws(parent.fork("a"), 16);
  for (int i = 0; i < 50; ++i) static_cast<void>(parent.next_u64());
  static_cast<void>(parent.uniform_int(0, 100));
  const auto after = draws(parent.fork("a"), 16);
  EXPECT_EQ(before, after);
  EXPECT_EQ(draws(Rng(7).fork("a"), 16), before);
  EXPECT_EQ(parent.fork("a").seed(), Rng(7).fork("a").seed());
}

TEST(Rng, ForkDrawsLeaveParentUnchanged) {
  // Drawing from a fork does not move the parent's own sequence.
  Rng parent(7);
  Rng child = parent.fork("platform");
  for (int i = 0; i < 50; ++i) static_cast<void>(child.next_u64());
  EXPECT_EQ(draws(parent, 16), draws(Rng(7), 16));
}

TEST(Rng, ForksByNameDiffer) {
  // Different names, the parent itself, and the same name under another seed all differ.
  const Rng parent(7);
  const auto a = draws(parent.fork("a"), 8);
  EXPECT_NE(a, draws(parent.fork("b"), 8));
  EXPECT_NE(a, draws(parent.fork(""), 8));
  EXPECT_NE(a, draws(parent.fork("aa"), 8));
  EXPECT_NE(a, draws(parent, 8));
  EXPECT_NE(a, draws(Rng(8).fork("a"), 8));
  EXPECT_NE(parent.fork("a").seed(), parent.fork("b").seed());
}

TEST(Rng, NestedForksArePure) {
  // fork("a").fork("b") is itself reproducible and differs from fork("b").fork("a").
  const Rng root(99);
  EXPECT_EQ(draws(root.fork("a").fork("b"), 8), draws(Rng(99).fork("a").fork("b"), 8));
  EXPECT_NE(draws(root.fork("a").fork("b"), 8), draws(root.fork("b").fork("a"), 8));
}

TEST(Rng, UniformIntStaysInRangeAndHitsBothEnds) {
  // uniform_int(lo, hi) includes both bounds and never leaves them.
  Rng rng(3);
  std::int64_t seen_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t seen_max = std::numeric_limits<std::int64_t>::min();
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t v = rng.uniform_int(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen_min = std::min(seen_min, v);
    seen_max = std::max(seen_max, v);
  }
  EXPECT_EQ(seen_min, -3);
  EXPECT_EQ(seen_max, 3);
}

TEST(Rng, UniformIntSinglePointAndFullRange) {
  // A one-value range returns that value; the full int64 range is accepted.
  Rng rng(5);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.uniform_int(17, 17), 17);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 100; ++i) {
    seen.insert(rng.uniform_int(std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max()));
  }
  EXPECT_GT(seen.size(), 90u);
}

TEST(Rng, UniformRealStaysInHalfOpenRange) {
  // uniform_real(lo, hi) stays in [lo, hi).
  Rng rng(11);
  for (int i = 0; i < 10'000; ++i) {
    const double v = rng.uniform_real(-1.5, 2.5);
    ASSERT_GE(v, -1.5);
    ASSERT_LT(v, 2.5);
  }
}

TEST(Rng, ChanceZeroAndOne) {
  // chance(0) (or less) is never true and chance(1) (or more) always is.
  Rng rng(13);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(rng.chance(0.0));
    EXPECT_FALSE(rng.chance(-0.5));
    EXPECT_TRUE(rng.chance(1.0));
    EXPECT_TRUE(rng.chance(2.0));
  }
}

TEST(Rng, ChanceHalfIsRoughlyHalf) {
  // chance(0.5) comes out true about half the time (wide bounds; the seed is fixed).
  Rng rng(17);
  int hits = 0;
  for (int i = 0; i < 10'000; ++i) hits += rng.chance(0.5) ? 1 : 0;
  EXPECT_GT(hits, 4500);
  EXPECT_LT(hits, 5500);
}

TEST(Rng, NormalAndLognormalAreReproducible) {
  // normal and lognormal draws replay with the seed; lognormal draws are positive.
  Rng a(21);
  Rng b(21);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a.normal(100.0, 15.0), b.normal(100.0, 15.0));
    const double ln = a.lognormal(0.0, 1.0);
    EXPECT_EQ(ln, b.lognormal(0.0, 1.0));
    EXPECT_GT(ln, 0.0);
  }
}

TEST(Rng, AlnumLengthAndAlphabet) {
  // alnum(n) gives n characters, all from [A-Za-z0-9], and uses the whole alphabet.
  Rng rng(23);
  EXPECT_EQ(rng.alnum(0), "");
  EXPECT_EQ(rng.alnum(1).size(), 1u);
  EXPECT_EQ(rng.alnum(32).size(), 32u);
  const std::string text = rng.alnum(10'000);
  ASSERT_EQ(text.size(), 10'000u);
  std::set<char> seen;
  for (const char c : text) {
    const bool in_alphabet =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    ASSERT_TRUE(in_alphabet) << "unexpected character " << static_cast<int>(c);
    seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 62u);
}

TEST(Rng, AlnumIsReproducible) {
  // The same seed gives the same password.
  EXPECT_EQ(Rng(29).alnum(24), Rng(29).alnum(24));
  EXPECT_NE(Rng(29).alnum(24), Rng(30).alnum(24));
}

TEST(Rng, FreshSeedFitsInJsonNumber) {
  // A fresh seed stays below 2^53 so that it survives a JSON round trip.
  for (int i = 0; i < 100; ++i) EXPECT_LT(Rng::fresh_seed(), std::uint64_t{1} << 53);
}

}  // namespace
}  // namespace mepsim
