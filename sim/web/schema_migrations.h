#pragma once
// The app's schema as Doctrine migrations: a built-in list that creates the tables of
// FACTS.md, then the release's own migrations (release_manifest.h), which carry no DDL
// here and are only recorded. Each applied version is a row of
// `doctrine_migration_versions`, named as Doctrine names it ("DoctrineMigrations\Version…").
//
// MySQL commits DDL implicitly, so a migration cannot be rolled back: every built-in
// statement is safe to run again (CREATE TABLE IF NOT EXISTS), and a run that crashed
// between a migration's DDL and its record simply runs it again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/platform/release_manifest.h"

namespace mepsim::web {

struct SchemaMigration {
  std::string name;                     // "Version20260105090000"
  std::string description;              // what `doctrine:migrations:status` shows
  std::vector<std::string> statements;  // DDL, each safe to run twice
};

// The built-in schema, oldest first; names strictly increasing.
const std::vector<SchemaMigration>& builtin_migrations();
// The tables the fixtures wipe: every table of the schema but doctrine_migration_versions.
const std::vector<std::string>& app_tables();
// "DoctrineMigrations\Version20260105090000": the version as Doctrine records it.
std::string doctrine_version(const std::string& name);

struct MigrationRun {
  std::vector<std::string> executed;  // versions this run applied, in order
  std::size_t already_applied = 0;    // versions skipped as already recorded
  // Recorded versions that neither list knows (a release rolled back to an older one):
  // Doctrine warns about them and goes on.
  std::vector<std::string> unknown_applied;
  std::uint64_t statements = 0;  // SQL statements sent
  std::optional<Error> failure;  // why the run stopped; later migrations were not tried
};

// Applies what is not recorded yet: the built-in list, then `release` in its order. A
// failing migration is not recorded; the ones before it stay recorded.
MigrationRun migrate(MysqlConnection& db, const std::vector<platform::Migration>& release,
                     const Clock& clock);

struct MigrationState {
  std::string version;  // as Doctrine records it
  std::string description;
  std::optional<std::string> executed_at;  // empty: pending
};

// Every known migration in order, applied or pending: `doctrine:migrations:status`.
Result<std::vector<MigrationState>> migration_status(
    MysqlConnection& db, const std::vector<platform::Migration>& release);

}  // namespace mepsim::web
