// Unit tests of `mepsim run --shard I/N` (harness/cli/run_command.h): the shards of a
// library — the real scenarios/ folder and synthetic lists, filtered or not — are disjoint
// and together make all of it, each within one scenario of the others' size.

#include <fnmatch.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/cli/run_command.h"
#include "harness/scenario/scenario_parser.h"

namespace mepsim::run_cli {
namespace {

using scenario::Scenario;

std::vector<Scenario> named(int count) {
  std::vector<Scenario> out;
  for (int i = 0; i < count; ++i) {
    Scenario s;
    s.name = "scenario-" + std::to_string(i);
    s.file = "scenarios/" + s.name + ".yaml";
    out.push_back(std::move(s));
  }
  return out;
}

// Every shard of `count` over `all`: each scenario the filter keeps in exactly one shard,
// in the library's order, and the shards' sizes at most one apart.
void expect_partition(const std::vector<Scenario>& all, const std::optional<std::string>& filter,
                      int count) {
  std::map<const Scenario*, int> taken;
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (int index = 1; index <= count; ++index) {
    const auto mine = select(all, filter, {index, count});
    smallest = std::min(smallest, mine.size());
    largest = std::max(largest, mine.size());
    for (std::size_t k = 0; k < mine.size(); ++k) {
      ++taken[mine[k]];
      if (k > 0) {
        EXPECT_LT(mine[k - 1], mine[k]) << "shard " << index << " out of order";
      }
    }
  }
  const auto whole = select(all, filter, {1, 1});
  EXPECT_EQ(taken.size(), whole.size()) << count << " shards";
  for (const auto* s : whole) {
    EXPECT_EQ(taken[s], 1) << s->name << " in " << taken[s] << " of " << count << " shards";
  }
  if (!whole.empty()) {
    EXPECT_LE(largest - smallest, 1u) << count << " shards";
  }
  for (const auto& s : all) {
    const bool kept = !filter || fnmatch(filter->c_str(), s.name.c_str(), 0) == 0;
    EXPECT_EQ(taken.contains(&s), kept) << s.name;
  }
}

TEST(RunShard, TheLibraryShardsIntoDisjointPartsMakingTheWhole) {
  // The real scenarios/ folder, parsed as `mepsim run scenarios/` does, for every shard
  // count up to one more than it holds (some shards then empty).
  const auto files = scenario::scenario_files({std::string(MEPSIM_SOURCE_DIR) + "/scenarios"});
  ASSERT_TRUE(files) << files.error().message;
  std::vector<Scenario> library;
  for (const auto& file : *files) {
    auto parsed = scenario::parse_scenario_file(file);
    ASSERT_TRUE(parsed.scenario) << file << ": " << parsed.errors.front().str();
    library.push_back(std::move(*parsed.scenario));
  }
  ASSERT_GE(library.size(), 5u);
  for (int count = 1; count <= static_cast<int>(library.size()) + 1; ++count) {
    expect_partition(library, std::nullopt, count);
  }
}

TEST(RunShard, SyntheticListsAndFiltersShardAlike) {
  // Lists of 0 to 23 scenarios, with and without a filter, into 1 to 7 shards.
  for (int size = 0; size < 24; ++size) {
    const auto all = named(size);
    for (int count = 1; count <= 7; ++count) {
      expect_partition(all, std::nullopt, count);
      expect_partition(all, std::string("scenario-1*"), count);
    }
  }
}

TEST(RunShard, ShardTextIsIndexSlashCount) {
  // "I/N" with 1 ≤ I ≤ N; anything else is bad input naming the flag.
  const auto shard = parse_shard("2/4");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2);
  EXPECT_EQ(shard->count, 4);
  for (const char* bad : {"0/2", "3/2", "1/0", "2", "a/b", "1/2/3", "-1/2", " 1/2", ""}) {
    const auto parsed = parse_shard(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_NE(parsed.error().message.find("--shard"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace mepsim::run_cli
