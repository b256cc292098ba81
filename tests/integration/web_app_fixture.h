#pragma once
// The web container suites' shared setup: one MariaDB and one Redis for the suite, the
// schema migrated and the fixtures loaded through `mepsim-web console`, and helpers that
// log in, read pages and send reports as a browser would.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"
#include "tests/integration/web_container.h"

namespace mepsim::testing {

using namespace std::chrono_literals;

inline constexpr const char* kPassword = "mepsim-fixture-password";
inline constexpr const char* kAdmin = "admin-01@signal-logement.fr";
inline constexpr const char* kPartner = "user-13-01@signal-logement.fr";
inline constexpr const char* kApiUser = "api-01@signal-logement.fr";

inline const char* kDraft = R"({"adresse_logement_adresse":"12 rue de la République",)"
                            R"("adresse_logement_adresse_detail_code_postal":"13001",)"
                            R"("adresse_logement_adresse_detail_commune":"Marseille",)"
                            R"("vos_coordonnees_occupant_email":"occupant@example.org",)"
                            R"("vos_coordonnees_occupant_nom":"Martin","profil":"locataire"})";

class WebAppTest : public ::testing::Test {
 public:
  static void migrate_and_load(const WebEnv& env) {
    auto [migrated, migrate_out] =
        run_web_console(env, "doctrine:migrations:migrate --no-interaction");
    ASSERT_EQ(migrated, 0) << migrate_out;
    auto [loaded, load_out] = run_web_console(env, "doctrine:fixtures:load --no-interaction");
    ASSERT_EQ(loaded, 0) << load_out;
  }

 protected:
  static void SetUpTestSuite() {
    Rng rng(4);
    auto mysql = MariadbServer::start({}, clock_, rng);
    ASSERT_TRUE(mysql) << mysql.error().message;
    mysql_ = std::move(mysql.value());
    auto redis = RedisServer::start({}, clock_, rng);
    ASSERT_TRUE(redis) << redis.error().message;
    redis_ = std::move(redis.value());
    migrate_and_load(base_env());
  }
  static void TearDownTestSuite() {
    redis_.reset();
    mysql_.reset();
  }

  static WebEnv base_env() {
    return {{"DATABASE_URL", mysql_->url().str()},
            {"REDIS_URL", redis_->url().str()},
            {"APP_SECRET", "test-secret"},
            {"APP_VERSION", "1.7.3"},
            {"MEPSIM_FIXTURE_PASSWORD", kPassword},
            {"MEPSIM_RATE_LIMITS", "off"},
            {"MEPSIM_WEB_THREADS", "2"}};
  }

  static RedisConnection redis() {
    auto c = RedisConnection::open(redis_->url(), 2s);
    EXPECT_TRUE(c) << c.error().message;
    return std::move(c.value());
  }

  // Logs in through the form; the PHPSESSID it got, or "" when refused.
  static std::string login(const WebContainer& web, const std::string& email,
                           const std::string& extra = "") {
    auto c = web.client();
    auto r = c.Post("/connexion", "email=" + email + "&password=" + kPassword + extra,
                    "application/x-www-form-urlencoded");
    if (!r || r->status != 302 || r->get_header_value("Location") != "/bo") return "";
    return cookie_value(r, "PHPSESSID");
  }

  static httplib::Result get(const WebContainer& web, const std::string& path,
                             const std::string& cookie = "") {
    auto c = web.client();
    httplib::Headers headers;
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    return c.Get(path, headers);
  }

  // A report through the public form: its {"uuid","reference","code_suivi"}.
  static nlohmann::json send_report(const WebContainer& web) {
    auto c = web.client();
    auto draft = c.Post("/signalement-draft/new", kDraft, "application/json");
    EXPECT_TRUE(draft && draft->status == 201) << (draft ? draft->body : "no answer");
    if (!draft || draft->status != 201) return {};
    const auto uuid = nlohmann::json::parse(draft->body)["uuid"].get<std::string>();
    auto sent = c.Post("/signalement-draft/" + uuid + "/send", "", "application/json");
    EXPECT_TRUE(sent && sent->status == 201) << (sent ? sent->body : "no answer");
    if (!sent || sent->status != 201) return {};
    return nlohmann::json::parse(sent->body);
  }

  static inline RealClock clock_;
  static inline std::unique_ptr<MariadbServer> mysql_;
  static inline std::unique_ptr<RedisServer> redis_;
};

}  // namespace mepsim::testing
