#include "harness/rules/procedure_rules.h"

#include <algorithm>
#include <array>
#include <utility>

#include "harness/rules/rule_timeline.h"

namespace mepsim::rules {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 11> kRules = {{
    {"R1-ci-gate", "no deployment of a commit whose CI is not green"},
    {"R2-prod-from-main",
     "production deploys only commits on main; staging only commits on develop"},
    {"R3-review-apps-closed", "no open PR into main is merged implicitly by the push of main"},
    {"R4-semver-tag",
     "the release tag is MAJOR.MINOR.PATCH, greater than the previous tag, on a commit "
     "deployed to production"},
    {"R5-release-note",
     "the release note follows the template (title with version and date, Features, Bug "
     "fixes, Full Changelog link from the previous tag), and every version production went "
     "live with has one"},
    {"R6-announce",
     "the release note is posted to Mattermost and milestone vX.Y.Z exists with its tickets "
     "closed"},
    {"R7-demo-parity",
     "every variable change and one-off command run on production is also done on demo"},
    {"R8-banner-first", "for a major release, the banner was enabled before maintenance mode"},
    {"R9-restart-applies", "a changed variable is not assumed in effect until a restart or deploy"},
    {"R10-maintenance-scope", "while maintenance is on, only super admins log in and submit forms"},
    {"R11-sentry-watch",
     "the hours after a production deploy are watched; new Sentry issues in that window are "
     "reported against the release"},
}};

}  // namespace

std::vector<Violation> evaluate(const std::vector<Event>& timeline, const RuleOptions& options) {
  const RuleTimeline derived(timeline);
  std::vector<Violation> found;
  check_deployment_rules(derived, options, found);
  check_release_rules(derived, options, found);
  check_variable_rules(derived, options, found);
  check_maintenance_scope(timeline, found);
  std::erase_if(found, [&](const Violation& v) { return options.waived.contains(v.rule); });
  // Timeline order; at one instant, the order of the last events that show them.
  const auto last = [](const Violation& v) {
    return v.events.empty() ? std::uint64_t{0}
                            : *std::max_element(v.events.begin(), v.events.end());
  };
  std::stable_sort(found.begin(), found.end(), [&](const Violation& a, const Violation& b) {
    return std::pair(a.at, last(a)) < std::pair(b.at, last(b));
  });
  return found;
}

std::string describe(const std::string& rule_id) {
  for (const auto& [id, text] : kRules) {
    if (rule_id == id) return text;
  }
  return "";
}

}  // namespace mepsim::rules
