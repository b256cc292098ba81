#include "harness/runner/expectations.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <set>

#include "harness/rules/procedure_rules.h"
#include "harness/runner/overloaded.h"
#include "harness/runner/user_agents.h"

namespace mepsim::runner {
namespace {

// The number at a dotted path of the report ("latency_ms.p99"); nullopt when absent.
std::optional<double> number_at(const nlohmann::json& report, const std::string& dotted) {
  const nlohmann::json* node = &report;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot - start);
    if (!node->is_object() || !node->contains(key)) return std::nullopt;
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!node->is_number()) return std::nullopt;
  return node->get<double>();
}

// Whether the dotted path is there, but null (a figure not measured yet).
bool is_null_at(const nlohmann::json& report, const std::string& dotted) {
  const auto dot = dotted.rfind('.');
  const nlohmann::json* parent = &report;
  if (dot != std::string::npos) {
    const std::string head = dotted.substr(0, dot);
    if (!report.contains(head) || !report[head].is_object()) return false;
    parent = &report[head];
  }
  const std::string key = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  return parent->is_object() && parent->contains(key) && (*parent)[key].is_null();
}

// Transport failures: a number, or an object of numbers by kind.
std::optional<double> error_count(const nlohmann::json& report) {
  if (!report.is_object() || !report.contains("errors")) return std::nullopt;
  const auto& errors = report["errors"];
  if (errors.is_number()) return errors.get<double>();
  if (!errors.is_object()) return std::nullopt;
  double total = 0;
  for (const auto& [kind, n] : errors.items()) {
    if (n.is_number()) total += n.get<double>();
  }
  return total;
}

// The share of answers that are neither 2xx nor 3xx. Transport failures are counted once:
// as status 0 when the report has it (harness/load does), else from `errors`.
void check_error_rate(Verdict& v, const nlohmann::json& report, double max) {
  const auto requests = number_at(report, "requests");
  if (!requests) return v.fail("the report has no requests, needed for error_rate");
  if (*requests <= 0) return v.fail("no requests were made: error_rate is undefined");
  if (!report.contains("status") || !report["status"].is_object()) {
    return v.fail("the report has no status counts, needed for error_rate");
  }
  const auto& status = report["status"];
  double failed = status.contains("0") ? 0 : error_count(report).value_or(0);
  for (const auto& [code, n] : status.items()) {
    const int answered = std::atoi(code.c_str());
    if (n.is_number() && (answered < 200 || answered >= 400)) failed += n.get<double>();
  }
  const double rate = failed / *requests;
  if (rate > max) {
    v.fail(fmt::format("error rate is {:.4f} ({} of {}), expected ≤ {}", rate, failed, *requests,
                       max));
  } else {
    v.note(fmt::format("error rate {:.4f}", rate));
  }
}

// `field` of the report at most (or, with at_least, at least) `bound`.
void check_bound(Verdict& v, const nlohmann::json& report, const std::string& field, double bound,
                 bool at_least = false) {
  const auto got = number_at(report, field);
  if (!got && is_null_at(report, field)) {
    return v.fail(
        fmt::format("{} is not known (lost writes are counted once the load stops; the "
                    "maintenance figures need a `restart -s` while it runs)",
                    field));
  }
  if (!got) return v.fail(fmt::format("the report has no {}", field));
  const bool holds = at_least ? *got >= bound : *got <= bound;
  if (!holds) {
    v.fail(fmt::format("{} is {}, expected {} {}", field, *got, at_least ? "≥" : "≤", bound));
  } else {
    v.note(fmt::format("{} {}", field, *got));
  }
}

}  // namespace

void Verdict::expect_equal(const std::string& field, const std::string& got,
                           const std::string& expected) {
  if (got != expected) {
    failures_.push_back(fmt::format("{} is {}, expected {}", field, got.empty() ? "\"\"" : got,
                                    expected.empty() ? "\"\"" : expected));
  }
}

void Verdict::expect_count(const std::string& field, std::int64_t got,
                           const scenario::CountRange& range) {
  if (!range.contains(got)) {
    failures_.push_back(fmt::format("{} is {}, expected {}", field, got, range.str()));
  }
}

StepOutcome Verdict::outcome() const {
  if (!failures_.empty()) {
    return StepOutcome::fail(fmt::format("{}: {}", subject_, fmt::join(failures_, "; ")));
  }
  if (notes_.empty()) return StepOutcome::pass(subject_);
  return StepOutcome::pass(fmt::format("{}: {}", subject_, fmt::join(notes_, ", ")));
}

StepOutcome check_expectation(const scenario::ExpectationAt& expectation, RunContext& ctx) {
  return std::visit(
      Overloaded{
          [&](const scenario::DeploymentExpect& e) { return check_deployment(e, ctx); },
          [&](const scenario::AppExpect& e) { return check_app(e, ctx); },
          [&](const scenario::VariablesExpect& e) { return check_variables(e, ctx); },
          [&](const scenario::ContainersExpect& e) { return check_containers(e, ctx); },
          [&](const scenario::SentryExpect& e) { return check_sentry(e, ctx); },
          [&](const scenario::GithubExpect& e) { return check_github(e, ctx); },
          [&](const scenario::MessagesExpect& e) {
            return expectation.kind == "mail" ? check_mail(e, ctx) : check_mattermost(e, ctx);
          },
          [&](const scenario::MysqlExpect& e) { return check_mysql(e, ctx); },
          [&](const scenario::RedisExpect& e) { return check_redis(e, ctx); },
          [&](const scenario::SessionsExpect& e) { return check_sessions(e, ctx); },
          [&](const scenario::LoadExpect& e) { return check_load(e, ctx); },
          [&](const scenario::ConvergedExpect& e) { return check_converged(e, ctx); },
          [&](const scenario::ViolationsExpect& e) { return check_violations(e, ctx); },
      },
      expectation.value);
}

