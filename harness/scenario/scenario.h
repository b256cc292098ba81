#pragma once
// A scenario file as typed values: its header and its steps, each step remembering where it
// was written. The parser (scenario_parser.h) makes these from YAML and refuses anything it
// does not understand; the runner (harness/runner) only ever sees these values.
//
//   name: production-mep
//   description: The MEP as PROCEDURE.md writes it.
//   tags: [mep, production]
//   profile: histologe            # built-in profile, or a path relative to the file
//   seed: 42                      # optional; `mepsim run --seed` wins
//   expect_violations: [R3-review-apps-closed]
//   waive: [{rule: R7-demo-parity, reason: demo has no partners}]
//   steps:
//     - git: merge develop --no-edit
//     - expect: {deployment: {app: histologe, status: success, version: 1.7.4}}

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/net/fault_policy.h"

namespace mepsim::scenario {

using Duration = std::chrono::nanoseconds;

// Where a value was written: "scenarios/mep.yaml:12:7".
struct SourcePos {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string str() const;
};

// The people the app knows (FACTS.md): each class logs in its own way.
enum class UserClass { anonymous, usager, partner, admin, api };
const char* to_string(UserClass c);

// A count that is exact (`3`) or bounded (`{min: 1, max: 5}`); either bound may be absent.
struct CountRange {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  bool contains(std::int64_t n) const;
  std::string str() const;  // "3", "≥ 1", "1..5"
};

// ---------------------------------------------------------------- expectations
// Each looks at the topology once; `wait_until` asks the same question until it holds.

// The latest deployment of `app` (or, with `count`, how many match).
struct DeploymentExpect {
  std::string app;
  std::optional<std::string> status;   // "success", "hook-error"…
  std::optional<std::string> version;  // the release's app.yaml version
  std::optional<std::string> git_ref;  // branch, tag or sha as deployed
  std::optional<CountRange> count;     // how many deployments match the fields above
};

struct AppExpect {
  std::string app;
  std::optional<std::string> status;           // running, stopped, crashed…
  std::optional<std::string> serving_version;  // the release receiving traffic
  std::optional<bool> exists;                  // false: the app (a review app) is gone
};

struct VariablesExpect {
  std::string app;
  std::map<std::string, std::string> set;        // the app's value (what Scalingo shows)
  std::map<std::string, std::string> in_effect;  // what every running web container has
  std::vector<std::string> not_in_effect;        // set but not yet in effect (R9)
  std::vector<std::string> absent;               // not set on the app
};

struct ContainersExpect {
  std::string app;
  std::string type = "web";
  std::optional<CountRange> count;    // running containers of that type
  std::optional<CountRange> healthy;  // of them, those that answer their health check
};

struct SentryExpect {
  std::string app;                     // its project
  std::optional<std::string> release;  // issues seen in that release
  // Issues first seen within this much virtual time before now (absent: since the start).
  std::optional<Duration> window;
  CountRange new_issues;
  std::optional<std::string> title_contains;
};

struct PullRequestExpect {
  int number = 0;
  std::optional<std::string> state;  // open, closed
  std::optional<bool> merged;
};
struct ReleaseExpect {
  std::string tag;
  std::vector<std::string> body_contains;
};
struct MilestoneExpect {
  std::string title;
  std::optional<CountRange> open_issues;
  std::optional<CountRange> closed_issues;
};
struct GithubExpect {
  std::optional<PullRequestExpect> pull_request;
  std::optional<std::string> tag;  // exists in the origin
  std::optional<ReleaseExpect> release;
  std::optional<MilestoneExpect> milestone;
  // The combined CI state of a ref: success, failure, pending.
  std::optional<std::pair<std::string, std::string>> ci;  // {ref, state}
};

struct MessagesExpect {  // Mattermost messages, or mail sent through Brevo
  CountRange count;
  std::optional<std::string> contains;  // text (Mattermost) or subject (mail)
  std::optional<std::string> to;        // mail only: a recipient
};

struct MysqlExpect {
  std::string app;    // whose database
  std::string query;  // one SELECT
  // The first column of the first row, as text; or the number of rows.
  std::optional<std::string> equals;
  std::optional<CountRange> rows;
};

struct RedisExpect {
  std::string app;      // whose Redis db
  std::string pattern;  // SCAN MATCH pattern, e.g. "sf_s*"
  CountRange keys;
};

// A cohort of logged-in users made by a `sessions` step: how many are still logged in.
struct SessionsExpect {
  std::string cohort;
  CountRange logged_in;
};

struct LoadExpect {
  std::string name;  // the `load` step's name
  std::optional<double> p99_ms_max;
  std::optional<double> error_rate_max;  // non-2xx/3xx share, 0..1
  std::optional<std::int64_t> lost_writes_max;
  std::optional<std::int64_t> requests_min;
  std::optional<std::int64_t> writes_accepted_min;  // reports the app answered 2xx
  // Requests in the load's current phase (the last one a fault, heal or toggle opened):
  // how long a fault stays on, counted in the load's own requests.
  std::optional<std::int64_t> phase_requests_min;
  std::optional<double> session_losses_max;  // unexpected ones
  // Maintenance toggles made by `scalingo restart -s` while the load ran on the app.
  std::optional<std::int64_t> toggles_effective_min;  // took effect on every container
  std::optional<double> admin_session_retention_min;  // 0..1
  std::optional<std::int64_t> non_admin_logouts_min;  // logged out by maintenance
  std::optional<std::int64_t> non_admin_relogins_min;
};

// `converged: {app: histologe, load: mix, error_free_s: 3}` — the end of a heal phase:
// every web container of the app's formation running, healthy and behind its router
// (none awaiting a crash restart), the load's last `error_free_s` closed seconds answered
// without a 5xx or a transport error, and every write it accepted so far found in MySQL.
// Under `wait_until`, asked in real time while the platform's clock moves on paced.
struct ConvergedExpect {
  std::string app;
  std::optional<std::string> load;
  std::int64_t error_free_s = 3;
};

struct ViolationsExpect {
  std::vector<std::string> present;  // rule ids found so far in the run
  std::vector<std::string> absent;
};

// One `expect:` may hold several of these; all must hold.
using Expectation =
    std::variant<DeploymentExpect, AppExpect, VariablesExpect, ContainersExpect, SentryExpect,
                 GithubExpect, MessagesExpect /*mattermost*/, MysqlExpect, RedisExpect,
                 SessionsExpect, LoadExpect, ConvergedExpect, ViolationsExpect>;

struct ExpectationAt {
  std::string kind;  // the key it was written under: "deployment", "mattermost", "mail"…
  Expectation value;
  SourcePos pos;
};

// ---------------------------------------------------------------- steps

// `git: merge develop --no-edit` — in the run's working clone of the origin (its `origin`
// remote is the local one; pushes authenticate with the GitHub token).
struct GitStep {
  std::vector<std::string> args;  // split like a shell would, quotes honoured
  int expect_exit = 0;            // `{command: …, exit: 1}` for a command meant to fail
  std::optional<std::string> output_contains;
};

// `write_file: {path: app.yaml, content: "…"}` in the working clone (a release's code).
struct WriteFileStep {
  std::string path;  // relative to the clone, no `..`
  std::string content;
};

// `scalingo: -a histologe env-set MAINTENANCE_ENABLE=1` — the syntax of `mepsim scalingo`.
struct ScalingoStep {
  std::vector<std::string> args;
  int expect_exit = 0;
  std::optional<std::string> output_contains;
};

// GitHub actions through its REST API, as the procedure's engineer does them.
struct OpenPullRequest {
  std::string head, base, title;
  std::vector<std::string> labels;
};
struct ClosePullRequest {
  int number = 0;
};
struct MergePullRequest {
  int number = 0;
};
struct CreateTag {  // a lightweight tag through the API (the procedure pushes one with git)
  std::string name;
  std::string ref = "main";
};
struct CreateRelease {
  std::string tag;
  std::optional<std::string> previous_tag;  // for generated notes
  bool generate_notes = true;               // body from generate-notes, in the template
  std::optional<std::string> body;          // given instead of generated
};
struct CreateMilestone {
  std::string title;  // "v1.7.4"
  // Issues and PRs to assign and close: by number, or every PR merged since `since_tag`.
  std::vector<int> issues;
  std::optional<std::string> since_tag;
};
using GithubAction = std::variant<OpenPullRequest, ClosePullRequest, MergePullRequest, CreateTag,
                                  CreateRelease, CreateMilestone>;
struct GithubStep {
  GithubAction action;
  int expect_status_min = 200, expect_status_max = 299;  // `expect_status: 422` to mean a refusal
};

// `ci: {branch: main, result: failure}` — the CI result of a branch's runs from now on, or
// of one commit (`commit: <sha or ref of the working clone>`), at once.
struct CiStep {
  std::optional<std::string> branch;
  std::optional<std::string> commit;
  std::string result;  // success, failure, default (branch only)
};

// `mattermost: {release_note: 1.7.4}` posts that release's body; `{text: …}` any text.
struct MattermostStep {
  std::optional<std::string> release_note;
  std::optional<std::string> text;
};

struct HttpExpect {
  std::optional<int> status;
  std::optional<std::string> location;  // the redirect target's path
  std::map<std::string, std::string> headers;
  std::vector<std::string> body_contains;
  std::vector<std::string> body_lacks;
};

// A request to an app through its router, as a user of a class; logged-in classes log in
// on first use (and again after a logout), each with its own cookie jar.
struct HttpStep {
  UserClass as = UserClass::anonymous;
  std::optional<std::string> user;  // a fixture account; default: the class's first
  std::string app = "histologe";
  std::string method = "GET";
  std::string path = "/";
  std::map<std::string, std::string> form;  // urlencoded body
  std::optional<nlohmann::json> json;       // JSON body
  std::map<std::string, std::string> headers;
  HttpExpect expect;
};

// `sessions: {cohort: before-mep, as: partner, count: 20, app: histologe}` logs `count`
// distinct sessions in, kept for a later `expect: {sessions: …}`.
struct SessionsStep {
  std::string cohort;
  UserClass as = UserClass::partner;
  int count = 1;
  std::string app = "histologe";
};

// `wait: 2h` — virtual time; the platform's due tasks run on the way.
struct WaitStep {
  Duration duration{};
};

// `wait_until: {deployment: {…}, timeout: 30m}` — one expectation, asked after each of the
// platform's tasks until it holds; failing when the virtual timeout passes first.
struct WaitUntilStep {
  ExpectationAt condition;
  Duration timeout{};
};

// `load: {start: {name: mix, app: histologe, rate: 50, mix: {anonymous: 70, admin: 30}}}`
// and `load: {stop: mix}`.
struct LoadStart {
  std::string name;
  std::string app = "histologe";
  double rate_per_s = 20;                   // open loop
  std::map<UserClass, double> mix_percent;  // sums to 100
  std::optional<Duration> duration;         // real time; absent: until `stop`
};
struct LoadStop {
  std::string name;
};
struct LoadStep {
  std::variant<LoadStart, LoadStop> action;
};

// Faults: a container killed (SIGKILL), a datastore stopped or started, a fake's chaos.
struct KillContainer {
  std::string app;
  std::string container = "web-1";
};
struct DatastoreFault {
  std::string server;  // "redis" or "mysql"
  bool start = false;  // false: stop
};
struct ChaosFault {
  std::string fake;         // "sentry", "brevo", "geocoding", "github", "mattermost"
  nlohmann::json settings;  // what the admin API's chaos endpoint takes
};
// `network: {link: mysql, latency_ms: 200, jitter_ms: 50}`: the link's whole policy from
// now on (fault_policy.h's fields); `network: {link: mysql, heal: true}`: pass-through.
struct NetworkFault {
  std::string link;  // "mysql", "redis", "sentry", "brevo", "geocoding"
  FaultPolicy policy;
  bool heal = false;
};
struct FaultStep {
  std::variant<KillContainer, DatastoreFault, ChaosFault, NetworkFault> action;
};

struct ExpectStep {
  std::vector<ExpectationAt> expectations;
};

using StepBody =
    std::variant<GitStep, WriteFileStep, ScalingoStep, GithubStep, CiStep, MattermostStep, HttpStep,
                 SessionsStep, WaitStep, WaitUntilStep, LoadStep, FaultStep, ExpectStep>;

struct Step {
  std::string kind;         // its key: "git", "scalingo", "expect"…
  std::string description;  // one line for progress and reports: "git merge develop"
  StepBody body;
  SourcePos pos;
};

struct Waiver {
  std::string rule;  // "R7-demo-parity"
  std::string reason;
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string profile = "histologe";  // built-in name, or a path resolved against `file`
  std::optional<std::uint64_t> seed;
  std::vector<std::string> expect_violations;  // rule ids the run must show, and no other
  std::vector<Waiver> waivers;
  std::vector<Step> steps;
  std::string file;  // where it was read from
};

// The procedure's rule ids (PROCEDURE.md), in order.
const std::vector<std::string>& rule_ids();

}  // namespace mepsim::scenario
