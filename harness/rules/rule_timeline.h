#pragma once
// Internal to the procedure rules: what the rules share, derived once from the event
// timeline in one pass — deployments with their commit, CI statuses per commit, tags,
// releases, milestones and issues, messages, variable changes and the moments they came
// into effect. Only harness/rules/*.cc include it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/rules/procedure_rules.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim::rules {

// The GitHub fake's CI posts its statuses under this context (fakes/github kCiContext);
// ci.started / ci.finished count as statuses of it, so that the seeded green runs (which
// publish no github.status) count too.
inline constexpr const char* kCiContext = "ci/github-actions";

// A violation cites at most this many events' seqs as evidence: enough to find them all in
// the timeline, short enough to read.
inline constexpr std::size_t kSeqsCitedMax = 20;

struct DeploymentRecord {
  std::string app, id, git_ref, sha;
  std::optional<std::set<std::string>> branches;  // nullopt: the source knew none
  Instant queued_at{};
  std::uint64_t queued_seq = 0;
  std::string status = "queued";  // the latest one
  std::string version;            // known once built
  std::optional<Instant> finished_at;
  std::uint64_t finished_seq = 0;
  bool success() const { return status == "success"; }
};

// A moment the app's web containers started serving a set of variables: a restart whose
// scope includes web, a deployment's success, the app's boot. `snapshot_seq`: the
// containers carry every variable change published before it.
struct Effect {
  std::string app;
  Instant at{};
  std::uint64_t seq = 0;  // the event that made it: operation.finished, deployment.status
  std::uint64_t snapshot_seq = 0;
  std::string kind;  // "restart", "deployment", "boot"
};

struct VariableChange {
  std::string app, name, action;     // initial, created, updated, unchanged, deleted
  std::optional<std::string> value;  // public (MAINTENANCE_*) names only
  Instant at{};
  std::uint64_t seq = 0;
};

struct StatusRecord {
  std::string context, state;
  std::uint64_t seq = 0;
};

struct TagRecord {
  std::string tag, sha;
  Instant at{};
  std::uint64_t seq = 0;
  bool seeded = false;
  std::optional<std::uint64_t> deleted_seq;
};

struct ReleaseRecord {  // a release's latest state
  std::string id, tag, sha, name, body;
  bool draft = false;
  Instant at{};  // of the latest event about it
  std::uint64_t seq = 0;
};

struct TimelineEntry {  // an event the rules cite with a few fields of its own
  Instant at{};
  std::uint64_t seq = 0;
};

struct MessageRecord : TimelineEntry {
  std::string text;
};
struct RunRecord : TimelineEntry {
  std::string app, command;
};
struct SentryIssueRecord : TimelineEntry {
  std::string project, issue, title, release;
};
struct ImplicitMergeRecord : TimelineEntry {
  std::string number, head, base, head_sha, pushed_ref;
  std::uint64_t push_seq = 0;  // the github.push of pushed_ref just before, 0 if none
};

class RuleTimeline {
 public:
  explicit RuleTimeline(const std::vector<Event>& events);

  std::vector<DeploymentRecord> deployments;      // in queue order
  std::map<std::string, DeploymentRecord> boots;  // app → its initial release
  std::set<std::string> review_apps;
  std::map<std::string, std::uint64_t> destroyed_apps;  // app → seq of its last destruction
  std::vector<Effect> effects;                          // in time order
  std::vector<VariableChange> variable_changes;
  std::vector<TagRecord> tags;          // seeded first, then in creation order
  std::vector<ReleaseRecord> releases;  // in creation order, each at its latest state
  std::set<std::string> milestones;     // titles
  std::map<std::string, std::pair<std::string, std::string>> issues;  // number → milestone, state
  std::vector<MessageRecord> messages;
  std::vector<RunRecord> runs;
  std::vector<SentryIssueRecord> sentry_issues;
  std::vector<ImplicitMergeRecord> implicit_merges;

  // GitHub's combined state of `sha` from the statuses published before `before_seq`:
  // "success", "failure" or "pending" (also when none: CI never ran).
  std::string combined_state(const std::string& sha, std::uint64_t before_seq) const;
  // The last status of `sha` published before `before_seq` (0 when none).
  std::uint64_t last_status_seq(const std::string& sha, std::uint64_t before_seq) const;
  // The value `name` had on `app` just before `seq`; nullopt when unset (or not public).
  std::optional<std::string> value_before(const std::string& app, const std::string& name,
                                          std::uint64_t seq) const;
  // The semver tags alive just before `seq`, except `tag` itself.
  std::vector<std::string> semver_tags_before(std::uint64_t seq, const std::string& tag) const;

 private:
  void add_platform(const Event& e);
  void add_deployment_status(const Event& e);
  void add_github(const Event& e);
  void add_release(const Event& e);
  std::map<std::string, std::vector<StatusRecord>> statuses_;  // by sha, in seq order
  std::map<std::string, std::pair<std::uint64_t, std::vector<std::string>>> pending_restarts_;
  std::map<std::string, std::map<std::string, std::uint64_t>> web_started_;  // app→version→seq
  std::map<std::string, std::uint64_t> last_push_seq_;                       // ref → seq
};

// MAJOR.MINOR.PATCH, digits only, no leading zeros: the team's tags (R4).
std::optional<std::vector<long>> strict_semver(const std::string& text);
// A release version as manifests write it: an optional 'v', then MAJOR[.MINOR[.PATCH]]…
std::optional<long> major_of(const std::string& version);
// The highest of `tags` below `version` (both strict semver), "" when none.
std::string previous_semver(const std::vector<std::string>& tags, const std::string& version);
// `text` contains `version` not glued to other digits or dots ("1.7.4" is not in "11.7.45").
bool mentions_version(const std::string& text, const std::string& version);
std::string short_sha(const std::string& sha);

// The rule groups, each appending its violations (unsorted, waivers not applied yet).
void check_deployment_rules(const RuleTimeline& t, const RuleOptions& o,
                            std::vector<Violation>& out);  // R1, R2, R3, R11
void check_release_rules(const RuleTimeline& t, const RuleOptions& o,
                         std::vector<Violation>& out);  // R4, R5, R6
void check_variable_rules(const RuleTimeline& t, const RuleOptions& o,
                          std::vector<Violation>& out);  // R7, R8, R9
void check_maintenance_scope(const std::vector<Event>& events,
                             std::vector<Violation>& out);  // R10

}  // namespace mepsim::rules
