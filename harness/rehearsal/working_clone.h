#pragma once
// The engineer's working copy for a rehearsal by hand: a clone of the local git origin
// whose `origin` remote is the origin's plain URL (no credentials in it), authenticated by
// an `http.extraHeader` in the clone's own config, so that `git pull origin main` and
// `git push origin main` run as the procedure writes them.

#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/result.h"

namespace mepsim {

struct WorkingCloneRequest {
  std::string origin_url;                   // GIT_ORIGIN_URL
  std::string token;                        // GITHUB_TOKEN: a secret, never printed
  std::filesystem::path dir;                // made by the clone: must not exist yet
  std::vector<std::string> local_branches;  // made to track origin's, as a clone in use has
};

// Errors quote git's output (the token scrubbed); `invalid_input` when `dir` exists.
Result<void> make_working_clone(const WorkingCloneRequest& request);

}  // namespace mepsim
