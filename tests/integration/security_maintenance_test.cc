// Attempts to get past maintenance mode (MAINTENANCE_ENABLE=1) on a real mepsim-web
// against real MariaDB and Redis: path tricks, methods, proxy and rewrite headers, forged,
// tampered and replayed session and remember-me cookies, a non-admin's API token. Each
// gets what FACTS.md says maintenance answers (503 on the API, 302 to `/`, `/logout` or
// `/connexion`) or what no route gives everyone (400, 404): never the protected page.

#include <fmt/format.h>

#include <cctype>

#include "sim/web/maintenance.h"
#include "sim/web/remember_me.h"
#include "tests/integration/raw_http.h"
#include "tests/integration/web_app_fixture.h"

namespace mepsim::testing {
namespace {

// What a protected answer would hold: the report form, the back-office, the API's list.
constexpr const char* kFormMarker = "<h1>Signaler un problème de logement</h1>";
constexpr const char* kBackOfficeMarker = "id=\"kpi\"";

struct Attempt {
  std::string name;
  std::string method;
  std::string target;
  std::vector<std::string> head_lines;
  int status;
  std::string location;  // for a 302: where it must send
};

class SecurityMaintenance : public WebAppTest {
 protected:
  static void expect_kept_out(const WebContainer& web, const std::vector<Attempt>& attempts) {
    for (const auto& a : attempts) {
      SCOPED_TRACE(a.name + ": " + a.method + " " + a.target);
      const RawAnswer answer =
          raw_http(web.port(), a.method, a.target, a.head_lines, a.method == "POST" ? "{}" : "");
      ASSERT_NE(answer.status, 0) << "no answer";
      EXPECT_EQ(answer.status, a.status) << answer.body.substr(0, 300);
      if (a.status == 302) {
        EXPECT_EQ(answer.header("location"), a.location);
      }
      if (a.status == 503) {
        EXPECT_EQ(answer.body, web::kMaintenanceApiBody);
      }
      EXPECT_EQ(answer.body.find(kFormMarker), std::string::npos);
      EXPECT_EQ(answer.body.find(kBackOfficeMarker), std::string::npos);
      EXPECT_EQ(answer.body.find("\"reference\""), std::string::npos);
    }
  }

