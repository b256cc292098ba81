// Session fixation on a real mepsim-web against real MariaDB and Redis: a session id the
// visitor arrives with (one an attacker chose) never becomes a logged-in session — not at
// login, not when a remember-me cookie logs the user back in — and logging out ends the
// session for good.

#include "tests/integration/web_app_fixture.h"

namespace mepsim::testing {
namespace {

constexpr const char* kChosen = "00112233445566778899aabbccddeeff";

class SecuritySession : public WebAppTest {
 protected:
  static httplib::Result post_login(const WebContainer& web, const std::string& cookie,
                                    const std::string& extra = "") {
    auto c = web.client();
    httplib::Headers headers;
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    return c.Post("/connexion", headers,
                  std::string("email=") + kPartner + "&password=" + kPassword + extra,
                  "application/x-www-form-urlencoded");
  }

  static bool logged_in(const WebContainer& web, const std::string& id) {
    auto bo = get(web, "/bo", "PHPSESSID=" + id);
    return bo && bo->status == 200;
  }
};

TEST_F(SecuritySession, LoginNeverKeepsTheIdTheVisitorCameWith) {
  // A chosen well-formed id and a malformed one: the login answers another id, and the
  // chosen one is not logged in afterwards.
  WebContainer web(base_env());
  for (const std::string& chosen : {std::string(kChosen), std::string("attacker-chosen-id")}) {
    SCOPED_TRACE(chosen);
    auto r = post_login(web, "PHPSESSID=" + chosen);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 302);
    const std::string id = cookie_value(r, "PHPSESSID");
    ASSERT_EQ(id.size(), 32u);
    EXPECT_NE(id, chosen);
    EXPECT_TRUE(logged_in(web, id));
    EXPECT_FALSE(logged_in(web, chosen));
    EXPECT_EQ(redis().command({"EXISTS", "sf_s" + chosen}).value(), "0");
  }
}

TEST_F(SecuritySession, LoginOverAnotherUsersSessionReplacesIt) {
  // Logging in while carrying a live session (someone else's, or one's own) ends that
  // session: its id is logged out, the new one differs.
  WebContainer web(base_env());
  const std::string admin = login(web, kAdmin);
  ASSERT_EQ(admin.size(), 32u);
  auto r = post_login(web, "PHPSESSID=" + admin);
  const std::string id = cookie_value(r, "PHPSESSID");
  ASSERT_EQ(id.size(), 32u);
  EXPECT_NE(id, admin);
  EXPECT_FALSE(logged_in(web, admin));
  EXPECT_TRUE(logged_in(web, id));
}

TEST_F(SecuritySession, RememberMeOpensAFreshIdNotTheChosenOne) {
  // A remember-me login with a chosen PHPSESSID: the session it opens has a new id, and
  // the chosen id stays nobody's.
  WebContainer web(base_env());
  auto r = post_login(web, "", "&_remember_me=on");
  const std::string remember = cookie_value(r, "REMEMBERME");
  ASSERT_FALSE(remember.empty());
  auto bo = get(web, "/bo", std::string("PHPSESSID=") + kChosen + "; REMEMBERME=" + remember);
  ASSERT_TRUE(bo);
  ASSERT_EQ(bo->status, 200);
  const std::string id = cookie_value(bo, "PHPSESSID");
  ASSERT_EQ(id.size(), 32u);
  EXPECT_NE(id, kChosen);
  EXPECT_TRUE(logged_in(web, id));
  EXPECT_FALSE(logged_in(web, kChosen));
  EXPECT_EQ(redis().command({"EXISTS", std::string("sf_s") + kChosen}).value(), "0");
}

TEST_F(SecuritySession, LogoutEndsTheSessionAndClearsBothCookies) {
  // After /logout the id is gone from Redis and replaying it logs no one in; both cookies
  // are cleared; the next login gets yet another id.
  WebContainer web(base_env());
  auto r = post_login(web, "", "&_remember_me=on");
  const std::string id = cookie_value(r, "PHPSESSID");
  const std::string remember = cookie_value(r, "REMEMBERME");
  ASSERT_EQ(id.size(), 32u);
  auto out = get(web, "/logout", "PHPSESSID=" + id + "; REMEMBERME=" + remember);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 302);
  EXPECT_EQ(cookie_value(out, "PHPSESSID"), "deleted");
  EXPECT_EQ(cookie_value(out, "REMEMBERME"), "deleted");
  EXPECT_EQ(redis().command({"EXISTS", "sf_s" + id}).value(), "0");
  EXPECT_FALSE(logged_in(web, id));
  const std::string next = cookie_value(post_login(web, "PHPSESSID=" + id), "PHPSESSID");
  ASSERT_EQ(next.size(), 32u);
  EXPECT_NE(next, id);
}

}  // namespace
}  // namespace mepsim::testing
