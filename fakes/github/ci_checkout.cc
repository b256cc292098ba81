#include "fakes/github/ci_checkout.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "fakes/github/git_process.h"
#include "sim/process/child_process.h"

namespace mepsim::fakes::github {
namespace {

namespace fs = std::filesystem;

// The checkout's environment: nothing of mepsim's own, no user git configuration.
std::vector<std::pair<std::string, std::string>> command_env(const fs::path& checkout,
                                                             const std::string& sha,
                                                             const std::string& branch) {
  const char* path = std::getenv("PATH");
  return {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
          {"HOME", checkout.string()},
          {"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_CONFIG_GLOBAL", "/dev/null"},
          {"GIT_TERMINAL_PROMPT", "0"},
          {"LC_ALL", "C"},
          {"MEPSIM_CI_CHECKOUT", checkout.string()},
          {"MEPSIM_CI_SHA", sha},
          {"MEPSIM_CI_BRANCH", branch}};
}

Result<ProgramOutput> run_git(const fs::path& git, const GitOrigin& origin,
                              std::vector<std::string> args,
                              const std::vector<std::pair<std::string, std::string>>& env) {
  ProgramRun run;
  run.program = git;
  run.args = {"--git-dir=" + origin.bare_path().string()};
  run.args.insert(run.args.end(), args.begin(), args.end());
  run.env = env;
  run.timeout = std::chrono::seconds(60);
  return run_program(run);
}

}  // namespace

Result<CiCommandOutcome> run_ci_command(const GitOrigin& origin, const CiDefaults& ci,
                                        const std::string& sha, const std::string& branch,
                                        std::uint64_t run_id) {
  auto git = find_program("git");
  if (!git) return git.error();
  const fs::path checkout =
      origin.bare_path().parent_path() / ("ci-checkout-" + std::to_string(run_id));
  const auto env = command_env(checkout, sha, branch);
  auto added = run_git(*git, origin,
                       {"worktree", "add", "--detach", "--force", checkout.string(), sha}, env);
  if (!added) return added.error().context("checking out " + sha + " for CI");
  if (added->exit_code != 0) {
    return make_error(ErrorCode::internal, "git worktree add " + sha + ": " + added->err);
  }
  ProgramRun command;
  command.program = "/bin/sh";
  command.args = {"-c", "cd \"$MEPSIM_CI_CHECKOUT\" && " + ci.command};
  command.env = env;
  command.timeout = ci.command_timeout;
  command.output_bytes_max = 1 << 20;
  auto ran = run_program(command);
  CiCommandOutcome outcome;
  if (ran) {
    outcome.exit_code = ran->exit_code;
  } else if (ran.error().code == ErrorCode::timeout) {
    outcome.timed_out = true;
    outcome.exit_code = 124;  // as timeout(1) reports it
  } else {
    outcome.exit_code = 127;
  }
  // The checkout goes whatever happened; a leftover folder is only disk.
  (void)run_git(*git, origin, {"worktree", "remove", "--force", checkout.string()}, env);
  std::error_code ec;
  fs::remove_all(checkout, ec);
  (void)run_git(*git, origin, {"worktree", "prune"}, env);
  return outcome;
}

}  // namespace mepsim::fakes::github
