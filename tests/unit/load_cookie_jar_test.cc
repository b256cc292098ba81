// Unit tests of harness/load/cookie_jar.h: Set-Cookie attributes, replacement and
// deletion, paths, expiry, and the bounds of a jar.

#include <gtest/gtest.h>

#include "harness/load/cookie_jar.h"

namespace mepsim::load {
namespace {

using namespace std::chrono_literals;

const Instant kJarNow = default_scenario_start();

TEST(LoadCookieJar, KeepsWhatTheReplicaSets) {
  // The replica's session cookie, attributes and all, comes back as name=value.
  CookieJar jar;
  ASSERT_TRUE(jar.set_from_header("PHPSESSID=abc123; path=/; httponly; samesite=lax", "/connexion",
                                  kJarNow));
  EXPECT_EQ(jar.value("PHPSESSID"), "abc123");
  EXPECT_EQ(jar.header_for("/bo", kJarNow), "PHPSESSID=abc123");
  EXPECT_EQ(jar.header_for("/", kJarNow), "PHPSESSID=abc123");
}

TEST(LoadCookieJar, SameNameAndPathReplaces) {
  // A new session id replaces the old one; a second cookie adds to the header.
  CookieJar jar;
  ASSERT_TRUE(jar.set_from_header("PHPSESSID=old; path=/", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("PHPSESSID=new; Path=/", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("maintenanceBannerShow=0; Max-Age=86400", "/", kJarNow));
  EXPECT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.header_for("/", kJarNow), "PHPSESSID=new; maintenanceBannerShow=0");
}

TEST(LoadCookieJar, MaxAgeZeroOrAPastExpiresDeletes) {
  // The replica's logout deletes both ways at once; each alone deletes too.
  CookieJar jar;
  ASSERT_TRUE(jar.set_from_header("PHPSESSID=a; path=/", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("REMEMBERME=b; path=/; max-age=2592000", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("other=c; path=/", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header(
      "PHPSESSID=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; max-age=0; path=/; httponly",
      "/logout", kJarNow));
  EXPECT_FALSE(jar.contains("PHPSESSID"));
  ASSERT_TRUE(jar.set_from_header("REMEMBERME=deleted; Max-Age=0; path=/", "/logout", kJarNow));
  EXPECT_FALSE(jar.contains("REMEMBERME"));
  ASSERT_TRUE(
      jar.set_from_header("other=gone; Expires=Thu, 01 Jan 1970 00:00:01 GMT", "/", kJarNow));
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.header_for("/", kJarNow), "");
}

TEST(LoadCookieJar, MaxAgeWinsOverExpiresAndCookiesExpire) {
  // Max-Age counts from the response; a past Expires does not undo it; time passing does.
  CookieJar jar;
  ASSERT_TRUE(
      jar.set_from_header("a=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=60", "/", kJarNow));
  EXPECT_EQ(jar.header_for("/", kJarNow + 59s), "a=1");
  EXPECT_EQ(jar.header_for("/", kJarNow + 60s), "");
  ASSERT_TRUE(jar.set_from_header("b=2; Expires=Mon, 05 Jan 2026 09:00:00 GMT", "/", kJarNow));
  EXPECT_EQ(jar.header_for("/", kJarNow + 3599s), "b=2");
  EXPECT_EQ(jar.header_for("/", kJarNow + 3600s), "");
}

TEST(LoadCookieJar, PathsScopeCookies) {
  // A cookie for /bo goes to /bo and below only, before the broader ones; the default
  // path is the request's folder.
  CookieJar jar;
  ASSERT_TRUE(jar.set_from_header("root=r; Path=/", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("bo=b; Path=/bo", "/", kJarNow));
  ASSERT_TRUE(jar.set_from_header("draft=d", "/signalement-draft/new", kJarNow));
  EXPECT_EQ(jar.header_for("/bo/signalements", kJarNow), "bo=b; root=r");
  EXPECT_EQ(jar.header_for("/bo", kJarNow), "bo=b; root=r");
  EXPECT_EQ(jar.header_for("/bonjour", kJarNow), "root=r");
  EXPECT_EQ(jar.header_for("/", kJarNow), "root=r");
  EXPECT_EQ(jar.header_for("/signalement-draft/x/send", kJarNow), "draft=d; root=r");
  EXPECT_TRUE(path_matches("/", "/anything?q=1"));
  EXPECT_FALSE(path_matches("/bo", "/b"));
}

TEST(LoadCookieJar, MalformedAndOversizedAreIgnored) {
  // No '=', an empty name, or over 4 KiB: ignored, the jar unchanged.
  CookieJar jar;
  EXPECT_FALSE(jar.set_from_header("novalue", "/", kJarNow));
  EXPECT_FALSE(jar.set_from_header("=v; path=/", "/", kJarNow));
  EXPECT_FALSE(jar.set_from_header("big=" + std::string(5000, 'x'), "/", kJarNow));
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_TRUE(jar.set_from_header("a=1; max-age=soon", "/", kJarNow)) << "a bad Max-Age is ignored";
  EXPECT_EQ(jar.header_for("/", kJarNow + 24h), "a=1");
}

TEST(LoadCookieJar, BoundedByEvictingTheOldest) {
  // Past 32 cookies the oldest goes.
  CookieJar jar;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(jar.set_from_header("c" + std::to_string(i) + "=v", "/", kJarNow));
  }
  EXPECT_EQ(jar.size(), CookieJar::kCookiesMax);
  EXPECT_FALSE(jar.contains("c0"));
  EXPECT_TRUE(jar.contains("c39"));
}

TEST(LoadCookieJar, HttpDates) {
  // IMF-fixdate only; nonsense dates are refused.
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:01 GMT"), Instant(1s));
  EXPECT_EQ(parse_http_date("Mon, 05 Jan 2026 08:00:00 GMT"), kJarNow);
  EXPECT_FALSE(parse_http_date("Mon, 32 Jan 2026 08:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Mon, 05 Foo 2026 08:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Monday, 05-Jan-26 08:00:00 GMT"));
}

}  // namespace
}  // namespace mepsim::load
