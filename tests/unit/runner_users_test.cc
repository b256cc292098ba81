// The scenario runner's users (harness/runner/user_agents.h) against a scripted app: which
// account each class uses, when a user is logged out and logged in again, what the
// exchanges publish, and cohorts counted without being logged back in.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness/runner/fixture_accounts.h"
#include "harness/runner/user_agents.h"

using namespace mepsim;
using namespace mepsim::runner;
using scenario::UserClass;

namespace {

HttpReply answer(int status, std::string location = "", std::string set_cookie = "") {
  HttpReply reply;
  reply.status = status;
  if (!location.empty()) reply.headers.emplace_back("Location", location);
  if (!set_cookie.empty()) reply.headers.emplace_back("Set-Cookie", set_cookie);
  return reply;
}

std::string header_of(const HttpExchange& ex, const std::string& name) {
  for (const auto& [key, value] : ex.headers) {
    if (key == name) return value;
  }
  return "";
}

// The app as the replica answers its account routes, sessions in a map; maintenance sends
// every logged-in non-admin to /logout.
struct ScriptedApp {
  std::map<std::string, std::string> sessions;  // id → email
  std::vector<std::string> requests;            // "GET /bo"
  bool maintenance = false;
  int next_id = 1;

  HttpReply handle(const HttpExchange& ex) {
    const std::string path = ex.url.target.substr(0, ex.url.target.find('?'));
    requests.push_back(ex.method + " " + path);
    const std::string cookie = header_of(ex, "Cookie");
    const auto at = cookie.find("PHPSESSID=");
    const std::string id = at == std::string::npos ? "" : cookie.substr(at + 10, 4);
    const auto user = sessions.find(id);
    const bool admin = user != sessions.end() && user->second.starts_with("admin-01@");
    if (path == "/connexion" && ex.method == "POST") {
      if (ex.body.find("password=pw") == std::string::npos)
        return answer(302, "/connexion?error=1");
      const std::string email = ex.body.substr(6, ex.body.find('&') - 6);
      const std::string fresh = std::to_string(1000 + next_id++);
      sessions[fresh] = url_decode(email).value();
      return answer(302, "/bo", "PHPSESSID=" + fresh + "; path=/; httponly");
    }
    if (path == "/logout") {
      sessions.erase(id);
      return answer(302, "/connexion", "PHPSESSID=deleted; max-age=0; path=/");
    }
    if (maintenance && user != sessions.end() && !admin) return answer(302, "/logout");
    if (path == "/api/login") {
      HttpReply r = answer(200);
      r.body = R"({"token":"t0k3n","expires_at":"x"})";
      return r;
    }
    if (path == "/api/signalements") {
      return answer(header_of(ex, "Authorization") == "Bearer t0k3n" ? 200 : 401);
    }
    if (path == "/bo") return user == sessions.end() ? answer(302, "/connexion") : answer(200);
    return answer(200);
  }
};

class UsersTest : public ::testing::Test {
 protected:
  UsersTest() : agents_(env()) {}

  AgentEnv env() {
    AgentEnv e;
    e.app_url = [](const std::string& app) {
      return app == "histologe" ? std::string("http://127.0.0.1:9") : std::string();
    };
    e.maintenance_in_effect = [this](const std::string&) { return app_.maintenance; };
    e.publish = [this](std::vector<Field> fields) {
      std::map<std::string, std::string> event;
      for (auto& f : fields) event[f.key] = f.value;
      events_.push_back(std::move(event));
    };
    e.transport = [this](const HttpExchange& ex) -> Result<HttpReply> { return app_.handle(ex); };
    e.now = [] { return default_scenario_start(); };
    e.password = "pw";
    return e;
  }

  Result<UserAnswer> get(UserClass as, const std::string& target, ExpectsAsIs expects = nullptr) {
    UserRequest request;
    request.as = as;
    request.target = target;
    return agents_.send(request, expects);
  }

  ScriptedApp app_;
  std::vector<std::map<std::string, std::string>> events_;
  UserAgents agents_;
};

}  // namespace

