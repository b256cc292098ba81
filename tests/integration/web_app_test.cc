// The web container against real MariaDB and Redis: sessions, reports, maintenance mode,
// the banner, the caches across restarts, releases that change the session format or the
// cache namespace, the API, rate limits and failures. Each container is a real
// mepsim-web process; a restart is a new process with the variables then set.

#include "sim/web/maintenance.h"
#include "tests/integration/web_app_fixture.h"

using namespace mepsim;
using namespace mepsim::testing;
using namespace std::chrono_literals;

TEST_F(WebAppTest, LoginSetsSessionCookieAndRedisKeyWithTtl) {
  // A login answers 302 to /bo with an HttpOnly, SameSite=Lax PHPSESSID whose session is
  // the Redis key sf_s<id> with a TTL of at most 1440 s.
  WebContainer web(base_env());
  auto c = web.client();
  auto r = c.Post("/connexion", std::string("email=") + kPartner + "&password=" + kPassword,
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->get_header_value("Location"), "/bo");
  const std::string set_cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("httponly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("samesite=lax"), std::string::npos) << set_cookie;
  const std::string id = cookie_value(r, "PHPSESSID");
  ASSERT_EQ(id.size(), 32u);
  auto ttl = redis().command({"TTL", "sf_s" + id});
  ASSERT_TRUE(ttl) << ttl.error().message;
  EXPECT_GT(std::stoi(ttl.value()), 1400);
  EXPECT_LE(std::stoi(ttl.value()), 1440);
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 200);
  EXPECT_NE(bo->body.find("id=\"kpi\""), std::string::npos);
}

TEST_F(WebAppTest, WrongPasswordGoesBackToConnexion) {
  // A failed login is a 302 back to /connexion and opens no session.
  WebContainer web(base_env());
  auto c = web.client();
  auto r = c.Post("/connexion", std::string("email=") + kPartner + "&password=wrong",
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->get_header_value("Location").rfind("/connexion", 0), 0u);
  EXPECT_EQ(cookie_value(r, "PHPSESSID"), "");
  auto anonymous = get(web, "/bo");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 302);
  EXPECT_EQ(anonymous->get_header_value("Location"), "/connexion");
}

TEST_F(WebAppTest, LoginChangesTheSessionId) {
  // Session fixation: logging in with a known session id yields another id, and the
  // old one is gone from Redis.
  WebContainer web(base_env());
  const std::string first = login(web, kPartner);
  ASSERT_FALSE(first.empty());
  auto c = web.client();
  auto again = c.Post("/connexion", {{"Cookie", "PHPSESSID=" + first}},
                      std::string("email=") + kAdmin + "&password=" + kPassword,
                      "application/x-www-form-urlencoded");
  const std::string second = cookie_value(again, "PHPSESSID");
  ASSERT_EQ(second.size(), 32u);
  EXPECT_NE(second, first);
  EXPECT_EQ(redis().command({"EXISTS", "sf_s" + first}).value(), "0");
}

TEST_F(WebAppTest, SentReportIsARow) {
  // The public form's two steps write exactly one signalement row, followable by its code.
  WebContainer web(base_env());
  const auto report = send_report(web);
  ASSERT_TRUE(report.contains("reference")) << report.dump();
  auto db = MysqlConnection::open(mysql_->url(), 5s);
  ASSERT_TRUE(db);
  auto rows = db->query("SELECT reference, code_suivi FROM signalement WHERE uuid = '" +
                        report["uuid"].get<std::string>() + "'");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0][0], report["reference"].get<std::string>());
  auto follow = get(web, "/suivre-mon-signalement/" + report["code_suivi"].get<std::string>());
  ASSERT_TRUE(follow);
  EXPECT_EQ(follow->status, 200);
  EXPECT_NE(follow->body.find(report["reference"].get<std::string>()), std::string::npos);
}

