#pragma once
// The people a scenario sends to the app: one user agent (a cookie jar, an API token) per
// app, class and account, and cohorts of sessions kept by name. Logged-in classes log in
// on first use, with the fixture accounts (fixture_accounts.h) and the topology's shared
// password: usager, partner and admin through the login form (POST /connexion, then the
// PHPSESSID cookie), api through POST /api/login (then a Bearer token).
//
// Cookies: a browser's jar per agent (the load generator's, harness/load/cookie_jar.h).
//
// Logged out by the app. For a logged-in class, an answer that sends the user away — a
// redirect to /connexion or /logout for the form classes, a 401 for api — means the app
// logged it out (its session is gone, or maintenance forces the logout). Unless the step
// expects that very answer (its `expect` names that status, or that redirect, and nothing
// it names differs), the agent logs in again ONCE and repeats the request; the answer to
// the repeat is the one judged. Not when the agent had just logged in for this request: a
// second login would meet the same answer. A step with `expect: {status: 302, location:
// /logout}` therefore sees the raw answer, and nothing is changed behind its back.
// Requests to the account routes themselves (/connexion, /logout, /api/login) are never
// repeated. A login starts from an empty jar, as a fresh browser does: an old session must
// not turn the login itself into a forced logout.
//
// Events: every exchange an agent makes is a data-plane event (component "users", name
// "http.exchange") with app, class, role ("" for anonymous, as the load generator's
// events), user (the account's email), method, path, status, outcome (login_ok,
// login_refused, submission_accepted, submission_refused, other), maintenance ("1" when
// MAINTENANCE_ENABLE=1 is in effect in every running web container of the app, "0"
// otherwise) and, for cohort probes, cohort. Cookies, tokens and passwords are never in
// events nor in messages.
//
// Cohorts: `open_cohort` logs `count` sessions in (distinct accounts while the class has
// enough); `count_logged_in` asks each session, without logging it in again, whether the
// app still knows it: GET /bo answered 200 for partner and admin; for usager (who has no
// back-office) GET / answered 200 with the logged-in menu (`class="user-email"`); for api
// GET /api/signalements answered 200. A redirect (maintenance's 302 /logout included) is
// not followed: the probe only looks, so a session maintenance turned away still exists
// in Redis and counts again once maintenance is off.
//
// Not thread-safe: the runner's thread uses it.

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/load/cookie_jar.h"
#include "harness/runner/fixture_accounts.h"
#include "harness/scenario/scenario.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/net/http_client.h"

namespace mepsim {
class Topology;
}  // namespace mepsim

namespace mepsim::runner {

struct RunContext;

// What the agents need from a run, apart so that tests can script the app.
struct AgentEnv {
  std::function<std::string(const std::string& app)> app_url;  // "" when it has no router
  std::function<bool(const std::string& app)> maintenance_in_effect;
  std::function<void(std::vector<Field> fields)> publish;  // one http.exchange event
  std::function<Result<HttpReply>(const HttpExchange&)> transport;
  std::function<Instant()> now;  // real time: cookie expiry
  std::string password;          // the fixture accounts'
};

// The topology's routers and platform, the log (events at the platform's clock), the real
// clock, http_exchange.
AgentEnv agent_env(Topology& topology, EventLog& log, Clock& real_clock);

// One request of a user.
struct UserRequest {
  scenario::UserClass as = scenario::UserClass::anonymous;
  std::string user;  // the account ("user-13-01" or an email); "" for the class's default
  std::string app = "histologe";
  std::string method = "GET";
  std::string target = "/";                                  // path and query
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included
  std::string body;
  // The email a login posted by the step itself carries (an anonymous POST /connexion):
  // the event's role is that fixture account's.
  std::string claimed_email;
};

struct UserAnswer {
  HttpReply reply;      // the answer judged
  std::string account;  // the email used; "" for anonymous
  std::string notes;    // what happened on the way: "logged in again after 302 /connexion"
};

// Whether the step expects `reply` as it came (see the header comment).
using ExpectsAsIs = std::function<bool(const HttpReply& reply)>;

struct CohortCount {
  int logged_in = 0;
  int total = 0;
  std::string first_loss;  // what the first lost session was answered, "" when none
};

class UserAgents {
 public:
  static constexpr std::size_t kCohortsMax = 100;
  static constexpr int kCohortSessionsMax = 1'000;
  // One exchange through the app's router, real time.
  static constexpr Duration kExchangeTimeout = std::chrono::seconds(10);

