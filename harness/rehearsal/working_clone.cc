#include "harness/rehearsal/working_clone.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

#include "fakes/common/hmac.h"
#include "fakes/github/git_process.h"
#include "sim/process/child_process.h"

namespace mepsim {
namespace {

constexpr auto kGitTimeout = std::chrono::seconds(60);

std::vector<std::pair<std::string, std::string>> git_env() {
  std::vector<std::pair<std::string, std::string>> env = {{"LANG", "C"},
                                                          {"GIT_TERMINAL_PROMPT", "0"}};
  for (const char* key : {"PATH", "HOME"}) {
    if (const char* value = std::getenv(key)) env.emplace_back(key, value);
  }
  return env;
}

struct Git {
  std::filesystem::path program;
  std::string token;

  Result<fakes::github::ProgramOutput> run(const std::vector<std::string>& args) const {
    fakes::github::ProgramRun run;
    run.program = program;
    run.args = args;
    run.env = git_env();
    run.timeout = kGitTimeout;
    auto done = fakes::github::run_program(run);
    if (!done) return done.error().context("git");
    return done;
  }
  // Runs git and fails on a non-zero exit, quoting what git said.
  Result<void> must(const std::vector<std::string>& args) const {
    auto done = run(args);
    if (!done) return done.error();
    if (done->exit_code == 0) return {};
    std::string said = done->err.empty() ? done->out : done->err;
    for (auto at = said.find(token); !token.empty() && at != std::string::npos;
         at = said.find(token, at)) {
      said.replace(at, token.size(), "[redacted]");
    }
    return make_error(ErrorCode::unavailable,
                      fmt::format("git {} exited {}: {}", args.size() > 2 ? args[2] : args[0],
                                  done->exit_code, said));
  }
};

}  // namespace

Result<void> make_working_clone(const WorkingCloneRequest& request) {
  namespace fs = std::filesystem;
  if (fs::exists(request.dir)) {
    return make_error(ErrorCode::invalid_input,
                      request.dir.string() + " exists already: give another --workdir");
  }
  auto program = find_program("git");
  if (!program) return program.error();
  const Git git{program.value(), request.token};
  const std::string header =
      "Authorization: Basic " + fakes::base64_encode("x-access-token:" + request.token);
  const std::string dir = request.dir.string();
  if (auto cloned =
          git.must({"-c", "http.extraHeader=" + header, "clone", "-q", request.origin_url, dir});
      !cloned) {
    return cloned.error();
  }
  // The team's pulls merge (git's historical default): a diverged `git pull` must not stop
  // on git's question of how to reconcile.
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"http.extraHeader", header}, {"pull.rebase", "false"}}) {
    if (auto set = git.must({"-C", dir, "config", key, value}); !set) return set.error();
  }
  for (const auto& branch : request.local_branches) {
    auto local = git.run({"-C", dir, "show-ref", "--verify", "-q", "refs/heads/" + branch});
    auto remote =
        git.run({"-C", dir, "show-ref", "--verify", "-q", "refs/remotes/origin/" + branch});
    if (!local || !remote || local->exit_code == 0 || remote->exit_code != 0) continue;
    if (auto made = git.must({"-C", dir, "branch", "-q", "--track", branch, "origin/" + branch});
        !made) {
      return made.error();
    }
  }
  // Reports written from inside the clone (`mepsim rehearsal report`) stay out of commits.
  std::ofstream exclude(request.dir / ".git" / "info" / "exclude", std::ios::app);
  exclude << ".mepsim/\n";
  return {};
}

}  // namespace mepsim
