#pragma once
// The running topology as the dashboard shows it, in JSON: each app (release, status,
// formation, containers and their health, variables and whether they are in effect, the
// deployment under way with its log's tail), the repository (branches, open pull requests,
// CI per recent commit, tags, releases), Sentry's issues since each app's last deploy, the
// mails and Mattermost messages sent. Variables' values are masked (mask_variable_value);
// the caller still redacts the env file's secrets from the whole.

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim {
class Topology;
}  // namespace mepsim

namespace mepsim::dashboard {

inline constexpr std::size_t kLogTailLines = 12;
inline constexpr std::size_t kRecentCommitsPerBranch = 6;
inline constexpr std::size_t kMessagesShown = 50;      // mails, Mattermost posts
inline constexpr std::size_t kIssuesShownPerApp = 20;  // Sentry
inline constexpr std::size_t kReleasesKept = 100;      // GitHub releases, newest last

// Where platform instants sit on the real clock: the platform's clock runs `time_scale`
// times faster than the one Sentry and the mails are stamped with.
struct ClockPair {
  Instant real_now{};
  Instant platform_now{};
  double time_scale = 1.0;
  Instant real_of(Instant platform_instant) const;
};

// [{"name", "parent", "status", "url", "release": {"version", "git_ref", "deployment",
//   "deployed_at"}, "formation": [{"name", "amount", "size"}], "containers": [{"label",
//   "type", "size", "version", "started_at", "health"}], "variables": [{"name", "value",
//   "masked", "in_effect"}], "deployment": {"id", "status", "phase", "git_ref",
//   "created_at", "log_tail"} (null when none is under way), "last_deployment": {…}}].
// Health: "serving" (in its router), "starting", "running" (a container with no process
// of its own: worker, clock) or "exited".
nlohmann::json apps_state(Topology& topology);

// The GitHub releases the timeline told of (github.release.created / edited), by id.
class ReleaseBook {
 public:
  void note(const Event& event);
  nlohmann::json listing() const;  // [{"id", "tag", "name", "draft", "at"}], oldest first

 private:
  std::map<std::string, nlohmann::json> by_id_;  // at most kReleasesKept
  std::vector<std::string> order_;
};

struct RepositoryBranches {
  std::string production = "main";  // whose push merges what `staging` holds
  std::string staging = "develop";
};

// {"name", "default_branch", "branches": [{"name", "sha", "ci"}], "pulls": [{"number",
//  "title", "head", "base", "labels", "user", "review_app", "merges_on_push"}], "commits":
//  [{"sha", "short", "message", "branch", "ci"}], "tags": [{"name", "sha"}], "releases"};
// null without a repository. merges_on_push: an open pull request into the production
// branch whose head is already in the staging branch, so that the procedure's push of
// production would merge it implicitly (R3).
nlohmann::json repository_state(Topology& topology, const ReleaseBook& releases,
                                const RepositoryBranches& branches);

// [{"app", "release", "deployed_at", "issues": [{"id", "title", "level", "culprit",
//   "count", "first_seen", "last_seen", "by_release": {release: count}}]}]: the issues seen
// since each app's last deploy, most recent first.
nlohmann::json sentry_state(Topology& topology, const ClockPair& clocks);

// [{"at", "from", "to": […], "subject", "tags": […]}], newest first: never a body (reset
// links carry tokens).
nlohmann::json mails_state(Topology& topology);
// [{"at", "channel", "username", "text"}], newest first.
nlohmann::json mattermost_state(Topology& topology);

}  // namespace mepsim::dashboard
