// The web container's MySQL layer against a real MariaDB: migrations, fixtures, the
// report transactions under concurrency, and a server that goes away.

#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <thread>

#include "sim/web/app_database.h"
#include "sim/web/fixtures.h"
#include "sim/web/password_hash.h"
#include "sim/web/schema_migrations.h"
#include "tests/integration/web_database_fixture.h"

using namespace mepsim;
using namespace mepsim::web;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPassword = "fixture-password";

class WebDatabase : public mepsim::testing::WebDatabaseSuite {
 protected:
  // A migrated database, with the fixtures when asked.
  MysqlUrl prepared_database(bool with_fixtures) {
    const MysqlUrl url = fresh_database();
    auto db = connect(url);
    const auto run = migrate(db, {}, clock_);
    EXPECT_FALSE(run.failure) << run.failure->message;
    if (with_fixtures) {
      auto loaded = load_fixtures(db, kPassword, default_scenario_start());
      EXPECT_TRUE(loaded) << loaded.error().message;
    }
    return url;
  }

  static AppDatabase open_app(const MysqlUrl& url) {
    auto app = AppDatabase::open(url, 5s);
    if (!app) ADD_FAILURE() << app.error().message;
    return std::move(app.value());
  }

  static SignalementInput marseille_input() {
    SignalementInput input;
    input.address = "12 rue de la République";
    input.postcode = "13001";
    input.city = "Marseille";
    input.occupant_email = "occupant@example.org";
    input.occupant_name = "Dupont";
    input.profile = "locataire";
    input.payload_json = R"({"adresse":"12 rue de la République"})";
    input.latitude = 43.2965;
    input.longitude = 5.3698;
    return input;
  }
};

}  // namespace

TEST_F(WebDatabase, MigrateCreatesTheTablesAndRecordsEachVersionOnce) {
  // A first migrate creates every app table and one doctrine_migration_versions row per
  // built-in migration, under Doctrine's name for it.
  const MysqlUrl url = fresh_database();
  auto db = connect(url);
  const auto run = migrate(db, {}, clock_);
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_EQ(run.executed.size(), builtin_migrations().size());
  for (std::string table : app_tables()) {
    std::erase(table, '`');
    EXPECT_EQ(number(db,
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? "
                     "AND table_name = ? AND engine = 'InnoDB'",
                     {url.database, table}),
              1)
        << table;
  }
  for (const auto& migration : builtin_migrations()) {
    EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions WHERE version = ?",
                     {doctrine_version(migration.name)}),
              1)
        << migration.name;
  }
}

TEST_F(WebDatabase, MigrateRerunIsANoOp) {
  // A second migrate applies nothing, records nothing, and says all were applied.
  const MysqlUrl url = prepared_database(false);
  auto db = connect(url);
  const auto before = number(db, "SELECT COUNT(*) FROM doctrine_migration_versions");
  const auto again = migrate(db, {}, clock_);
  ASSERT_FALSE(again.failure) << again.failure->message;
  EXPECT_TRUE(again.executed.empty());
  EXPECT_EQ(again.already_applied, builtin_migrations().size());
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions"), before);
}

TEST_F(WebDatabase, ReleaseNamingABuiltinMigrationListsItOnce) {
  // The seeded releases list the schema's own migrations in their app.yaml: each is the
  // built-in one, applied and listed once; a release's new name is added after them.
  const MysqlUrl url = fresh_database();
  auto db = connect(url);
  std::vector<platform::Migration> release;
  for (const auto& migration : builtin_migrations()) release.push_back({migration.name, false});
  release.push_back({"Version20261126090000", false});
  const auto run = migrate(db, release, clock_);
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_EQ(run.executed.size(), builtin_migrations().size() + 1);
  auto states = migration_status(db, release);
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), builtin_migrations().size() + 1);
  EXPECT_EQ(states->back().version, doctrine_version("Version20261126090000"));
  for (const auto& state : states.value()) EXPECT_TRUE(state.executed_at) << state.version;
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions"),
            static_cast<std::int64_t>(builtin_migrations().size() + 1));
}

