#include "harness/runner/scalingo_step.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "fakes/github/git_process.h"
#include "harness/runner/git_workspace.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

constexpr auto kCommandTimeout = std::chrono::seconds(60);
constexpr auto kPoll = std::chrono::milliseconds(5);

std::vector<std::pair<std::string, std::string>> scalingo_env(const RunContext& ctx) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"LANG", "C.UTF-8"},
      {"HOME", ctx.clone_dir.parent_path().string()}};
  for (const char* key :
       {"SCALINGO_API_URL", "SCALINGO_AUTH_URL", "SCALINGO_API_TOKEN", "SCALINGO_REGION"}) {
    env.emplace_back(key, ctx.env_value(key));
  }
  return env;
}

// `restart -s` or `run` wait for the platform, whose clock only the runner moves: while the
// command runs and the platform has an operation or a one-off under way, the runner steps
// through the platform's tasks one at a time. It never moves the clock for a command that
// is not waiting on the platform, so where the next step starts in virtual time does not
// depend on how fast the command ran.
Result<fakes::github::ProgramOutput> run_while_stepping(const fakes::github::ProgramRun& run,
                                                        RunContext& ctx) {
  std::atomic<bool> done{false};
  Result<fakes::github::ProgramOutput> output = make_error(ErrorCode::internal, "not run");
  std::thread worker([&] {
    output = fakes::github::run_program(run);
    done = true;
  });
  auto& platform = ctx.topology.platform();
  while (!done) {
    const auto next = platform.next_due();
    if (platform.busy() && next) {
      platform.advance_to(std::max(*next, platform.now()));
      ctx.settle();
    } else {
      ctx.real_clock.sleep(kPoll);
    }
  }
  worker.join();
  return output;
}

// Whether the command waits on the platform: `restart`/`scale` with -s, an attached `run`.
bool waits_on_platform(const std::vector<std::string>& args) {
  auto has = [&](std::initializer_list<const char*> names) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
      return std::any_of(names.begin(), names.end(), [&](const char* n) { return a == n; });
    });
  };
  if (has({"restart", "scale"})) return has({"-s", "--synchronous"});
  if (has({"run"})) return !has({"-d", "--detached"});
  return false;
}

}  // namespace

StepOutcome run_scalingo_step(const scenario::ScalingoStep& step, RunContext& ctx) {
  fakes::github::ProgramRun run;
  run.program = ctx.mepsim_binary;
  run.args = {"scalingo"};
  run.args.insert(run.args.end(), step.args.begin(), step.args.end());
  run.env = scalingo_env(ctx);
  run.timeout = kCommandTimeout;
  auto done =
      waits_on_platform(step.args) ? run_while_stepping(run, ctx) : fakes::github::run_program(run);
  ctx.settle();
  const std::string command = fmt::format("scalingo {}", fmt::join(step.args, " "));
  if (!done) return StepOutcome::fail(command + ": " + done.error().message);
  const std::string output = scrub_secrets(ctx, done->out + done->err);
  if (done->exit_code != step.expect_exit) {
    return StepOutcome::fail(fmt::format("{} exited {}, expected {}:\n{}", command, done->exit_code,
                                         step.expect_exit, output));
  }
  if (step.output_contains && output.find(*step.output_contains) == std::string::npos) {
    return StepOutcome::fail(
        fmt::format("{}: output lacks \"{}\":\n{}", command, *step.output_contains, output));
  }
  return StepOutcome::pass();
}

}  // namespace mepsim::runner
