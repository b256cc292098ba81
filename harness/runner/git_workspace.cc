#include "harness/runner/git_workspace.h"

#include <fmt/format.h>

#include "fakes/common/hmac.h"
#include "fakes/github/git_process.h"
#include "harness/rehearsal/rehearsal_report.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"
#include "sim/process/child_process.h"

namespace mepsim::runner {
namespace {

constexpr auto kGitTimeout = std::chrono::seconds(60);

std::vector<std::pair<std::string, std::string>> git_env(RunContext& ctx) {
  const std::string date = fmt::format("@{} +0000", unix_seconds(ctx.clock().now()));
  const auto home = ctx.clone_dir.parent_path() / "home";
  std::filesystem::create_directories(home);
  return {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
          {"HOME", home.string()},
          {"LANG", "C"},
          {"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_TERMINAL_PROMPT", "0"},
          {"GIT_AUTHOR_NAME", "mepsim"},
          {"GIT_AUTHOR_EMAIL", "mep@signal-logement.fr"},
          {"GIT_COMMITTER_NAME", "mepsim"},
          {"GIT_COMMITTER_EMAIL", "mep@signal-logement.fr"},
          {"GIT_AUTHOR_DATE", date},
          {"GIT_COMMITTER_DATE", date}};
}

}  // namespace

std::string scrub_secrets(const RunContext& ctx, std::string text) {
  // The env file's secrets, and the apps' own variables: `scalingo env` prints them all
  // (passwords in DATABASE_URL and REDIS_URL, DSN keys, APP_SECRET).
  EnvEntries sources = ctx.env;
  const auto& platform = ctx.topology.platform();
  for (const auto& app : platform.apps()) {
    auto variables = platform.variables(app.name);
    if (!variables) continue;
    for (const auto& v : *variables) sources.emplace_back(v.name, v.value);
  }
  auto secrets = secrets_of(sources);
  // git sends the token base64-encoded in its Basic header (http.extraHeader).
  const std::string token = ctx.env_value("GITHUB_TOKEN");
  if (!token.empty()) {
    secrets.insert(secrets.begin(), fakes::base64_encode("x-access-token:" + token));
  }
  return redact_secrets(std::move(text), secrets);
}

Result<GitRun> run_git(RunContext& ctx, const std::vector<std::string>& args,
                       const std::filesystem::path& working_dir) {
  auto git = find_program("git");
  if (!git) return git.error();
  fakes::github::ProgramRun run;
  run.program = git.value();
  run.args = {"-C", working_dir.string()};
  run.args.insert(run.args.end(), args.begin(), args.end());
  run.env = git_env(ctx);
  run.timeout = kGitTimeout;
  auto done = fakes::github::run_program(run);
  if (!done) return done.error().context("git");
  GitRun out;
  out.exit_code = done->exit_code;
  out.output = scrub_secrets(ctx, done->out + done->err);
  return out;
}

}  // namespace mepsim::runner
