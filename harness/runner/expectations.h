#pragma once
// `expect:` — what a scenario asserts about the run, each kind looked at once, now (a
// `wait_until` asks again until it holds). A failure names the expectation's kind, its
// app (or object) and the field, with what was found and what was expected:
//   "deployment histologe: status is hook-error, expected success"
//   "containers histologe web: 1 running, expected 2"
// A pass says briefly what was seen ("deployment histologe: 1.7.4 success (main)").
//
// Where each kind looks:
//   deployment, app, variables, containers  the platform model (expect_platform.cc); the
//       containers' health is the runtime's health check of each running container
//   sentry, mattermost, mail                the fakes' C++ side (expect_observers.cc)
//   github                                  the GitHub fake and the origin; releases and
//       milestones through its REST API with its token (expect_github.cc)
//   mysql, redis                            the app's own DATABASE_URL / REDIS_URL as the
//       platform holds them (expect_datastores.cc); MySQL runs SELECT and SHOW only, in a
//       read-only transaction
//   sessions, load, violations              the run: cohorts, load reports, the rules on
//       the retained timeline (expectations.cc)
//   converged                               the platform, the app's router and a load's
//       series and accepted writes (expect_convergence.cc)
//
// The load report (ctx.load_report) is JSON; the fields read are `requests`,
// `latency_ms.p99`, `status` ({"200": n, …}), `errors` (transport failures, a number or
// an object of numbers), `writes.lost`, `sessions.unexpected_losses`. A field an
// expectation needs and the report lacks fails it, saying which.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim::runner {

StepOutcome check_expectation(const scenario::ExpectationAt& expectation, RunContext& ctx);

// By kind.
StepOutcome check_deployment(const scenario::DeploymentExpect& expect, RunContext& ctx);
StepOutcome check_app(const scenario::AppExpect& expect, RunContext& ctx);
StepOutcome check_variables(const scenario::VariablesExpect& expect, RunContext& ctx);
StepOutcome check_containers(const scenario::ContainersExpect& expect, RunContext& ctx);
StepOutcome check_sentry(const scenario::SentryExpect& expect, RunContext& ctx);
StepOutcome check_github(const scenario::GithubExpect& expect, RunContext& ctx);
StepOutcome check_mattermost(const scenario::MessagesExpect& expect, RunContext& ctx);
StepOutcome check_mail(const scenario::MessagesExpect& expect, RunContext& ctx);
StepOutcome check_mysql(const scenario::MysqlExpect& expect, RunContext& ctx);
StepOutcome check_redis(const scenario::RedisExpect& expect, RunContext& ctx);
StepOutcome check_sessions(const scenario::SessionsExpect& expect, RunContext& ctx);
StepOutcome check_load(const scenario::LoadExpect& expect, RunContext& ctx);
StepOutcome check_converged(const scenario::ConvergedExpect& expect, RunContext& ctx);
StepOutcome check_violations(const scenario::ViolationsExpect& expect, RunContext& ctx);

// ---- apart for tests ---------------------------------------------------------------------

// Collects what one expectation found, field by field, into one outcome.
class Verdict {
 public:
  explicit Verdict(std::string subject) : subject_(std::move(subject)) {}  // "deployment histologe"

  // "<field> is <got>, expected <expected>" unless they are equal.
  void expect_equal(const std::string& field, const std::string& got, const std::string& expected);
  // "<field> is <got>, expected <range>" unless `range` contains it.
  void expect_count(const std::string& field, std::int64_t got, const scenario::CountRange& range);
  void fail(std::string line) { failures_.push_back(std::move(line)); }
  void note(std::string line) { notes_.push_back(std::move(line)); }  // said when it passes
  bool failed() const { return !failures_.empty(); }

  // "<subject>: <failures; …>" or "<subject>: <notes, …>".
  StepOutcome outcome() const;

 private:
  std::string subject_;
  std::vector<std::string> failures_;
  std::vector<std::string> notes_;
};

// The load expectation against a report (what check_load does once it has one).
StepOutcome check_load_report(const scenario::LoadExpect& expect, const nlohmann::json& report);

// Whether a load report's last `seconds` closed seconds each answered requests without a
// 5xx status or a transport error, all of them begun after its last `fault-N` or `heal-N`
// phase began; a failure line says which second broke it, else "".
std::string error_free_tail(const nlohmann::json& report, std::int64_t seconds);

// Whether `query` may run as a mysql expectation: one SELECT or SHOW statement, nothing
// that writes or locks. invalid_input says why not.
Result<void> check_read_only_sql(const std::string& query);

// The keys of a SCAN reply as RedisConnection gives it ("cursor\nkey1\nkey2"): the cursor
// first, then the keys.
struct ScanPage {
  std::string cursor;
  std::vector<std::string> keys;
};
ScanPage parse_scan_reply(const std::string& reply);

}  // namespace mepsim::runner
