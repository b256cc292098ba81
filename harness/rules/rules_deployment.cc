// R1 (CI gate), R2 (production from main), R3 (review apps closed), R11 (Sentry watch):
// the rules about what was deployed, from what, and what came after.

#include <fmt/format.h>

#include <chrono>

#include "harness/rules/rule_timeline.h"

namespace mepsim::rules {
namespace {

std::vector<std::uint64_t> seqs(std::initializer_list<std::uint64_t> all) {
  std::vector<std::uint64_t> out;
  for (const auto seq : all) {
    if (seq != 0) out.push_back(seq);
  }
  return out;
}

// R1: judged when the deployment is queued, on the commit its ref named then. Review apps
// are left out: Scalingo deploys a pull request's head at once, before CI, by design.
void check_ci_gate(const RuleTimeline& t, std::vector<Violation>& out) {
  for (const auto& d : t.deployments) {
    if (d.sha.empty() || t.review_apps.contains(d.app)) continue;
    const std::string state = t.combined_state(d.sha, d.queued_seq);
    if (state == "success") continue;
    const std::uint64_t status_seq = t.last_status_seq(d.sha, d.queued_seq);
    const std::string ci = status_seq == 0      ? "never ran"
                           : state == "pending" ? "was still running"
                                                : "had failed";
    out.push_back(
        {"R1-ci-gate",
         d.queued_at,
         fmt::format("{} deployed {} ({}) while its CI {}", d.app, d.git_ref, short_sha(d.sha), ci),
         {{"app", d.app},
          {"deployment", d.id},
          {"git_ref", d.git_ref},
          {"sha", d.sha},
          {"ci_state", status_seq == 0 ? "none" : state}},
         seqs({status_seq, d.queued_seq})});
  }
}

void check_branch(const DeploymentRecord& d, const std::string& branch,
                  std::vector<Violation>& out) {
  if (d.sha.empty() || !d.branches || d.branches->contains(branch)) return;
  std::string on;
  for (const auto& b : *d.branches) on += (on.empty() ? "" : " ") + b;
  out.push_back({"R2-prod-from-main",
                 d.queued_at,
                 fmt::format("{} deployed {} ({}), which is not on {}", d.app, d.git_ref,
                             short_sha(d.sha), branch),
                 {{"app", d.app},
                  {"deployment", d.id},
                  {"git_ref", d.git_ref},
                  {"sha", d.sha},
                  {"expected_branch", branch},
                  {"branches", on}},
                 {d.queued_seq}});
}

void check_prod_from_main(const RuleTimeline& t, const RuleOptions& o,
                          std::vector<Violation>& out) {
  for (const auto& d : t.deployments) {
    if (d.app == o.production_app) check_branch(d, o.production_branch, out);
    if (d.app == o.staging_app) check_branch(d, o.staging_branch, out);
  }
}

void check_review_apps_closed(const RuleTimeline& t, const RuleOptions& o,
                              std::vector<Violation>& out) {
  const std::string pushed = "refs/heads/" + o.production_branch;
  for (const auto& m : t.implicit_merges) {
    if (m.base != o.production_branch) continue;
    // Older timelines do not say which push merged it: the base's is the likely one.
    if (!m.pushed_ref.empty() && m.pushed_ref != pushed) continue;
    out.push_back({"R3-review-apps-closed",
                   m.at,
                   fmt::format("PR #{} ({} → {}) merged implicitly by the push of {}", m.number,
                               m.head, m.base, o.production_branch),
                   {{"pr", m.number},
                    {"head", m.head},
                    {"base", m.base},
                    {"head_sha", m.head_sha},
                    {"pushed_ref", m.pushed_ref}},
                   seqs({m.push_seq, m.seq})});
  }
}

void check_sentry_watch(const RuleTimeline& t, const RuleOptions& o, std::vector<Violation>& out) {
  for (const auto& issue : t.sentry_issues) {
    if (issue.project != o.production_app) continue;
    const DeploymentRecord* last = nullptr;
    for (const auto& d : t.deployments) {
      if (d.app != o.production_app || !d.success() || *d.finished_at > issue.at) continue;
      if (last == nullptr || *d.finished_at >= *last->finished_at) last = &d;
    }
    if (last == nullptr || issue.at - *last->finished_at > o.sentry_watch) continue;
    const auto after_min =
        std::chrono::duration_cast<std::chrono::minutes>(issue.at - *last->finished_at).count();
    out.push_back({"R11-sentry-watch",
                   issue.at,
                   fmt::format("new Sentry issue #{} \"{}\" on {} {} min after release {} went "
                               "live",
                               issue.issue, issue.title, issue.project, after_min, last->version),
                   {{"app", issue.project},
                    {"issue", issue.issue},
                    {"title", issue.title},
                    {"release", last->version},
                    {"sentry_release", issue.release},
                    {"deployment", last->id},
                    {"minutes_after_deploy", std::to_string(after_min)}},
                   {last->finished_seq, issue.seq}});
  }
}

}  // namespace

void check_deployment_rules(const RuleTimeline& t, const RuleOptions& o,
                            std::vector<Violation>& out) {
  check_ci_gate(t, out);
  check_prod_from_main(t, o, out);
  check_review_apps_closed(t, o, out);
  check_sentry_watch(t, o, out);
}

}  // namespace mepsim::rules