TEST_F(WebDatabase, FailingReleaseMigrationStopsUnrecordedEarlierOnesStay) {
  // fails: true stops the run naming the migration; the one before it stays recorded, it
  // and the ones after it are not; a fixed release then applies them.
  const MysqlUrl url = prepared_database(false);
  auto db = connect(url);
  std::vector<platform::Migration> release = {{"Version20260105120000", false},
                                              {"Version20260105130000", true},
                                              {"Version20260105140000", false}};
  const auto run = migrate(db, release, clock_);
  ASSERT_TRUE(run.failure);
  EXPECT_NE(run.failure->message.find("DoctrineMigrations\\Version20260105130000"),
            std::string::npos)
      << run.failure->message;
  EXPECT_EQ(run.executed, std::vector<std::string>{"DoctrineMigrations\\Version20260105120000"});
  const std::string recorded = "SELECT COUNT(*) FROM doctrine_migration_versions WHERE version = ?";
  EXPECT_EQ(number(db, recorded, {"DoctrineMigrations\\Version20260105120000"}), 1);
  EXPECT_EQ(number(db, recorded, {"DoctrineMigrations\\Version20260105130000"}), 0);
  EXPECT_EQ(number(db, recorded, {"DoctrineMigrations\\Version20260105140000"}), 0);

  release[1].fails = false;
  const auto fixed = migrate(db, release, clock_);
  ASSERT_FALSE(fixed.failure) << fixed.failure->message;
  EXPECT_EQ(fixed.executed.size(), 2u);
  EXPECT_EQ(number(db, recorded, {"DoctrineMigrations\\Version20260105140000"}), 1);
}

TEST_F(WebDatabase, FixturesLoadAndAdminLogsIn) {
  // admin-01 is found by email with ROLE_ADMIN and the shared password; a territory admin
  // has the territory of their partner; the inactive user is there, INACTIVE.
  const MysqlUrl url = prepared_database(true);
  auto app = open_app(url);
  auto admin = app.find_user_by_email("admin-01@signal-logement.fr");
  ASSERT_TRUE(admin) << admin.error().message;
  ASSERT_TRUE(admin.value().has_value());
  EXPECT_EQ(admin.value()->roles, std::vector<std::string>{"ROLE_ADMIN"});
  EXPECT_EQ(admin.value()->statut, "ACTIVE");
  EXPECT_TRUE(verify_password(kPassword, admin.value()->password_hash));
  EXPECT_FALSE(verify_password("not-the-password", admin.value()->password_hash));

  auto territory_admin = app.find_user_by_email("admin-territoire-13-01@signal-logement.fr");
  ASSERT_TRUE(territory_admin && territory_admin.value());
  EXPECT_EQ(territory_admin.value()->roles, std::vector<std::string>{"ROLE_ADMIN_TERRITORY"});
  ASSERT_TRUE(territory_admin.value()->territory_id);
  auto territories = app.territories();
  ASSERT_TRUE(territories);
  std::string zip;
  for (const auto& row : territories.value()) {
    if (row[0] == std::to_string(*territory_admin.value()->territory_id)) zip = row[1];
  }
  EXPECT_EQ(zip, "13");

  auto inactive = app.find_user_by_email("user-13-06@signal-logement.fr");
  ASSERT_TRUE(inactive && inactive.value());
  EXPECT_EQ(inactive.value()->statut, "INACTIVE");
  for (const char* email :
       {"user-44-01@signal-logement.fr", "usager-01@signal-logement.fr",
        "api-01@signal-logement.fr", "admin-partenaire-69-01@signal-logement.fr"}) {
    auto user = app.find_user_by_email(email);
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_TRUE(user.value().has_value()) << email;
  }
  auto nobody = app.find_user_by_email("' OR '1'='1");
  ASSERT_TRUE(nobody);
  EXPECT_FALSE(nobody.value().has_value()) << "input must be bound, not spliced";
}

TEST_F(WebDatabase, FixturesReloadIdenticallyAndCountsAreNonZero) {
  // Loading twice writes the same rows (hashes included); every KPI count is non-zero.
  const MysqlUrl url = prepared_database(true);
  auto db = connect(url);
  const std::string snapshot =
      "SELECT GROUP_CONCAT(CONCAT_WS('|', id, uuid, email, password) ORDER BY id) FROM `user`";
  const auto first = db.query(snapshot);
  auto loaded = load_fixtures(db, kPassword, default_scenario_start());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(db.query(snapshot).value(), first.value());
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM signalement"), fixture_signalement_count());
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions"),
            static_cast<long long>(builtin_migrations().size()))
      << "the wipe must leave the migrations recorded";

  auto app = open_app(url);
  const auto kpi = app.kpi_counts(std::nullopt);
  ASSERT_TRUE(kpi) << kpi.error().message;
  EXPECT_EQ(kpi->total, fixture_signalement_count());
  EXPECT_GT(kpi->need_validation, 0);
  EXPECT_GT(kpi->active, 0);
  EXPECT_GT(kpi->closed, 0);
  const auto stats = app.public_statistics();
  ASSERT_TRUE(stats);
  EXPECT_GE(stats->territories, 11);
  auto found = app.find_signalement_by_code_suivi(fixture_code_suivi(0));
  ASSERT_TRUE(found && found.value());
  auto listed = app.list_signalements(found.value()->territory_id, 10, 0);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 4u);
  for (std::size_t i = 1; i < listed->size(); ++i) {
    EXPECT_GE(listed.value()[i - 1].created_at, listed.value()[i].created_at) << "newest first";
  }
}