TEST(FixtureAccounts, EachClassHasItsDefault) {
  // The plainest account of each class is used unless a step names one.
  EXPECT_EQ(find_account(UserClass::partner)->email, "user-13-01@signal-logement.fr");
  EXPECT_EQ(find_account(UserClass::admin)->role, "ROLE_ADMIN");
  EXPECT_EQ(find_account(UserClass::usager)->role, "ROLE_USAGER");
  EXPECT_EQ(find_account(UserClass::api)->role, "ROLE_API_USER");
  EXPECT_FALSE(find_account(UserClass::anonymous));
}

TEST(FixtureAccounts, NamedAccountMustBelongToTheClass) {
  // A local part is enough; another class's account is refused, naming those available.
  EXPECT_EQ(find_account(UserClass::partner, "admin-partenaire-44-01")->role, "ROLE_ADMIN_PARTNER");
  const auto wrong = find_account(UserClass::partner, "admin-01");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("user-13-01"), std::string::npos) << wrong.error().message;
}

TEST(FixtureAccounts, CohortUsesDistinctAccountsThenRepeats) {
  // Distinct accounts while the class has enough, then the same ones again in order.
  const auto partners = accounts_of(UserClass::partner);
  const auto cohort = cohort_accounts(UserClass::partner, static_cast<int>(partners.size()) + 2);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < partners.size(); ++i) distinct.insert(cohort[i].email);
  EXPECT_EQ(distinct.size(), partners.size());
  EXPECT_EQ(cohort[partners.size()].email, partners[0].email);
  EXPECT_EQ(cohort_accounts(UserClass::admin, 3).size(), 3u);
  EXPECT_TRUE(cohort_accounts(UserClass::anonymous, 3).empty());
}

TEST(UserAnswers, LoggedOutMeansSentToLoginOrLogout) {
  // Form classes are logged out by a redirect to /connexion or /logout, api by a 401.
  EXPECT_TRUE(is_logged_out_answer(UserClass::partner, answer(302, "/connexion")));
  EXPECT_TRUE(is_logged_out_answer(UserClass::usager, answer(302, "http://h:1/logout")));
  EXPECT_FALSE(is_logged_out_answer(UserClass::partner, answer(302, "/bo")));
  EXPECT_FALSE(is_logged_out_answer(UserClass::anonymous, answer(302, "/connexion")));
  EXPECT_TRUE(is_logged_out_answer(UserClass::api, answer(401)));
  EXPECT_FALSE(is_logged_out_answer(UserClass::api, answer(302, "/connexion")));
}

TEST(UserAnswers, ExpectedAsIsOnlyWhenEverythingNamedMatches) {
  // The step keeps the raw answer when its expect names it: status, redirect, or both.
  scenario::HttpExpect expect;
  EXPECT_FALSE(expects_answer_as_is(expect, answer(302, "/logout")));
  expect.status = 302;
  EXPECT_TRUE(expects_answer_as_is(expect, answer(302, "/logout")));
  expect.location = "/logout";
  EXPECT_TRUE(expects_answer_as_is(expect, answer(302, "/logout?x=1")));
  EXPECT_FALSE(expects_answer_as_is(expect, answer(302, "/connexion")));
  expect.status = 200;
  EXPECT_FALSE(expects_answer_as_is(expect, answer(302, "/logout")));
}

TEST(UserAnswers, OutcomesOfLoginsAndForms) {
  // What R10 reads: logins and submissions, accepted or not.
  auto ok = answer(302, "/bo", "PHPSESSID=abcd; path=/");
  EXPECT_EQ(exchange_outcome("POST", "/connexion", &ok), "login_ok");
  auto usager = answer(302, "/", "PHPSESSID=abcd; path=/");
  EXPECT_EQ(exchange_outcome("POST", "/connexion", &usager), "login_ok");
  auto refused = answer(302, "/connexion?error=1");
  EXPECT_EQ(exchange_outcome("POST", "/connexion", &refused), "login_refused");
  auto contact = answer(302, "/contact");
  EXPECT_EQ(exchange_outcome("POST", "/contact", &contact), "submission_accepted");
  auto home = answer(302, "/");
  EXPECT_EQ(exchange_outcome("POST", "/signalement-draft/new", &home), "submission_refused");
  EXPECT_EQ(exchange_outcome("POST", "/signalement-draft/new", nullptr), "submission_refused");
  auto created = answer(201);
  EXPECT_EQ(exchange_outcome("POST", "/api/signalements", &created), "submission_accepted");
  EXPECT_EQ(exchange_outcome("GET", "/contact", &created), "other");
}

