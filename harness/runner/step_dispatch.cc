#include "harness/runner/step_dispatch.h"

#include <fmt/format.h>

#include "harness/runner/expectations.h"
#include "harness/runner/fault_steps.h"
#include "harness/runner/http_steps.h"
#include "harness/runner/load_steps.h"
#include "harness/runner/overloaded.h"
#include "harness/runner/repository_steps.h"
#include "harness/runner/scalingo_step.h"
#include "harness/runner/virtual_time.h"

namespace mepsim::runner {
namespace {

// Every expectation of an `expect:` is asked, so that one run shows all that is wrong.
StepOutcome run_expect(const scenario::ExpectStep& step, RunContext& ctx) {
  StepOutcome all;
  for (const auto& expectation : step.expectations) {
    StepOutcome one = check_expectation(expectation, ctx);
    if (!all.message.empty() && !one.message.empty()) all.message += "; ";
    all.message += one.message;
    all.passed = all.passed && one.passed;
  }
  return all;
}

}  // namespace

StepOutcome run_step(const scenario::Step& step, StepEnvironment& env) {
  RunContext& ctx = env.ctx;
  return std::visit(
      Overloaded{
          [&](const scenario::GitStep& s) { return run_git_step(s, ctx); },
          [&](const scenario::WriteFileStep& s) { return run_write_file_step(s, ctx); },
          [&](const scenario::ScalingoStep& s) {
            if (auto app = synchronous_restart_of(s.args); app && env.loads.runs_on(*app)) {
              return env.loads.around_restart(*app, [&] { return run_scalingo_step(s, ctx); });
            }
            return run_scalingo_step(s, ctx);
          },
          [&](const scenario::GithubStep& s) { return run_github_step(s, ctx); },
          [&](const scenario::CiStep& s) { return run_ci_step(s, ctx); },
          [&](const scenario::MattermostStep& s) { return run_mattermost_step(s, ctx); },
          [&](const scenario::HttpStep& s) { return run_http_step(s, ctx); },
          [&](const scenario::SessionsStep& s) { return run_sessions_step(s, ctx); },
          [&](const scenario::WaitStep& s) {
            advance(ctx.topology, s.duration, env.time_scale, ctx.real_clock);
            return StepOutcome::pass();
          },
          [&](const scenario::WaitUntilStep& s) {
            if (std::holds_alternative<scenario::ConvergedExpect>(s.condition.value)) {
              StepOutcome outcome = wait_until_paced(
                  ctx.topology, [&] { return check_expectation(s.condition, ctx); }, s.timeout,
                  env.time_scale, ctx.real_clock);
              if (outcome.passed) env.loads.mark_converged();
              return outcome;
            }
            if (std::holds_alternative<scenario::LoadExpect>(s.condition.value)) {
              return wait_until_real([&] { return check_expectation(s.condition, ctx); }, s.timeout,
                                     ctx.real_clock);
            }
            const auto start = ctx.clock().now();
            StepOutcome outcome = wait_until(
                ctx.topology, [&] { return check_expectation(s.condition, ctx); }, s.timeout,
                env.time_scale, ctx.real_clock);
            if (outcome.passed) {
              const auto waited =
                  std::chrono::duration_cast<std::chrono::seconds>(ctx.clock().now() - start);
              outcome.message = fmt::format("after {} s", waited.count());
            }
            return outcome;
          },
          [&](const scenario::LoadStep& s) { return run_load_step(s, ctx, env.loads); },
          [&](const scenario::FaultStep& s) {
            return env.loads.around_fault([&] { return run_fault_step(s, ctx); });
          },
          [&](const scenario::ExpectStep& s) { return run_expect(s, ctx); },
      },
      step.body);
}

}  // namespace mepsim::runner
