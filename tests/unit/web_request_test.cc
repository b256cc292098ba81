// The web container's pure pieces: canonical paths, cookies and forms, route matching,
// the role hierarchy.

#include <gtest/gtest.h>

#include "sim/web/request_parts.h"
#include "sim/web/routes.h"
#include "sim/web/session_user.h"

using namespace mepsim::web;

TEST(WebTarget, DecodesAndRemovesDotSegments) {
  // One canonical path feeds both the maintenance listener and the router: tricks resolve
  // to what a route would see.
  EXPECT_EQ(parse_target("/api/../api/signalements")->path, "/api/signalements");
  EXPECT_EQ(parse_target("/%2Fsignalement")->path, "//signalement");
  EXPECT_EQ(parse_target("/bo/./signalements/")->path, "/bo/signalements/");
  EXPECT_EQ(parse_target("/a/b/..")->path, "/a/");
  EXPECT_EQ(parse_target("/connexion?next=%2Fbo")->query, "next=%2Fbo");
}

TEST(WebTarget, RefusesWhatNoRouteCouldTake) {
  // Bad escapes, NUL bytes, climbing above the root and absolute-form targets are 400s.
  EXPECT_FALSE(parse_target("/sig%zzement"));
  EXPECT_FALSE(parse_target("/sig%2"));
  EXPECT_FALSE(parse_target("/a%00b"));
  EXPECT_FALSE(parse_target("/../etc/passwd"));
  EXPECT_FALSE(parse_target("http://example.org/"));
  EXPECT_FALSE(parse_target(""));
}

TEST(WebCookies, ParsesTheCookieHeader) {
  // The first of a repeated cookie wins, as PHP reads them; spaces around pairs are ignored.
  const auto c = parse_cookies("PHPSESSID=abc; maintenanceBannerShow=false;PHPSESSID=zzz; x");
  EXPECT_EQ(c.at("PHPSESSID"), "abc");
  EXPECT_EQ(c.at("maintenanceBannerShow"), "false");
  EXPECT_FALSE(c.contains("x"));
}

TEST(WebForm, DecodesUrlEncodedFields) {
  // `+` is a space and escapes decode in both names and values.
  const auto f = parse_form("email=admin-01%40signal-logement.fr&password=a+b%26c&_remember_me=on");
  EXPECT_EQ(f.at("email"), "admin-01@signal-logement.fr");
  EXPECT_EQ(f.at("password"), "a b&c");
  EXPECT_EQ(f.at("_remember_me"), "on");
}

TEST(WebHtml, EscapesMarkup) {
  // A banner message or an address can never inject markup into a page.
  EXPECT_EQ(html_escape("<b>\"MEP\" & 'co'</b>"),
            "&lt;b&gt;&quot;MEP&quot; &amp; &#39;co&#39;&lt;/b&gt;");
}

TEST(WebRoutes, MatchesPatternsAndParameters) {
  // Parameters take one segment; another method on a known path is a 405, not a 404.
  auto send = match_route("POST", "/signalement-draft/1234/send");
  ASSERT_TRUE(send);
  EXPECT_TRUE(send->method_allowed);
  EXPECT_EQ(app_routes()[send->index].pattern, "/signalement-draft/{uuid}/send");
  EXPECT_EQ(send->params.at("uuid"), "1234");
  auto wrong_method = match_route("DELETE", "/connexion");
  ASSERT_TRUE(wrong_method);
  EXPECT_FALSE(wrong_method->method_allowed);
  EXPECT_TRUE(match_route("HEAD", "/bo")->method_allowed);
  EXPECT_FALSE(match_route("GET", "/signalement-draft//send"));
  EXPECT_FALSE(match_route("GET", "/Signalement"));
  EXPECT_FALSE(match_route("GET", "//signalement"));
  EXPECT_FALSE(match_route("GET", "/signalement."));
}

TEST(WebRoles, FollowsTheHierarchy) {
  // ROLE_ADMIN includes every back-office role; an usager and an API user do not get in.
  EXPECT_TRUE(is_granted({"ROLE_ADMIN"}, "ROLE_USER_PARTNER"));
  EXPECT_TRUE(is_granted({"ROLE_ADMIN_TERRITORY"}, "ROLE_USER"));
  EXPECT_FALSE(is_granted({"ROLE_ADMIN_TERRITORY"}, "ROLE_ADMIN"));
  EXPECT_FALSE(is_granted({"ROLE_USAGER"}, "ROLE_USER_PARTNER"));
  EXPECT_FALSE(can_use_back_office({1, "u", {"ROLE_USAGER"}, std::nullopt}));
  EXPECT_FALSE(can_use_back_office({1, "u", {"ROLE_API_USER"}, std::nullopt}));
  EXPECT_TRUE(can_use_back_office({1, "u", {"ROLE_USER_PARTNER"}, 13}));
  EXPECT_EQ(scope_of({1, "u", {"ROLE_ADMIN"}, std::nullopt}), std::nullopt);
  EXPECT_EQ(scope_of({1, "u", {"ROLE_USER_PARTNER"}, 13}), 13);
}
