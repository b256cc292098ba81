// The built-in migrations, the fixtures' fixed values and the console's refusals: what can
// be checked without a server.

#include "sim/web/schema_migrations.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "sim/web/app_jobs.h"
#include "sim/web/console.h"
#include "sim/web/fixtures.h"

using namespace mepsim::web;

namespace {

std::string created_table(const std::string& statement) {
  static const std::regex kCreate(R"(^CREATE TABLE IF NOT EXISTS (`?\w+`?) \()");
  std::smatch match;
  return std::regex_search(statement, match, kCreate) ? match.str(1) : std::string();
}

}  // namespace

TEST(SchemaMigrations, NamesAreDoctrineVersionsStrictlyIncreasing) {
  // VersionYYYYMMDDhhmmss, unique and in order: Doctrine runs them by name.
  const auto& migrations = builtin_migrations();
  ASSERT_FALSE(migrations.empty());
  static const std::regex kName(R"(^Version\d{14}$)");
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_TRUE(std::regex_match(migrations[i].name, kName)) << migrations[i].name;
    EXPECT_FALSE(migrations[i].statements.empty()) << migrations[i].name;
    if (i > 0) {
      EXPECT_LT(migrations[i - 1].name, migrations[i].name);
    }
  }
}

TEST(SchemaMigrations, EveryStatementIsSafeToRunAgain) {
  // DDL commits implicitly: each statement must survive a rerun after a crash.
  for (const auto& migration : builtin_migrations()) {
    for (const auto& statement : migration.statements) {
      EXPECT_FALSE(created_table(statement).empty()) << statement;
      EXPECT_NE(statement.find("utf8mb4"), std::string::npos) << statement;
      EXPECT_NE(statement.find("InnoDB"), std::string::npos) << statement;
    }
  }
}

TEST(SchemaMigrations, CreateExactlyTheAppTables) {
  // The tables created are the ones the fixtures wipe, each once, FACTS.md's among them.
  std::multiset<std::string> created;
  for (const auto& migration : builtin_migrations()) {
    for (const auto& statement : migration.statements) created.insert(created_table(statement));
  }
  const std::multiset<std::string> wiped(app_tables().begin(), app_tables().end());
  EXPECT_EQ(created, wiped);
  for (const char* table :
       {"territory", "partner", "`user`", "user_partner", "signalement", "signalement_draft",
        "affectation", "suivi", "notification", "job_event", "api_user_token"}) {
    EXPECT_EQ(wiped.count(table), 1u) << table;
  }
  EXPECT_EQ(wiped.count("doctrine_migration_versions"), 0u);
}

TEST(SchemaMigrations, VersionsAreRecordedWithDoctrinesNamespace) {
  // Doctrine records the migration class, namespace included.
  EXPECT_EQ(doctrine_version("Version20260105120000"), "DoctrineMigrations\\Version20260105120000");
}

TEST(Fixtures, CodesDeSuiviAreDistinctAndStable) {
  // Tests type these codes: 32 hex digits, one per report, the same on every call.
  std::set<std::string> codes;
  static const std::regex kHex("^[0-9a-f]{32}$");
  for (int i = 0; i < fixture_signalement_count(); ++i) {
    const auto code = fixture_code_suivi(i);
    EXPECT_TRUE(std::regex_match(code, kHex)) << code;
    EXPECT_EQ(code, fixture_code_suivi(i));
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), static_cast<std::size_t>(fixture_signalement_count()));
  EXPECT_GE(fixture_signalement_count(), 24);
}

TEST(AppJobs, FourteenCronJobsWithUniqueNames) {
  // cron.json's fourteen jobs are all there, named app:*, each once.
  std::set<std::string> names;
  std::size_t scheduled = 0;
  for (const auto& job : app_jobs()) {
    EXPECT_EQ(job.name.rfind("app:", 0), 0u) << job.name;
    EXPECT_TRUE(names.insert(job.name).second) << job.name;
    if (!job.schedule.empty()) ++scheduled;
  }
  EXPECT_EQ(scheduled, 14u);
  for (const char* name :
       {"app:retry-failed-emails", "app:send-suivi-waiting-notification-and-delayed",
        "app:monitor-messenger-queues", "app:send-daily-emails"}) {
    EXPECT_NE(find_app_job(name), nullptr) << name;
  }
  EXPECT_EQ(find_app_job("app:no-such-job"), nullptr);
}

TEST(Console, UnknownCommandOrOptionIsExitTwo) {
  // What bin/console does not know is refused before any configuration is read.
  EXPECT_EQ(run_console({"app:no-such-job"}), 2);
  EXPECT_EQ(run_console({"doctrine:migrations:migrate", "--bogus"}), 2);
  EXPECT_EQ(run_console({"doctrine:migrations:migrate", "extra", "--no-interaction"}), 2);
}