TEST_F(WebDatabase, SendDraftWritesOneReportAndOneSuivi) {
  // One send: the draft becomes EN_SIGNALEMENT, one report with the year's next reference
  // in the postcode's territory, one suivi; everything read back as written.
  const MysqlUrl url = prepared_database(true);
  auto db = connect(url);
  auto app = open_app(url);
  const Instant now = default_scenario_start() + 1h;
  ASSERT_TRUE(app.insert_draft("draft-1", R"({"step":"adresse"})", now));
  const auto reports = number(db, "SELECT COUNT(*) FROM signalement");
  const auto suivis = number(db, "SELECT COUNT(*) FROM suivi");
  const auto last =
      number(db, "SELECT last_number FROM signalement_reference_counter WHERE `year` = 2026");

  auto sent = app.send_draft("draft-1", marseille_input(), "sig-uuid-1", "code-1", now);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->reference, "2026-" + std::to_string(last + 1));
  EXPECT_EQ(sent->statut, "NEED_VALIDATION");
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM signalement"), reports + 1);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM suivi"), suivis + 1);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM suivi WHERE signalement_id = ?", {sent->id}), 1);
  auto draft = app.find_draft("draft-1");
  ASSERT_TRUE(draft && draft.value());
  EXPECT_EQ(draft.value()->statut, "EN_SIGNALEMENT");

  auto found = app.find_signalement_by_code_suivi("code-1");
  ASSERT_TRUE(found && found.value());
  EXPECT_EQ(found.value()->uuid, "sig-uuid-1");
  EXPECT_EQ(found.value()->address, "12 rue de la République");
  EXPECT_EQ(found.value()->created_at, now);
  EXPECT_EQ(found.value()->territory_id, sent->territory_id);
  auto territory = db.query("SELECT zip FROM territory WHERE id = ?", {sent->territory_id});
  ASSERT_TRUE(territory && territory->size() == 1);
  EXPECT_EQ(territory.value()[0][0], "13");
}

TEST_F(WebDatabase, SecondSendOfADraftIsAConflictWritingNothing) {
  // The draft row is locked and checked: a second send is refused and leaves no trace,
  // the reference counter included.
  const MysqlUrl url = prepared_database(true);
  auto db = connect(url);
  auto app = open_app(url);
  const Instant now = default_scenario_start();
  ASSERT_TRUE(app.insert_draft("draft-2", "{}", now));
  ASSERT_TRUE(app.send_draft("draft-2", marseille_input(), "sig-a", "code-a", now));
  const auto reports = number(db, "SELECT COUNT(*) FROM signalement");
  const auto suivis = number(db, "SELECT COUNT(*) FROM suivi");
  const auto counter = number(db, "SELECT SUM(last_number) FROM signalement_reference_counter");

  auto again = app.send_draft("draft-2", marseille_input(), "sig-b", "code-b", now);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict) << again.error().message;
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM signalement"), reports);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM suivi"), suivis);
  EXPECT_EQ(number(db, "SELECT SUM(last_number) FROM signalement_reference_counter"), counter);

  auto missing = app.send_draft("no-such-draft", marseille_input(), "sig-c", "code-c", now);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  SignalementInput bad = marseille_input();
  bad.postcode = "1300";
  auto refused = app.create_signalement(bad, "sig-d", "code-d", now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_NE(refused.error().message.find("postcode"), std::string::npos);
}