StepOutcome check_sessions(const scenario::SessionsExpect& expect, RunContext& ctx) {
  Verdict v("sessions " + expect.cohort);
  if (ctx.users == nullptr) return StepOutcome::fail("sessions: this run has no user agents");
  const auto counted = ctx.users->count_logged_in(expect.cohort);
  if (!counted) {
    v.fail(counted.error().message);
    return v.outcome();
  }
  const auto& c = counted.value();
  if (!expect.logged_in.contains(c.logged_in)) {
    v.fail(fmt::format("{} of {} still logged in, expected {}{}", c.logged_in, c.total,
                       expect.logged_in.str(),
                       c.first_loss.empty() ? "" : fmt::format(" (first lost: {})", c.first_loss)));
  } else {
    v.note(fmt::format("{} of {} still logged in", c.logged_in, c.total));
  }
  return v.outcome();
}

namespace {

// The requests of the load's latest phase, the one opened last.
void check_phase_requests(Verdict& v, const nlohmann::json& report, std::int64_t min) {
  const auto phases = report.find("per_phase");
  if (phases == report.end() || !phases->is_object() || phases->empty()) {
    v.fail("the report has no per_phase");
    return;
  }
  auto latest = phases->begin();
  for (auto it = phases->begin(); it != phases->end(); ++it) {
    if (it->value("start_s", 0.0) >= latest->value("start_s", 0.0)) latest = it;
  }
  const auto requests = latest->value("requests", std::int64_t{0});
  if (requests < min) {
    v.fail(fmt::format("phase {}: requests is {}, expected ≥ {}", latest.key(), requests, min));
  } else {
    v.note(fmt::format("phase {}: requests {}", latest.key(), requests));
  }
}

}  // namespace

StepOutcome check_load_report(const scenario::LoadExpect& expect, const nlohmann::json& report) {
  Verdict v("load " + expect.name);
  if (!report.is_object()) v.fail("the report is not a JSON object");
  if (v.failed()) return v.outcome();
  if (expect.p99_ms_max) check_bound(v, report, "latency_ms.p99", *expect.p99_ms_max);
  if (expect.error_rate_max) check_error_rate(v, report, *expect.error_rate_max);
  if (expect.lost_writes_max) {
    check_bound(v, report, "writes.lost", static_cast<double>(*expect.lost_writes_max));
  }
  if (expect.requests_min) {
    check_bound(v, report, "requests", static_cast<double>(*expect.requests_min), true);
  }
  if (expect.phase_requests_min) check_phase_requests(v, report, *expect.phase_requests_min);
  if (expect.writes_accepted_min) {
    check_bound(v, report, "writes.accepted", static_cast<double>(*expect.writes_accepted_min),
                true);
  }
  if (expect.session_losses_max) {
    check_bound(v, report, "sessions.unexpected_losses", *expect.session_losses_max);
  }
  if (expect.toggles_effective_min) {
    check_bound(v, report, "maintenance.toggles_effective",
                static_cast<double>(*expect.toggles_effective_min), true);
  }
  if (expect.admin_session_retention_min) {
    check_bound(v, report, "maintenance.admin_session_retention",
                *expect.admin_session_retention_min, true);
  }
  if (expect.non_admin_logouts_min) {
    check_bound(v, report, "maintenance.non_admin_logouts_in_maintenance",
                static_cast<double>(*expect.non_admin_logouts_min), true);
  }
  if (expect.non_admin_relogins_min) {
    check_bound(v, report, "maintenance.non_admin_relogins",
                static_cast<double>(*expect.non_admin_relogins_min), true);
  }
  return v.outcome();
}

StepOutcome check_load(const scenario::LoadExpect& expect, RunContext& ctx) {
  if (!ctx.load_report) return StepOutcome::fail("load " + expect.name + ": this run has no loads");
  const auto report = ctx.load_report(expect.name);
  if (!report) {
    return StepOutcome::fail(fmt::format(
        "load {}: no load of that name (a `load: {{start: {{name: {}}}}}` step starts it)",
        expect.name, expect.name));
  }
  return check_load_report(expect, *report);
}

StepOutcome check_violations(const scenario::ViolationsExpect& expect, RunContext& ctx) {
  Verdict v("violations");
  const auto found = rules::evaluate(ctx.log.retained(), ctx.rule_options);
  std::set<std::string> ids;
  for (const auto& violation : found) ids.insert(violation.rule);
  for (const auto& rule : expect.present) {
    if (!ids.contains(rule)) {
      v.fail(fmt::format("{} not found, expected present (found: {})", rule,
                         ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))));
    }
  }
  for (const auto& rule : expect.absent) {
    const auto it = std::find_if(found.begin(), found.end(),
                                 [&](const rules::Violation& x) { return x.rule == rule; });
    if (it != found.end()) {
      v.fail(fmt::format("{} found, expected absent ({})", rule, it->summary));
    }
  }
  v.note(ids.empty() ? "none found" : fmt::format("found {}", fmt::join(ids, ", ")));
  return v.outcome();
}

}  // namespace mepsim::runner