  explicit UserAgents(AgentEnv env);
  // The run's topology, log and real clock (agent_env).
  explicit UserAgents(RunContext& ctx);
  ~UserAgents();
  UserAgents(const UserAgents&) = delete;
  UserAgents& operator=(const UserAgents&) = delete;

  // The request as the user, logging in as the header comment says. An error when the
  // account or the app is unknown, or when no answer came (transport failure).
  Result<UserAnswer> send(const UserRequest& request, const ExpectsAsIs& expects_as_is);

  // Logs `count` sessions of `user_class` in on `app`, kept as `cohort`; how many logged in.
  // invalid_input for anonymous, a count out of 1..kCohortSessionsMax, a cohort that exists.
  Result<int> open_cohort(const std::string& cohort, scenario::UserClass user_class,
                          const std::string& app, int count);
  // How many of the cohort's sessions the app still knows (never logging them in again).
  Result<CohortCount> count_logged_in(const std::string& cohort);

  // Forgets every agent and cohort (a new scenario).
  void reset();

  // What the run report shows of the users: exchanges by outcome, logins made again after
  // the app logged a user out, and per cohort the sessions opened and each count made
  // ({"exchanges": {…}, "logged_in_again": n, "cohorts": {name: {class, app, sessions,
  // logged_in, counts: [{logged_in, total}…]}}}).
  nlohmann::json measurements() const;

  const AgentEnv& env() const { return env_; }

 private:
  struct Agent {
    Account account;  // email "" for anonymous
    scenario::UserClass user_class = scenario::UserClass::anonymous;
    std::string app;
    load::CookieJar jar;     // the load generator's: paths, Max-Age, Expires
    std::string api_token;   // class api, once logged in; never printed
    bool logged_in = false;  // a login succeeded and its credentials are still held
  };
  struct LoginResult {
    bool ok = false;
    std::string detail;  // "302 /connexion?error=1", on refusal
  };
  Result<Agent*> agent_for(const UserRequest& request);
  LoginResult log_in(Agent& agent, const std::string& cohort);
  Result<HttpReply> exchange(Agent& agent, const UserRequest& request, const std::string& cohort);
  void publish(const Agent& agent, const UserRequest& request, const Result<HttpReply>& reply,
               const std::string& outcome, const std::string& cohort);
  Result<bool> probe(Agent& agent, const std::string& cohort, std::string& answered);

  struct Cohort {
    scenario::UserClass user_class = scenario::UserClass::partner;
    std::string app;
    int logged_in = 0;  // when opened
    std::vector<std::unique_ptr<Agent>> sessions;
    std::vector<CohortCount> counts;  // the first kCountsKept counts made
  };
  static constexpr std::size_t kCountsKept = 100;

  AgentEnv env_;
  std::map<std::string, std::unique_ptr<Agent>> agents_;  // by app, class and account
  std::map<std::string, Cohort> cohorts_;                 // at most kCohortsMax
  std::map<std::string, std::int64_t> outcomes_;          // exchanges by outcome (5 kinds)
  std::int64_t logged_in_again_ = 0;
};

// ---- what the agents decide, apart for tests -------------------------------------------

// The value of the first header `name` (case-insensitive), "" when absent.
std::string reply_header(const HttpReply& reply, std::string_view name);
// The Location's path and query, without scheme and host; "" when there is none.
std::string location_target(const HttpReply& reply);
// Its path alone (no query).
std::string location_path(const HttpReply& reply);
// "302 /connexion?error=1", "503", "200": how messages name an answer.
std::string describe_answer(const HttpReply& reply);

// Whether `reply` says the user of `user_class` was logged out (header comment).
bool is_logged_out_answer(scenario::UserClass user_class, const HttpReply& reply);
// Whether the expectation names this answer and nothing it names differs.
bool expects_answer_as_is(const scenario::HttpExpect& expect, const HttpReply& reply);
// login_ok… other: what an exchange of `method` on `path` answered `reply` was (nullopt
// reply: no answer came).
std::string exchange_outcome(const std::string& method, const std::string& path,
                             const HttpReply* reply);
// The path of a target ("/bo?x=1" → "/bo").
std::string target_path(const std::string& target);

}  // namespace mepsim::runner
