#pragma once
// Internal to fakes/github: a RepositorySeed as a `git fast-import` stream. One process
// writes the whole history, and the stream fixes everything a sha depends on (author,
// committer, dates from the seed's epoch, one minute apart), so the same seed always
// gives the same shas.

#include <cstdint>
#include <string>

#include "fakes/github/git_origin.h"
#include "sim/core/result.h"

namespace mepsim::fakes::github {

// Commit author and committer of the seed and of merge(): the fake's own identity.
inline constexpr const char* kSeedAuthorName = "mepsim";
inline constexpr const char* kSeedAuthorEmail = "mep@signal-logement.fr";
// Bounds a hand-made seed: more commits than this is invalid_input.
inline constexpr std::size_t kSeedCommitsMax = 10'000;

struct SeedStream {
  std::string text;                 // for `git fast-import --done --date-format=raw`
  std::int64_t next_commit_time_s;  // one minute after the last commit written
};

// invalid_input when a branch or tag names what does not exist yet, "~N" goes past the
// first commit, the root commit has no manifest, or a merge conflicts on a file.
Result<SeedStream> seed_stream(const RepositorySeed& seed);

}  // namespace mepsim::fakes::github
