// `mepsim-web console …` as the postdeploy hook, one-off containers and crons run it: a
// real process against a real MariaDB, judged by its exit code and what it prints.

#include <gtest/gtest.h>

#include "sim/platform/release_manifest.h"
#include "sim/web/app_database.h"
#include "sim/web/password_hash.h"
#include "tests/integration/mepsim_process.h"
#include "tests/integration/web_database_fixture.h"

using namespace mepsim;
using namespace std::chrono_literals;

namespace {

class WebConsole : public mepsim::testing::WebDatabaseSuite {
 protected:
  // Runs the console with exactly these variables (and the sanitizers' own, so that an
  // ASan build reads its suppressions); stdin is empty, as on a one-off without a TTY.
  static mepsim::testing::CommandResult console(const std::string& env, const std::string& args) {
    return mepsim::testing::run_shell(
        "env -i PATH=\"$PATH\" ASAN_OPTIONS=\"$ASAN_OPTIONS\" LSAN_OPTIONS=\"$LSAN_OPTIONS\" "
        "UBSAN_OPTIONS=\"$UBSAN_OPTIONS\" " +
        env + " " MEPSIM_WEB_BINARY " console " + args + " </dev/null 2>&1");
  }
  static std::string database_env(const MysqlUrl& url) {
    return "DATABASE_URL='" + url.str() + "'";
  }
};

}  // namespace

TEST_F(WebConsole, MigrateExitsZeroThenIsAlreadyAtTheLatestVersion) {
  // The postdeploy hook's command migrates a fresh database, and a rerun says so.
  const MysqlUrl url = fresh_database();
  const auto first = console(database_env(url), "doctrine:migrations:migrate --no-interaction");
  EXPECT_EQ(first.code, 0) << first.output;
  EXPECT_NE(first.output.find("[OK] Successfully migrated to version"), std::string::npos)
      << first.output;
  const auto again = console(database_env(url), "doctrine:migrations:migrate --no-interaction");
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("[OK] Already at the latest version"), std::string::npos)
      << again.output;
  const auto status = console(database_env(url), "doctrine:migrations:status");
  EXPECT_EQ(status.code, 0) << status.output;
  EXPECT_NE(status.output.find("New: 0"), std::string::npos) << status.output;
}

TEST_F(WebConsole, FailingReleaseMigrationExitsOneNamingIt) {
  // A release whose migration fails makes the hook fail (exit 1) with the migration named.
  const MysqlUrl url = fresh_database();
  platform::ReleaseManifest release;
  release.version = "1.7.4";
  release.migrations = {{"Version20260105120000", false}, {"Version20260105130000", true}};
  const std::string env =
      database_env(url) + " MEPSIM_RELEASE='" + platform::to_yaml(release) + "'";
  const auto run = console(env, "doctrine:migrations:migrate --no-interaction");
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("Migration DoctrineMigrations\\Version20260105130000 failed"),
            std::string::npos)
      << run.output;
  auto db = connect(url);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions WHERE version LIKE ?",
                   {"%Version2026010512%"}),
            1);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM doctrine_migration_versions WHERE version LIKE ?",
                   {"%Version2026010513%"}),
            0);
}

TEST_F(WebConsole, FixturesNeedAPasswordThenLoadUsersWhoCanLogIn) {
  // doctrine:fixtures:load without MEPSIM_FIXTURE_PASSWORD fails; with it, admin-01 has it.
  const MysqlUrl url = fresh_database();
  ASSERT_EQ(console(database_env(url), "doctrine:migrations:migrate -n").code, 0);
  const auto refused = console(database_env(url), "doctrine:fixtures:load --no-interaction");
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("MEPSIM_FIXTURE_PASSWORD"), std::string::npos) << refused.output;
  const auto loaded = console(database_env(url) + " MEPSIM_FIXTURE_PASSWORD=s3cret",
                              "doctrine:fixtures:load --no-interaction");
  EXPECT_EQ(loaded.code, 0) << loaded.output;
  EXPECT_EQ(loaded.output.find("s3cret"), std::string::npos) << "the password is never printed";
  auto app = web::AppDatabase::open(url, 5s);
  ASSERT_TRUE(app) << app.error().message;
  auto admin = app->find_user_by_email("admin-01@signal-logement.fr");
  ASSERT_TRUE(admin && admin.value());
  EXPECT_TRUE(web::verify_password("s3cret", admin.value()->password_hash));
}

TEST_F(WebConsole, CronJobRefusesDuringMaintenanceAndRecordsItsRunOtherwise) {
  // app:send-daily-emails exits 1 while MAINTENANCE_ENABLE=1, writing nothing; without
  // maintenance it exits 0 and leaves a job_event.
  const MysqlUrl url = fresh_database();
  ASSERT_EQ(console(database_env(url), "doctrine:migrations:migrate -n").code, 0);
  const auto refused =
      console(database_env(url) + " MAINTENANCE_ENABLE=1", "app:send-daily-emails");
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("maintenance"), std::string::npos) << refused.output;
  auto db = connect(url);
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM job_event"), 0);
  const auto ran = console(database_env(url) + " MAINTENANCE_ENABLE=0", "app:send-daily-emails");
  EXPECT_EQ(ran.code, 0) << ran.output;
  EXPECT_NE(ran.output.find("[OK] app:send-daily-emails"), std::string::npos) << ran.output;
  EXPECT_EQ(number(db, "SELECT COUNT(*) FROM job_event WHERE action = 'app:send-daily-emails'"), 1);
}

TEST_F(WebConsole, MissingDatabaseUrlAndUnknownCommandsAreClearErrors) {
  // Without DATABASE_URL a doctrine command fails (1) saying so; an unknown command is 2
  // with the list of known ones.
  const auto no_url = console("", "doctrine:migrations:migrate --no-interaction");
  EXPECT_EQ(no_url.code, 1) << no_url.output;
  EXPECT_NE(no_url.output.find("DATABASE_URL"), std::string::npos) << no_url.output;
  const auto unknown = console("", "app:no-such-job");
  EXPECT_EQ(unknown.code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("app:retry-failed-emails"), std::string::npos) << unknown.output;
  const auto unreachable =
      console("DATABASE_URL='mysql://u:p@127.0.0.1:1/x'", "app:monitor-messenger-queues");
  EXPECT_EQ(unreachable.code, 1) << unreachable.output;
}
