// Expectations about third parties and the run itself: sentry, github, mattermost, mail,
// sessions, load, violations.

#include <fmt/format.h>

#include <climits>
#include <cstdint>

#include "harness/scenario/expectation_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::expectations {
namespace {

constexpr std::int64_t kMaxCount = INT64_MAX;

std::optional<PullRequestExpect> pull_request(yaml::Diagnostics& diag, const YAML::Node& node,
                                              std::string_view) {
  yaml::MapCursor map(diag, node, "github pull_request expectation");
  PullRequestExpect expect;
  map.get_required("number", expect.number, yaml::integer<int>(1, INT_MAX));
  map.get("state", expect.state, yaml::one_of({"open", "closed"}));
  map.get("merged", expect.merged, yaml::boolean);
  return expect;
}

std::optional<ReleaseExpect> release(yaml::Diagnostics& diag, const YAML::Node& node,
                                     std::string_view) {
  yaml::MapCursor map(diag, node, "github release expectation");
  ReleaseExpect expect;
  map.get_required("tag", expect.tag, yaml::name);
  map.get("body_contains", expect.body_contains, yaml::text_or_list);
  return expect;
}

std::optional<MilestoneExpect> milestone(yaml::Diagnostics& diag, const YAML::Node& node,
                                         std::string_view) {
  yaml::MapCursor map(diag, node, "github milestone expectation");
  MilestoneExpect expect;
  map.get_required("title", expect.title, yaml::name);
  map.get("open_issues", expect.open_issues, yaml::count_range);
  map.get("closed_issues", expect.closed_issues, yaml::count_range);
  return expect;
}

std::optional<std::pair<std::string, std::string>> ci_state(yaml::Diagnostics& diag,
                                                            const YAML::Node& node,
                                                            std::string_view) {
  yaml::MapCursor map(diag, node, "github ci expectation");
  std::pair<std::string, std::string> ref_state;
  map.get_required("ref", ref_state.first, yaml::name);
  map.get_required("state", ref_state.second, yaml::one_of({"success", "failure", "pending"}));
  return ref_state;
}

// Mattermost messages or mail: `to` is mail's only.
MessagesExpect messages(yaml::Diagnostics& diag, const YAML::Node& value, bool mail) {
  yaml::MapCursor map(diag, value, mail ? "mail expectation" : "mattermost expectation");
  MessagesExpect expect;
  map.get_required("count", expect.count, yaml::count_range);
  map.get("contains", expect.contains, yaml::text);
  if (mail) map.get("to", expect.to, yaml::name);
  return expect;
}

}  // namespace

Expectation parse_sentry(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "sentry expectation");
  SentryExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.get("release", expect.release, yaml::name);
  map.get("window", expect.window, yaml::duration);
  map.get_required("new_issues", expect.new_issues, yaml::count_range);
  map.get("title_contains", expect.title_contains, yaml::text);
  return expect;
}

Expectation parse_github(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github expectation");
  GithubExpect expect;
  map.require_any({"pull_request", "tag", "release", "milestone", "ci"});
  map.get("pull_request", expect.pull_request, pull_request);
  map.get("tag", expect.tag, yaml::name);
  map.get("release", expect.release, release);
  map.get("milestone", expect.milestone, milestone);
  map.get("ci", expect.ci, ci_state);
  return expect;
}

Expectation parse_mattermost(yaml::Diagnostics& diag, const YAML::Node& value) {
  return messages(diag, value, false);
}

Expectation parse_mail(yaml::Diagnostics& diag, const YAML::Node& value) {
  return messages(diag, value, true);
}

Expectation parse_sessions(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "sessions expectation");
  SessionsExpect expect;
  map.get_required("cohort", expect.cohort, yaml::name);
  map.get_required("logged_in", expect.logged_in, yaml::count_range);
  return expect;
}

Expectation parse_load(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "load expectation");
  LoadExpect expect;
  map.get_required("name", expect.name, yaml::name);
  map.require_any({"p99_ms_max", "error_rate_max", "lost_writes_max", "requests_min",
                   "writes_accepted_min", "phase_requests_min", "session_losses_max",
                   "toggles_effective_min", "admin_session_retention_min", "non_admin_logouts_min",
                   "non_admin_relogins_min"});
  map.get("p99_ms_max", expect.p99_ms_max, yaml::number(0, 1e9));
  map.get("error_rate_max", expect.error_rate_max, yaml::number(0, 1));
  map.get("lost_writes_max", expect.lost_writes_max, yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("requests_min", expect.requests_min, yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("writes_accepted_min", expect.writes_accepted_min,
          yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("phase_requests_min", expect.phase_requests_min,
          yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("session_losses_max", expect.session_losses_max, yaml::number(0, 1e12));
  map.get("toggles_effective_min", expect.toggles_effective_min,
          yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("admin_session_retention_min", expect.admin_session_retention_min, yaml::number(0, 1));
  map.get("non_admin_logouts_min", expect.non_admin_logouts_min,
          yaml::integer<std::int64_t>(0, kMaxCount));
  map.get("non_admin_relogins_min", expect.non_admin_relogins_min,
          yaml::integer<std::int64_t>(0, kMaxCount));
  return expect;
}

Expectation parse_converged(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "converged expectation");
  ConvergedExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.get("load", expect.load, yaml::name);
  // A minute bounds it: a load's series keeps its last seconds in a ring.
  map.get("error_free_s", expect.error_free_s, yaml::integer<std::int64_t>(1, 60));
  return expect;
}

Expectation parse_violations(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "violations expectation");
  ViolationsExpect expect;
  map.require_any({"present", "absent"});
  map.get("present", expect.present, yaml::rule_id_list);
  map.get("absent", expect.absent, yaml::rule_id_list);
  return expect;
}

}  // namespace mepsim::scenario::expectations