TEST_F(WebDatabase, ConcurrentCreatesOnSeparateConnectionsGetDistinctReferences) {
  // 8 threads x 20 reports, each thread on its own connection, all in a year with no
  // counter row yet: 160 references, all distinct, numbered 1 to 160 with no gap.
  const MysqlUrl url = prepared_database(true);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  const Instant now =
      Instant(std::chrono::sys_days(std::chrono::year{2030} / 3 / 1).time_since_epoch());
  std::vector<std::vector<std::string>> references(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto app = AppDatabase::open(url, 5s);
      if (!app) {
        errors[static_cast<std::size_t>(t)] = app.error().message;
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto made = app->create_signalement(marseille_input(), "uuid-" + id, "code-" + id, now);
        if (!made) {
          errors[static_cast<std::size_t>(t)] = made.error().message;
          return;
        }
        references[static_cast<std::size_t>(t)].push_back(made->reference);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[static_cast<std::size_t>(t)], "") << "thread " << t;
    distinct.insert(references[static_cast<std::size_t>(t)].begin(),
                    references[static_cast<std::size_t>(t)].end());
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (int n = 1; n <= kThreads * kPerThread; ++n) {
    EXPECT_TRUE(distinct.contains("2030-" + std::to_string(n))) << n;
  }
  auto db = connect(url);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM signalement WHERE reference LIKE '2030-%'"),
            kThreads * kPerThread);
  EXPECT_EQ(number(db,
                   "SELECT COUNT(*) FROM suivi s JOIN signalement r ON r.id = s.signalement_id "
                   "WHERE r.reference LIKE '2030-%'"),
            kThreads * kPerThread);
}

TEST_F(WebDatabase, StatementsAreCountedAndTokensExpire) {
  // queries() grows with every statement; an API token finds its user until it expires.
  const MysqlUrl url = prepared_database(true);
  auto app = open_app(url);
  EXPECT_EQ(app.queries(), 0u);
  auto api = app.find_user_by_email("api-01@signal-logement.fr");
  ASSERT_TRUE(api && api.value());
  EXPECT_EQ(app.queries(), 1u);
  const Instant now = default_scenario_start();
  ASSERT_TRUE(app.create_api_token(api.value()->id, "token-1", now + 1h));
  ASSERT_TRUE(app.record_login(api.value()->id, now));
  auto valid = app.find_api_token_user("token-1", now + 59min);
  ASSERT_TRUE(valid);
  ASSERT_TRUE(valid.value().has_value());
  EXPECT_EQ(valid.value()->email, "api-01@signal-logement.fr");
  auto expired = app.find_api_token_user("token-1", now + 1h);
  ASSERT_TRUE(expired);
  EXPECT_FALSE(expired.value().has_value());
  EXPECT_EQ(app.queries(), 5u);
  auto duplicate = app.create_api_token(api.value()->id, "token-1", now + 2h);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);
  ASSERT_TRUE(app.record_job_event({std::nullopt, "mail", "send", "failed", "Brevo 500"}, now));
  const auto sent_before = app.queries();
  ASSERT_TRUE(app.create_signalement(marseille_input(), "u-count", "c-count", now));
  EXPECT_GE(app.queries() - sent_before, 7u)
      << "begin, counter, id, territory, insert, suivi, commit";
}

TEST_F(WebDatabase, KilledConnectionIsUnavailableThenReconnects) {
  // A connection the server kills is `unavailable` once (a 503), and the next call
  // reconnects by itself: a web thread recovers without a restart.
  const MysqlUrl url = prepared_database(true);
  auto app = open_app(url);
  ASSERT_TRUE(app.kpi_counts(std::nullopt));
  auto admin = connect(url);
  const auto id = number(admin,
                         "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> "
                         "CONNECTION_ID() ORDER BY ID DESC LIMIT 1",
                         {url.database});
  ASSERT_GT(id, 0);
  ASSERT_TRUE(admin.execute("KILL CONNECTION " + std::to_string(id)));
  auto lost = app.kpi_counts(std::nullopt);
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::unavailable) << lost.error().message;
  auto back = app.kpi_counts(std::nullopt);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->total, fixture_signalement_count());
}

TEST(WebDatabaseOutage, KilledOrUnreachableServerIsUnavailable) {
  // A server that dies under an open connection, and one nobody listens for, are both
  // ErrorCode::unavailable: what the web app turns into a 503.
  RealClock clock;
  Rng rng(11);
  auto server = MariadbServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const MysqlUrl url = server.value()->url();
  auto app = AppDatabase::open(url, 5s);
  ASSERT_TRUE(app) << app.error().message;
  ASSERT_EQ(::kill(server.value()->pid(), SIGKILL), 0);
  server.value()->stop();
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto gone = app->kpi_counts(std::nullopt);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::unavailable) << gone.error().message;
  }
  auto never = AppDatabase::open(url, 2s);
  ASSERT_FALSE(never);
  EXPECT_EQ(never.error().code, ErrorCode::unavailable) << never.error().message;
  EXPECT_EQ(never.error().message.find(url.password), std::string::npos) << "no secret in errors";
}
