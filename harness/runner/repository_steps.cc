#include "harness/runner/repository_steps.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>

#include "fakes/common/hmac.h"
#include "fakes/github/github_fake.h"
#include "harness/runner/git_workspace.h"
#include "harness/runner/github_rest.h"
#include "harness/topology/github_wiring.h"
#include "sim/net/http_client.h"

namespace mepsim::runner {
namespace {

std::string auth_header(const RunContext& ctx) {
  const std::string basic = fakes::base64_encode("x-access-token:" + ctx.env_value("GITHUB_TOKEN"));
  return "http.extraHeader=Authorization: Basic " + basic;
}

GithubRest rest(RunContext& ctx) {
  const auto& repository = ctx.topology.github()->repository();
  return GithubRest(ctx.env_value("GITHUB_API_URL"), ctx.env_value("GITHUB_TOKEN"),
                    repository.owner, repository.name);
}

// The output's last lines, enough to say why a command failed.
std::string tail(const std::string& output) {
  constexpr std::size_t kBytesMax = 600;
  if (output.size() <= kBytesMax) return output;
  return "…" + output.substr(output.size() - kBytesMax);
}

}  // namespace

Result<void> make_working_clone(RunContext& ctx) {
  if (!ctx.topology.github()) {
    return make_error(ErrorCode::invalid_input, "the profile has no repository to clone");
  }
  const auto parent = ctx.clone_dir.parent_path();
  auto cloned = run_git(ctx,
                        {"-c", auth_header(ctx), "clone", "-q", ctx.env_value("GIT_ORIGIN_URL"),
                         ctx.clone_dir.filename().string()},
                        parent);
  if (!cloned) return cloned.error();
  if (cloned->exit_code != 0) {
    return make_error(ErrorCode::unavailable, "git clone: " + tail(cloned->output));
  }
  const std::string header = auth_header(ctx).substr(std::string("http.extraHeader=").size());
  auto configured = run_git(ctx, {"config", "http.extraHeader", header});
  if (!configured) return configured.error();
  return {};
}

StepOutcome run_git_step(const scenario::GitStep& step, RunContext& ctx) {
  auto run = run_git(ctx, step.args);
  ctx.settle();
  const std::string command = fmt::format("git {}", fmt::join(step.args, " "));
  if (!run) return StepOutcome::fail(run.error().message);
  if (run->exit_code != step.expect_exit) {
    return StepOutcome::fail(fmt::format("{} exited {}, expected {}:\n{}", command, run->exit_code,
                                         step.expect_exit, tail(run->output)));
  }
  if (step.output_contains && run->output.find(*step.output_contains) == std::string::npos) {
    return StepOutcome::fail(fmt::format("{}: output lacks \"{}\":\n{}", command,
                                         *step.output_contains, tail(run->output)));
  }
  return StepOutcome::pass();
}

StepOutcome run_write_file_step(const scenario::WriteFileStep& step, RunContext& ctx) {
  const auto path = ctx.clone_dir / step.path;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << step.content;
  out.close();
  if (!out) return StepOutcome::fail("cannot write " + step.path + " in the working clone");
  return StepOutcome::pass(fmt::format("{} bytes", step.content.size()));
}

StepOutcome run_ci_step(const scenario::CiStep& step, RunContext& ctx) {
  auto& github = ctx.topology.github()->github();
  if (step.branch) {
    std::optional<fakes::github::CiResult> result;
    if (step.result != "default") {
      auto parsed = fakes::github::ci_result_from_string(step.result);
      if (!parsed) return StepOutcome::fail(parsed.error().message);
      result = parsed.value();
    }
    github.set_ci_override(*step.branch, result);
    ctx.settle();
    return StepOutcome::pass();
  }
  // One commit, at once: CI reports its status on it, as a finished run would.
  auto sha = run_git(ctx, {"rev-parse", "--verify", *step.commit + "^{commit}"});
  if (!sha || sha->exit_code != 0) {
    return StepOutcome::fail("ci: no commit " + *step.commit + " in the working clone");
  }
  std::string commit = sha->output.substr(0, sha->output.find('\n'));
  auto reply = rest(ctx).call(
      "POST", "/statuses/" + commit,
      {{"state", step.result}, {"context", "ci"}, {"description", "set by the scenario"}});
  ctx.settle();
  if (!reply) return StepOutcome::fail(reply.error().message);
  if (reply->status != 201) {
    return StepOutcome::fail(fmt::format("ci: GitHub answered {}", reply->status));
  }
  return StepOutcome::pass(commit.substr(0, 7) + " " + step.result);
}

StepOutcome run_mattermost_step(const scenario::MattermostStep& step, RunContext& ctx) {
  std::string text;
  if (step.text) text = *step.text;
  if (step.release_note) {
    auto release = rest(ctx).call("GET", "/releases/tags/" + *step.release_note);
    if (!release) return StepOutcome::fail(release.error().message);
    if (release->status != 200 || !release->body.is_object()) {
      return StepOutcome::fail("mattermost: no GitHub release " + *step.release_note);
    }
    text = release->body.value("body", "");
  }
  auto url = parse_http_url(ctx.env_value("MATTERMOST_WEBHOOK_URL"));
  if (!url) return StepOutcome::fail(url.error().message);
  HttpExchange post;
  post.method = "POST";
  post.url = url.value();
  post.headers = {{"Content-Type", "application/json"}};
  post.body = nlohmann::json{{"text", text}}.dump();
  post.timeout = std::chrono::seconds(10);
  auto reply = http_exchange(post);
  ctx.settle();
  if (!reply) return StepOutcome::fail("mattermost: " + reply.error().message);
  if (reply->status != 200) {
    return StepOutcome::fail(
        fmt::format("mattermost answered {}: {}", reply->status, tail(reply->body)));
  }
  return StepOutcome::pass(fmt::format("{} bytes posted", text.size()));
}

}  // namespace mepsim::runner
