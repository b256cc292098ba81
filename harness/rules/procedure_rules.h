#pragma once
// The release procedure's rules (PROCEDURE.md, R1…R11) evaluated on a run's event timeline:
// the same code judges a scenario run, a `mepsim shell` rehearsal (live, on the timeline so
// far) and a finished run's report. A rule never looks at anything but events.
//
// What each rule means exactly (the procedure's sentences leave room):
// - R1-ci-gate: a deployment of any app but a review app (Scalingo deploys those before CI,
//   by design) whose commit's combined CI state, when the deployment was queued, was not
//   success: failure, pending, or no status at all (CI never ran).
// - R2-prod-from-main: a deployment of production_app whose commit was not reachable from
//   production_branch when it was queued; of staging_app, from staging_branch.
// - R3-review-apps-closed: a pull request into production_branch merged implicitly by a
//   push of production_branch.
// - R4-semver-tag: a tag created during the run that is not MAJOR.MINOR.PATCH (digits, no
//   'v', no leading zeros), or not greater than every semver tag then existing, or (final)
//   on a commit never deployed successfully to production_app (its boot counts).
// - R5-release-note: a published (not draft) GitHub release whose body, as last edited,
//   does not follow the template: first line `# :rocket:  X.Y.Z (YYYY-MM-DD)` with the
//   tag, `## Features` then `## Bug fixes` lines, a `**Full Changelog**:` line ending with
//   `/compare/PREV...X.Y.Z` (PREV: the highest semver tag below, `/commits/X.Y.Z` when
//   none). Final: a version production_app went live with (a success whose version differs
//   from the one serving before) that no release names, by tag or by commit.
// - R6-announce (final): per published release, no Mattermost message mentioning its
//   version, no milestone `vX.Y.Z`, or that milestone still holding open issues.
// - R7-demo-parity (final): a variable set or deleted on production_app (by name) or a
//   one-off command run there (same command text) that demo_app never had during the run.
//   Once per change. MAINTENANCE_* toggles are per environment and never count.
// - R8-banner-first: a maintenance window on production_app (MAINTENANCE_ENABLE=1 in
//   effect, until no longer; a deployment bringing it in or out belongs to it) in which a
//   release went live with a greater MAJOR than the version serving when the window
//   opened, while MAINTENANCE_BANNER_ENABLE=1 had never been in effect before it opened.
// - R9-restart-applies (final): a variable created, updated or deleted on an app (not
//   destroyed since) that no later restart with web in its scope nor deployment success
//   brought into effect. Once per app and variable.
// - R10-maintenance-scope: users' exchanges with maintenance=1, role other than
//   ROLE_ADMIN and outcome login_ok or submission_accepted; one violation per app, class,
//   role and outcome until the app is seen out of maintenance again.
// - R11-sentry-watch: a new Sentry issue of production_app first seen within sentry_watch
//   after production_app's latest successful deployment, one per issue.
//
// "In effect": web containers carry the variables of the moment they started; a change is
// in effect once containers started after it serve (a restart of web, operation done; a
// deployment's success, whose web containers started during it; the app's boot).
//
// The events read (component, name: fields). Control plane unless said otherwise.
// platform app.created: app, parent ("" unless a review app)
// platform app.destroyed: app
// platform app.booted: app, version, git_ref, sha, branches
// platform deployment.status: app, deployment, status; when queued also git_ref, sha (""
//   when the ref is unknown) and branches (space-separated branches holding sha; absent
//   when the source knows no branches); once built, version
// platform container.started: app, container ("web-1"…), version
// platform event.restart: app, type_data ({"scope":[…]}, [] = every type)
// platform operation.finished: app, type ("restart"), status ("done"|"error")
// platform variable.changed: app, name, action (initial|created|updated|unchanged|
//   deleted), value (MAINTENANCE_* only)
// platform event.run: app, type_data ({"command":…})
// ci ci.started: sha; ci ci.finished: sha, result ("success"|"failure")
// github github.status: sha, state, context
// github github.push: ref, before, after
// github github.tag.seeded | github.tag.created: tag, sha; github.tag.deleted: tag;
//   github.tag.moved: tag, sha
// github github.pull_request.merged: number, head, head_sha, base, implicit ("true"),
//   pushed_ref (the ref whose push merged it)
// github github.release.created | github.release.edited: id, tag, sha, name, body (cut
//   to 16 KiB), draft
// github github.milestone.created | github.milestone.edited: title
// github github.issue.*: number, milestone (title), state
// mattermost mattermost.message: text (cut to 16 KiB)
// sentry sentry.issue.created (data plane, at firstSeen): project, issue, title, release
// users http.exchange (data plane): one request made as a user, published by the scenario
//   runner and the load generator — app; class (anonymous|usager|partner|admin|api); role
//   (ROLE_ADMIN, ROLE_USER_PARTNER…, "" when anonymous); method; path; status (HTTP code);
//   outcome (login_ok|login_refused|submission_accepted|submission_refused|other);
//   maintenance ("1"|"0": whether maintenance was in effect on the app as the runner knew
//   it).

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim::rules {

struct Violation {
  std::string rule;     // "R3-review-apps-closed"
  Instant at{};         // virtual time of the event that broke it
  std::string summary;  // one sentence: "PR #1141 (review_app → main) merged implicitly by the push
                        // of main"
  std::vector<Field> evidence;        // what the report shows: app, sha, version, pr…
  std::vector<std::uint64_t> events;  // seq numbers of the events that show it
};

struct RuleOptions {
  std::string production_app = "histologe";
  std::string staging_app = "histologe-staging";
  std::string demo_app = "histologe-demo";
  std::string production_branch = "main";
  std::string staging_branch = "develop";
  // R11: how long after a production deploy new Sentry issues count against it.
  Duration sentry_watch = std::chrono::hours(2);
  std::set<std::string> waived;  // rule ids the scenario waives (R7 on demo, typically)
  // false while a run goes on: obligations that may still be met later (R5 note, R6
  // announce, R7 parity, R9 restart) are not reported yet.
  bool final = true;
};

// Violations in timeline order. `timeline` is the EventLog's retained events.
std::vector<Violation> evaluate(const std::vector<Event>& timeline, const RuleOptions& options);

// "R3-review-apps-closed" → "no open PR into main is merged implicitly by the push of main"
std::string describe(const std::string& rule_id);

}  // namespace mepsim::rules