  static std::string api_token(const WebContainer& web, const std::string& email) {
    auto c = web.client();
    auto r = c.Post("/api/login", nlohmann::json{{"email", email}, {"password", kPassword}}.dump(),
                    "application/json");
    if (!r || r->status != 200) return "";
    return nlohmann::json::parse(r->body).value("token", "");
  }
};

TEST_F(SecurityMaintenance, PathTricksNeverReachAProtectedPage) {
  // Symfony matches the decoded path case-sensitively: a variant that is not a route is a
  // 404 for everyone, one that normalises to a blocked path gets maintenance's answer.
  WebEnv env = base_env();
  env["MAINTENANCE_ENABLE"] = "1";
  WebContainer web(env);
  const auto home = [](std::string name, std::string target) {
    return Attempt{std::move(name), "GET", std::move(target), {}, 302, "/"};
  };
  const auto api = [](std::string name, std::string method, std::string target) {
    return Attempt{std::move(name), std::move(method), std::move(target), {}, 503, ""};
  };
  const auto none = [](std::string name, std::string target, int status) {
    return Attempt{std::move(name), "GET", std::move(target), {}, status, ""};
  };
  expect_kept_out(web,
                  {
                      home("the form itself", "/signalement"),
                      home("a trailing slash", "/signalement/"),
                      home("a case variant", "/Signalement"),
                      home("a trailing dot", "/signalement."),
                      home("an encoded trailing dot", "/signalement%2e"),
                      home("a dot segment", "/./signalement"),
                      home("a climbing segment", "/bo/../signalement"),
                      home("an encoded climbing segment", "/bo/%2e%2e/signalement"),
                      home("a path parameter", "/signalement;jsessionid=x"),
                      home("a query string", "/signalement?_maintenance=0"),
                      home("a follow-up page", "/suivre-mon-signalement/ABC123"),
                      home("the contact form", "/contact/"),
                      none("a double slash", "//signalement", 404),
                      none("an encoded slash", "/%2Fsignalement", 404),
                      none("an encoded slash, lower case", "/%2fsignalement", 404),
                      none("no leading slash", "%2Fsignalement", 400),
                      none("an absolute-form target", "http://127.0.0.1/signalement", 400),
                      none("a NUL byte", "/signalement%00", 400),
                      none("a climb above the root", "/../signalement", 400),
                      {"a draft sent anyway",
                       "POST",
                       "/signalement-draft/new",
                       {"Content-Type: application/json"},
                       302,
                       "/"},
                      api("the API", "GET", "/api/signalements"),
                      api("a climbing API path", "GET", "/api/../api/signalements"),
                      api("an encoded climbing API path", "GET", "/api/%2e%2e/api/signalements"),
                      api("an encoded API slash", "GET", "/api%2Fsignalements"),
                      api("an API case variant", "GET", "/API/signalements"),
                      api("an API double slash", "GET", "/api//signalements"),
                      api("out of the open doc", "GET", "/api/doc/../signalements"),
                      api("encoded out of the open doc", "GET", "/api/doc/%2e%2e/signalements"),
                      api("the API login", "POST", "/api/login"),
                  });
}

TEST_F(SecurityMaintenance, MethodsAndHeadersChangeNothing) {
  // HEAD, OPTIONS, lowercase or unknown methods, proxy headers and rewrite headers (which
  // Symfony no longer reads) get the same answers as a plain GET of the same path.
  WebEnv env = base_env();
  env["MAINTENANCE_ENABLE"] = "1";
  WebContainer web(env);
  const std::vector<std::string> proxy = {
      "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Host: admin.signal-logement.fr",
      "X-Forwarded-Proto: https", "X-Forwarded-Prefix: /bo", "X-Real-IP: 127.0.0.1"};
  const std::vector<std::string> rewrite = {"X-Original-URL: /signalement",
                                            "X-Rewrite-Url: /signalement"};
  const std::vector<std::string> api_rewrite = {"X-Original-URL: /api/doc",
                                                "X-Rewrite-Url: /api/doc"};
  expect_kept_out(
      web, {
               {"HEAD", "HEAD", "/signalement", {}, 302, "/"},
               {"OPTIONS", "OPTIONS", "/signalement", {}, 302, "/"},
               {"OPTIONS on the API", "OPTIONS", "/api/signalements", {}, 503, ""},
               {"a lowercase method", "get", "/signalement", {}, 302, "/"},
               {"a lowercase method on the API", "get", "/api/signalements", {}, 503, ""},
               {"PUT", "PUT", "/signalement", {}, 302, "/"},
               {"an unknown method", "PROPFIND", "/signalement", {}, 302, "/"},
               {"proxy headers", "GET", "/signalement", proxy, 302, "/"},
               {"proxy headers on the API", "GET", "/api/signalements", proxy, 503, ""},
               {"rewrite headers on the home page", "GET", "/", rewrite, 200, ""},
               {"rewrite headers towards the open doc", "GET", "/api/signalements", api_rewrite,
                503, ""},
               {"proxy headers on the back-office", "GET", "/bo", proxy, 302, "/connexion"},
           });
}

TEST_F(SecurityMaintenance, ForgedTamperedAndReplayedCredentialsGetNoPage) {
  // Sessions, remember-me cookies and an API token obtained before maintenance, then
  // forged, tampered with, lent to another user or replayed after logout.
  WebContainer web(base_env());
  const std::string partner = login(web, kPartner);
  const std::string admin = login(web, kAdmin);
  auto c = web.client();
  auto remembered =
      c.Post("/connexion",
             std::string("email=") + kPartner + "&password=" + kPassword + "&_remember_me=on",
             "application/x-www-form-urlencoded");
  const std::string remember = cookie_value(remembered, "REMEMBERME");
  const std::string token = api_token(web, kApiUser);
  ASSERT_EQ(partner.size(), 32u);
  ASSERT_EQ(admin.size(), 32u);
  ASSERT_FALSE(remember.empty());
  ASSERT_FALSE(token.empty());
  ASSERT_TRUE(web.restart({{"MAINTENANCE_ENABLE", "1"}})) << web.log();

  std::string tampered = partner;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  std::string upper = admin;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const auto first = remember.find(':');
  const auto second = remember.find(':', first + 1);
  const std::string hex_admin = [] {
    std::string out;
    for (const char ch : std::string(kAdmin)) {
      out += fmt::format("{:02x}", static_cast<unsigned char>(ch));
    }
    return out;
  }();
  const std::string to_admin = hex_admin + remember.substr(first);
  const std::string extended =
      remember.substr(0, first + 1) + "4102444800" + remember.substr(second);
  const std::string wrong_secret = web::remember_me_value(
      "not-the-app-secret", kAdmin, "$2y$13$unknown", clock_.now() + std::chrono::hours(24));
  const auto with = [](std::string cookie) {
    return std::vector<std::string>{"Cookie: " + cookie};
  };
  const auto bo = [&](std::string name, std::string cookie, std::string location) {
    return Attempt{std::move(name),         "GET", "/bo",
                   with(std::move(cookie)), 302,   std::move(location)};
  };
  expect_kept_out(
      web,
      {
          bo("a random session id", "PHPSESSID=0123456789abcdef0123456789abcdef", "/connexion"),
          bo("a tampered session id", "PHPSESSID=" + tampered, "/connexion"),
          bo("the admin's id in upper case", "PHPSESSID=" + upper, "/connexion"),
          bo("the admin's id and one more digit", "PHPSESSID=" + admin + "0", "/connexion"),
          bo("a prefix of the admin's id", "PHPSESSID=" + admin.substr(0, 31), "/connexion"),
          bo("the API token as a session", "PHPSESSID=" + token, "/connexion"),
          bo("a partner's session", "PHPSESSID=" + partner, "/logout"),
          bo("a partner's remember-me", "REMEMBERME=" + remember, "/logout"),
          bo("a remember-me signed with another secret", "REMEMBERME=" + wrong_secret,
             "/connexion"),
          bo("a partner's remember-me renamed to the admin", "REMEMBERME=" + to_admin,
             "/connexion"),
          bo("a partner's remember-me extended", "REMEMBERME=" + extended, "/connexion"),
          {"a partner's session on the form", "GET", "/signalement", with("PHPSESSID=" + partner),
           302, "/logout"},
          {"a partner's session with proxy headers",
           "GET",
           "/bo",
           {"Cookie: PHPSESSID=" + partner, "X-Forwarded-For: 127.0.0.1",
            "X-Forwarded-Host: localhost"},
           302,
           "/logout"},
          {"a non-admin's API token",
           "GET",
           "/api/signalements",
           {"Authorization: Bearer " + token},
           503,
           ""},
          {"a non-admin's API token, lowercase method",
           "get",
           "/api/signalements",
           {"Authorization: Bearer " + token},
           503,
           ""},
          {"the admin's session on the API", "GET", "/api/signalements", with("PHPSESSID=" + admin),
           503, ""},
      });
  // The partner follows the redirect; the logged-out session id replayed is nobody's.
  const RawAnswer logout = raw_http(web.port(), "GET", "/logout", with("PHPSESSID=" + partner));
  EXPECT_EQ(logout.status, 302);
  EXPECT_EQ(redis().command({"EXISTS", "sf_s" + partner}).value(), "0");
  expect_kept_out(web, {bo("a replayed logged-out session", "PHPSESSID=" + partner, "/connexion")});

  // Control: the admin is served both pages, so the markers above are the right ones.
  const RawAnswer admin_bo = raw_http(web.port(), "GET", "/bo", with("PHPSESSID=" + admin));
  EXPECT_EQ(admin_bo.status, 200);
  EXPECT_NE(admin_bo.body.find(kBackOfficeMarker), std::string::npos);
  const RawAnswer admin_form =
      raw_http(web.port(), "GET", "/signalement", with("PHPSESSID=" + admin));
  EXPECT_EQ(admin_form.status, 200);
  EXPECT_NE(admin_form.body.find(kFormMarker), std::string::npos);
}

}  // namespace
}  // namespace mepsim::testing
