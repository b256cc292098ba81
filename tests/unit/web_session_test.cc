// Sessions, remember-me cookies, report input and metrics: what the container stores and
// signs, without a server.

#include <gtest/gtest.h>

#include "sim/core/clock.h"
#include "sim/web/remember_me.h"
#include "sim/web/report_input.h"
#include "sim/web/session_store.h"
#include "sim/web/web_metrics.h"

using namespace mepsim;
using namespace mepsim::web;

namespace {
const SessionUser kPartnerUser{7, "user-13-01@signal-logement.fr", {"ROLE_USER_PARTNER"}, 13};
}

TEST(WebSession, RoundTripsUnderTheSameFormat) {
  // A session written by a release reads back whole under the same session format.
  WebMetrics metrics({});
  SessionStore store(1, metrics);
  const auto user = store.decode(store.encode(kPartnerUser, default_scenario_start()));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, 7);
  EXPECT_EQ(user->email, kPartnerUser.email);
  EXPECT_EQ(user->roles, kPartnerUser.roles);
  EXPECT_EQ(user->territory_id, 13);
}

TEST(WebSession, AnotherFormatIsNoSession) {
  // A release with a new session format cannot read older sessions: their users are out.
  WebMetrics metrics({});
  SessionStore v1(1, metrics);
  SessionStore v2(2, metrics);
  EXPECT_FALSE(v2.decode(v1.encode(kPartnerUser, default_scenario_start())));
  EXPECT_FALSE(v2.decode("not json"));
  EXPECT_FALSE(v2.decode(R"({"_format":2,"_security_main":{"id":"x"}})"));
}

TEST(WebSession, OnlyWellFormedIdsAreLookedUp) {
  // Session ids are 32 hex digits: anything else never reaches Redis.
  EXPECT_TRUE(SessionStore::is_session_id(std::string(32, 'a')));
  EXPECT_FALSE(SessionStore::is_session_id(std::string(31, 'a')));
  EXPECT_FALSE(SessionStore::is_session_id(std::string(32, 'A')));
  EXPECT_FALSE(SessionStore::is_session_id("../../etc/passwd" + std::string(16, 'a')));
  EXPECT_EQ(SessionStore::key("abc"), "sf_sabc");
}

TEST(WebRememberMe, SignedWithTheAppSecret) {
  // The cookie is valid with the secret and hash it was made with, and with nothing else.
  const Instant now = default_scenario_start();
  const Instant expires = now + std::chrono::hours(24 * 30);
  const auto cookie = remember_me_value("secret-1", kPartnerUser.email, "$hash", expires);
  EXPECT_EQ(remember_me_email(cookie, now), kPartnerUser.email);
  EXPECT_TRUE(remember_me_valid("secret-1", cookie, "$hash", now));
  EXPECT_FALSE(remember_me_valid("secret-2", cookie, "$hash", now)) << "APP_SECRET rotated";
  EXPECT_FALSE(remember_me_valid("secret-1", cookie, "$other", now)) << "password changed";
  EXPECT_FALSE(remember_me_valid("secret-1", cookie, "$hash", expires)) << "expired";
  EXPECT_FALSE(remember_me_valid("", cookie, "$hash", now)) << "no secret, no cookie";
  std::string forged = cookie;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(remember_me_valid("secret-1", forged, "$hash", now));
  EXPECT_FALSE(remember_me_email("garbage", now));
}

TEST(WebReportInput, ListsEveryProblemAtOnce) {
  // A bad draft is refused with all its field errors, none half-read.
  const auto read = read_report_input(
      R"({"adresse_logement_adresse":"1","adresse_logement_adresse_detail_code_postal":"13A01",)"
      R"("vos_coordonnees_occupant_email":"nope","profil":"martien"})");
  EXPECT_FALSE(read.ok());
  const auto& e = read.errors.by_field;
  EXPECT_TRUE(e.contains("adresse_logement_adresse"));
  EXPECT_TRUE(e.contains("adresse_logement_adresse_detail_code_postal"));
  EXPECT_TRUE(e.contains("adresse_logement_adresse_detail_commune"));
  EXPECT_TRUE(e.contains("vos_coordonnees_occupant_email"));
  EXPECT_TRUE(e.contains("vos_coordonnees_occupant_nom"));
  EXPECT_TRUE(e.contains("profil"));
  EXPECT_FALSE(read_report_input("[1,2]").ok());
}

TEST(WebReportInput, ReadsAValidDraft) {
  // A complete draft becomes the report's fields, the whole payload kept.
  const auto read = read_report_input(
      R"({"adresse_logement_adresse":"12 rue de la République",)"
      R"("adresse_logement_adresse_detail_code_postal":"13001",)"
      R"("adresse_logement_adresse_detail_commune":"Marseille",)"
      R"("vos_coordonnees_occupant_email":"occupant@example.org",)"
      R"("vos_coordonnees_occupant_nom":"Martin","profil":"locataire","etage":"3"})");
  ASSERT_TRUE(read.ok()) << read.errors.to_json();
  EXPECT_EQ(read.input.postcode, "13001");
  EXPECT_NE(read.input.payload_json.find("etage"), std::string::npos);
}

TEST(WebMetrics, RendersPrometheusText) {
  // Counters by route and status, and cache lookups by pool and result.
  WebMetrics metrics({"GET /bo"});
  metrics.count_request(0, 200);
  metrics.count_request(0, 200);
  metrics.count_request(0, 418);
  metrics.count_cache(CachePool::app, true);
  metrics.count_cache(CachePool::system, false);
  const std::string text = metrics.render("1.7.4");
  EXPECT_NE(text.find("mepsim_web_requests_total{route=\"GET /bo\",status=\"200\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("status=\"other\"} 1"), std::string::npos);
  EXPECT_NE(text.find("mepsim_web_cache_requests_total{pool=\"app\",result=\"hit\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("mepsim_web_cache_requests_total{pool=\"system\",result=\"miss\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("mepsim_web_info{version=\"1.7.4\"} 1"), std::string::npos);
}
