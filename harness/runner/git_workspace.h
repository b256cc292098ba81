#pragma once
// `git` as a scenario runs it: in the working clone, with an environment of its own (no
// user's ~/.gitconfig), a fixed identity, and commit dates taken from the virtual clock so
// that the same scenario makes the same shas.

#include <string>
#include <vector>

#include "harness/runner/run_context.h"
#include "sim/core/result.h"

namespace mepsim::runner {

struct GitRun {
  int exit_code = 0;
  std::string output;  // stdout then stderr, the token scrubbed
};

Result<GitRun> run_git(RunContext& ctx, const std::vector<std::string>& args,
                       const std::filesystem::path& working_dir);
inline Result<GitRun> run_git(RunContext& ctx, const std::vector<std::string>& args) {
  return run_git(ctx, args, ctx.clone_dir);
}

// `text` with every occurrence of the run's secrets replaced by "[redacted]": the env
// file's (tokens, passwords, DSN keys, the hook id), the apps' secret variables, and the
// token as git's Basic header carries it.
std::string scrub_secrets(const RunContext& ctx, std::string text);

}  // namespace mepsim::runner