TEST_F(WebAppTest, MaintenanceAfterRestartAppliesFactsRules) {
  // MAINTENANCE_ENABLE=1 then a restart: the API answers 503 with the exact body, the
  // public form sends home, a partner is logged out, an admin keeps the back-office.
  WebContainer web(base_env());
  const std::string partner = login(web, kPartner);
  const std::string admin = login(web, kAdmin);
  ASSERT_FALSE(partner.empty());
  ASSERT_FALSE(admin.empty());
  ASSERT_TRUE(web.restart({{"MAINTENANCE_ENABLE", "1"}})) << web.log();

  auto api = get(web, "/api/signalements");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503);
  EXPECT_EQ(api->body, web::kMaintenanceApiBody);
  auto form = get(web, "/signalement");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 302);
  EXPECT_EQ(form->get_header_value("Location"), "/");
  auto partner_bo = get(web, "/bo", "PHPSESSID=" + partner);
  ASSERT_TRUE(partner_bo);
  EXPECT_EQ(partner_bo->status, 302);
  EXPECT_EQ(partner_bo->get_header_value("Location"), "/logout");
  auto admin_bo = get(web, "/bo", "PHPSESSID=" + admin);
  ASSERT_TRUE(admin_bo);
  EXPECT_EQ(admin_bo->status, 200);
  auto doc = get(web, "/api/doc");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 200);
}

TEST_F(WebAppTest, ListenerBeforeFirewallNeverLogsOut) {
  // With the real app's listener order, the listener sees no user: a partner keeps the
  // back-office during maintenance (the risk FACTS.md infers from the priorities).
  WebEnv env = base_env();
  env["MEPSIM_MAINTENANCE_LISTENER"] = "before_firewall";
  WebContainer web(env);
  const std::string partner = login(web, kPartner);
  ASSERT_FALSE(partner.empty());
  ASSERT_TRUE(web.restart({{"MAINTENANCE_ENABLE", "1"}}));
  auto bo = get(web, "/bo", "PHPSESSID=" + partner);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 200);
}

TEST_F(WebAppTest, BannerShowsTheMessageWhenEnabled) {
  // The banner carries the message on every page; dismissible unless maintenance is on.
  WebEnv env = base_env();
  env["MAINTENANCE_BANNER_ENABLE"] = "1";
  env["MAINTENANCE_BANNER_MESSAGE"] = "Mise en production ce soir à 20h";
  WebContainer web(env);
  auto home = get(web, "/");
  ASSERT_TRUE(home);
  EXPECT_NE(home->body.find("id=\"maintenance-banner\""), std::string::npos);
  EXPECT_NE(home->body.find("Mise en production ce soir à 20h"), std::string::npos);
  EXPECT_NE(home->body.find("maintenanceBannerShow"), std::string::npos) << "dismissible";
  auto dismissed = get(web, "/connexion", "maintenanceBannerShow=false");
  ASSERT_TRUE(dismissed);
  EXPECT_EQ(dismissed->body.find("maintenance-banner"), std::string::npos);

  ASSERT_TRUE(web.restart({{"MAINTENANCE_ENABLE", "1"}}));
  auto forced = get(web, "/connexion", "maintenanceBannerShow=false");
  ASSERT_TRUE(forced);
  EXPECT_NE(forced->body.find("id=\"maintenance-banner\""), std::string::npos);
  EXPECT_EQ(forced->body.find("Masquer le message"), std::string::npos) << "not dismissible";

  ASSERT_TRUE(web.restart({{"MAINTENANCE_BANNER_ENABLE", "0"}}));
  auto maintenance_alone = get(web, "/");
  ASSERT_TRUE(maintenance_alone);
  EXPECT_EQ(maintenance_alone->body.find("maintenance-banner"), std::string::npos);
}

TEST_F(WebAppTest, SessionsSurviveARestart) {
  // Sessions live in Redis: a new container process serves the same logged-in user.
  WebContainer web(base_env());
  const std::string id = login(web, kPartner);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(web.restart());
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 200);
}

TEST_F(WebAppTest, ProcessCacheColdAfterRestartRedisCacheWarm) {
  // After a restart the per-process cache starts empty while the Redis cache still hits.
  WebContainer web(base_env());
  const std::string id = login(web, kAdmin);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(get(web, "/bo", "PHPSESSID=" + id));
  auto warm = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(warm);
  EXPECT_EQ(warm->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(warm->get_header_value("X-Cache-System"), "hit");
  ASSERT_TRUE(web.restart());
  auto after = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(after->get_header_value("X-Cache-System"), "miss");
  auto metrics = get(web, "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(
      metrics->body.find("mepsim_web_cache_requests_total{pool=\"system\",result=\"miss\"} 1"),
      std::string::npos)
      << metrics->body;
}

TEST_F(WebAppTest, AReportInvalidatesTheDashboardCounts) {
  // Writing a report drops the cached KPI counts: the next dashboard misses and counts it.
  WebContainer web(base_env());
  const std::string id = login(web, kAdmin);
  ASSERT_TRUE(get(web, "/bo", "PHPSESSID=" + id));
  auto before = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->get_header_value("X-Cache"), "hit");
  send_report(web);
  auto after = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->get_header_value("X-Cache"), "miss");
}