TEST_F(UsersTest, LogsInOnFirstUseAndKeepsTheSession) {
  // A partner's first request logs in; the second reuses the session.
  ASSERT_EQ(get(UserClass::partner, "/bo")->reply.status, 200);
  ASSERT_EQ(get(UserClass::partner, "/bo")->reply.status, 200);
  EXPECT_EQ(app_.requests, (std::vector<std::string>{"POST /connexion", "GET /bo", "GET /bo"}));
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[0]["outcome"], "login_ok");
  EXPECT_EQ(events_[0]["role"], "ROLE_USER_PARTNER");
  EXPECT_EQ(events_[1]["outcome"], "other");
  EXPECT_EQ(events_[1]["maintenance"], "0");
}

TEST_F(UsersTest, LoggedOutByTheAppLogsInAgainOnce) {
  // Sessions lost (Redis flushed): one login again, one repeat, and the repeat is judged.
  ASSERT_TRUE(get(UserClass::partner, "/bo"));
  app_.sessions.clear();
  const auto again = get(UserClass::partner, "/bo");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->reply.status, 200);
  EXPECT_NE(again->notes.find("logged in again"), std::string::npos) << again->notes;
  app_.requests.clear();
  app_.maintenance = true;  // every repeat is sent to /logout too: still only one more try
  const auto forced = get(UserClass::partner, "/bo");
  EXPECT_EQ(forced->reply.status, 302);
  EXPECT_EQ(app_.requests, (std::vector<std::string>{"GET /bo", "POST /connexion", "GET /bo"}));
  EXPECT_EQ(events_.back()["maintenance"], "1");
}

TEST_F(UsersTest, ExpectedLogoutIsSeenRaw) {
  // `expect: {status: 302, location: /logout}` sees the app's answer, with no login behind it.
  ASSERT_TRUE(get(UserClass::partner, "/bo"));
  app_.maintenance = true;
  app_.requests.clear();
  scenario::HttpExpect expect;
  expect.status = 302;
  expect.location = "/logout";
  const auto raw = get(UserClass::partner, "/bo",
                       [&](const HttpReply& r) { return expects_answer_as_is(expect, r); });
  EXPECT_EQ(location_path(raw->reply), "/logout");
  EXPECT_EQ(app_.requests, (std::vector<std::string>{"GET /bo"}));
}

TEST_F(UsersTest, ApiUsesABearerTokenAndNoSecretLeaks) {
  // The api class trades credentials for a token; neither appears in any event.
  ASSERT_EQ(get(UserClass::api, "/api/signalements")->reply.status, 200);
  ASSERT_EQ(get(UserClass::partner, "/bo")->reply.status, 200);
  for (const auto& event : events_) {
    for (const auto& [key, value] : event) {
      EXPECT_EQ(value.find("t0k3n"), std::string::npos) << key;
      EXPECT_EQ(value.find("pw"), std::string::npos) << key;
      EXPECT_EQ(value.find("PHPSESSID"), std::string::npos) << key;
    }
  }
}

TEST_F(UsersTest, CohortIsCountedWithoutLoggingBackIn) {
  // Five distinct sessions; once the app forgets them, counting logs none of them back in.
  ASSERT_EQ(agents_.open_cohort("before", UserClass::partner, "histologe", 5).value(), 5);
  EXPECT_EQ(app_.sessions.size(), 5u);
  EXPECT_EQ(agents_.count_logged_in("before")->logged_in, 5);
  app_.sessions.clear();
  app_.requests.clear();
  const auto after = agents_.count_logged_in("before");
  EXPECT_EQ(after->logged_in, 0);
  EXPECT_NE(after->first_loss.find("302 /connexion"), std::string::npos) << after->first_loss;
  EXPECT_EQ(app_.requests.size(), 5u);  // five probes, no login
  EXPECT_FALSE(agents_.open_cohort("before", UserClass::partner, "histologe", 1));
  EXPECT_FALSE(agents_.open_cohort("anon", UserClass::anonymous, "histologe", 1));
  EXPECT_EQ(agents_.measurements()["cohorts"]["before"]["counts"].size(), 2u);
}