TEST_F(WebAppTest, NewSessionFormatLogsUsersOut) {
  // A release whose session format changed cannot read older sessions: back to /connexion.
  WebContainer web(base_env());
  const std::string id = login(web, kPartner);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(web.restart({{"MEPSIM_RELEASE", "version: \"1.7.4\"\nsession_format: 2\n"}}));
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 302);
  EXPECT_EQ(bo->get_header_value("Location"), "/connexion");
}

TEST_F(WebAppTest, NewCacheNamespaceStartsCold) {
  // A release with a new cache namespace misses the Redis cache the old one warmed.
  WebContainer web(base_env());
  const std::string id = login(web, kAdmin);
  ASSERT_TRUE(get(web, "/bo", "PHPSESSID=" + id));
  ASSERT_TRUE(web.restart({{"MEPSIM_RELEASE", "version: \"1.7.4\"\ncache_namespace: v2\n"}}));
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 200);
  EXPECT_EQ(bo->get_header_value("X-Cache"), "miss");
}

TEST_F(WebAppTest, RememberMeReopensASessionUntilTheSecretRotates) {
  // The remember-me cookie opens a new session when the old one is gone; rotating
  // APP_SECRET invalidates it.
  WebContainer web(base_env());
  auto c = web.client();
  auto r = c.Post("/connexion",
                  std::string("email=") + kPartner + "&password=" + kPassword + "&_remember_me=on",
                  "application/x-www-form-urlencoded");
  const std::string remember = cookie_value(r, "REMEMBERME");
  ASSERT_FALSE(remember.empty());
  auto bo = get(web, "/bo", "REMEMBERME=" + remember);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 200);
  EXPECT_EQ(cookie_value(bo, "PHPSESSID").size(), 32u);
  ASSERT_TRUE(web.restart({{"APP_SECRET", "rotated-secret"}}));
  auto rotated = get(web, "/bo", "REMEMBERME=" + remember);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->status, 302);
}

TEST_F(WebAppTest, ApiTokenGuardsTheSignalements) {
  // An API user trades credentials for a token; requests without it are 401; a
  // back-office user gets no token.
  WebContainer web(base_env());
  auto c = web.client();
  auto login =
      c.Post("/api/login", nlohmann::json{{"email", kApiUser}, {"password", kPassword}}.dump(),
             "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string token = nlohmann::json::parse(login->body)["token"].get<std::string>();
  auto list = c.Get("/api/signalements", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(list->body).is_array());
  auto created = c.Post("/api/signalements", {{"Authorization", "Bearer " + token}}, kDraft,
                        "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  auto anonymous = c.Get("/api/signalements");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto partner =
      c.Post("/api/login", nlohmann::json{{"email", kPartner}, {"password", kPassword}}.dump(),
             "application/json");
  ASSERT_TRUE(partner);
  EXPECT_EQ(partner->status, 401);
}

TEST_F(WebAppTest, ApiRateLimitAnswers429WithItsHeaders) {
  // The 61st API request of a minute from one address is a 429 with Retry-After and the
  // X-RateLimit headers; another address is not affected.
  WebEnv env = base_env();
  env["MEPSIM_RATE_LIMITS"] = "on";
  WebContainer web(env);
  auto c = web.client();
  const httplib::Headers from = {{"X-Forwarded-For", "203.0.113.7"}};
  int refused = 0;
  httplib::Response last;
  for (int i = 0; i < 61; ++i) {
    auto r = c.Get("/api/signalements", from);
    ASSERT_TRUE(r);
    last = r.value();
    if (last.status == 429) ++refused;
  }
  // The window may roll over during the loop: at most one refusal, and if none, the
  // counter must still show the requests counted.
  if (refused == 1) {
    EXPECT_EQ(last.status, 429);
    EXPECT_FALSE(last.get_header_value("Retry-After").empty());
    EXPECT_EQ(last.get_header_value("X-RateLimit-Limit"), "60");
    EXPECT_EQ(last.get_header_value("X-RateLimit-Remaining"), "0");
  } else {
    EXPECT_EQ(refused, 0);
    EXPECT_LT(std::stoi(last.get_header_value("X-RateLimit-Remaining")), 60);
  }
  auto other = c.Get("/api/signalements", {{"X-Forwarded-For", "203.0.113.8"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 401);
}

TEST_F(WebAppTest, RedisDownKeepsPublicPagesUp) {
  // With its Redis gone, a container answers 503 on logged-in pages and still serves the
  // public ones.
  Rng rng(9);
  auto own_redis = RedisServer::start({}, clock_, rng);
  ASSERT_TRUE(own_redis);
  WebEnv env = base_env();
  env["REDIS_URL"] = own_redis.value()->url().str();
  WebContainer web(env);
  const std::string id = login(web, kPartner);
  ASSERT_FALSE(id.empty());
  own_redis.value().reset();
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 503);
  auto home = get(web, "/", "PHPSESSID=" + id);
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  auto form = get(web, "/signalement");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
}

TEST_F(WebAppTest, PlantedFaultAnswers500) {
  // A release planting an error rate of 1 on /bo answers 500 there and nowhere else.
  WebEnv env = base_env();
  env["MEPSIM_RELEASE"] = "version: \"1.7.4\"\nfaults:\n  - route: /bo\n    error_rate: 1\n";
  WebContainer web(env);
  const std::string id = login(web, kAdmin);
  ASSERT_FALSE(id.empty());
  auto bo = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(bo);
  EXPECT_EQ(bo->status, 500);
  auto home = get(web, "/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
}

TEST_F(WebAppTest, ReportOutsideAnyDepartmentIsRefusedNotFailed) {
  // A postcode of no French department is the sender's mistake: 400 naming the field,
  // no row, no 500.
  WebContainer web(base_env());
  auto c = web.client();
  std::string draft = kDraft;
  draft.replace(draft.find("13001"), 5, "00001");
  auto created = c.Post("/signalement-draft/new", draft, "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201);
  const auto uuid = nlohmann::json::parse(created->body)["uuid"].get<std::string>();
  auto sent = c.Post("/signalement-draft/" + uuid + "/send", "", "application/json");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 400) << sent->body;
  EXPECT_NE(sent->body.find("adresse_logement_adresse_detail_code_postal"), std::string::npos);
}

TEST_F(WebAppTest, FiveFailedLoginsThrottleTheSixth) {
  // After 5 failed logins a minute from one address for one email, even the right
  // password is refused; another email from the same address is not.
  WebEnv env = base_env();
  env["MEPSIM_RATE_LIMITS"] = "on";
  WebContainer web(env);
  auto c = web.client();
  const httplib::Headers from = {{"X-Forwarded-For", "198.51.100.4"}};
  const auto attempt = [&](const std::string& email, const std::string& password) {
    auto r = c.Post("/connexion", from, "email=" + email + "&password=" + password,
                    "application/x-www-form-urlencoded");
    return r ? r->get_header_value("Location") : std::string("no answer");
  };
  for (int i = 0; i < 5; ++i) attempt(kPartner, "wrong");
  const std::string throttled = attempt(kPartner, kPassword);
  // The minute may have turned during the attempts: then the sixth is a fresh first try.
  EXPECT_TRUE(throttled == "/connexion?error=throttled" || throttled == "/bo") << throttled;
  EXPECT_EQ(attempt(kAdmin, kPassword), "/bo");
}

TEST_F(WebAppTest, WarmDashboardIsOneRedisRoundTrip) {
  // Once a container knows a session's scope, a dashboard with a warm cache reads the
  // session and the KPI counts in one Redis round trip (4 commands), and still hits.
  WebContainer web(base_env());
  const std::string id = login(web, kPartner);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(get(web, "/bo", "PHPSESSID=" + id));
  ASSERT_TRUE(get(web, "/bo", "PHPSESSID=" + id));
  const auto counter = [&](const std::string& name) {
    auto metrics = get(web, "/metrics");
    const auto at = metrics ? metrics->body.find("\n" + name + " ") : std::string::npos;
    return at == std::string::npos ? -1L : std::stol(metrics->body.substr(at + name.size() + 2));
  };
  const long trips = counter("mepsim_web_redis_round_trips_total");
  const long commands = counter("mepsim_web_redis_commands_total");
  auto warm = get(web, "/bo", "PHPSESSID=" + id);
  ASSERT_TRUE(warm);
  EXPECT_EQ(warm->status, 200);
  EXPECT_EQ(warm->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(counter("mepsim_web_redis_round_trips_total") - trips, 1);
  EXPECT_EQ(counter("mepsim_web_redis_commands_total") - commands, 4);
}
