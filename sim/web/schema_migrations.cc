#include "sim/web/schema_migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/web/sql_datetime.h"

namespace mepsim::web {
namespace {

constexpr const char* kTableOptions =
    " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB";

std::string table(const std::string& name, const std::string& body) {
  return "CREATE TABLE IF NOT EXISTS " + name + " (" + body + ")" + kTableOptions;
}

SchemaMigration users_migration() {
  return {"Version20260105090000",
          "Territories, partners, users",
          {table("territory",
                 "id INT AUTO_INCREMENT NOT NULL, zip VARCHAR(3) NOT NULL, "
                 "name VARCHAR(255) NOT NULL, is_active TINYINT(1) DEFAULT 1 NOT NULL, "
                 "UNIQUE INDEX UNIQ_territory_zip (zip), PRIMARY KEY(id)"),
           table("partner",
                 "id INT AUTO_INCREMENT NOT NULL, territory_id INT DEFAULT NULL, "
                 "nom VARCHAR(255) NOT NULL, email VARCHAR(255) DEFAULT NULL, "
                 "type VARCHAR(50) DEFAULT NULL, is_archive TINYINT(1) DEFAULT 0 NOT NULL, "
                 "INDEX IDX_partner_territory (territory_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_partner_territory FOREIGN KEY (territory_id) "
                 "REFERENCES territory (id)"),
           table("`user`",
                 "id INT AUTO_INCREMENT NOT NULL, uuid VARCHAR(36) NOT NULL, "
                 "email VARCHAR(255) NOT NULL, roles JSON NOT NULL, "
                 "password VARCHAR(255) DEFAULT NULL, statut VARCHAR(20) NOT NULL, "
                 "nom VARCHAR(255) DEFAULT NULL, prenom VARCHAR(255) DEFAULT NULL, "
                 "last_login_at DATETIME(3) DEFAULT NULL, created_at DATETIME(3) NOT NULL, "
                 "UNIQUE INDEX UNIQ_user_uuid (uuid), UNIQUE INDEX UNIQ_user_email (email), "
                 "PRIMARY KEY(id)"),
           table("user_partner",
                 "id INT AUTO_INCREMENT NOT NULL, user_id INT NOT NULL, partner_id INT NOT NULL, "
                 "UNIQUE INDEX UNIQ_user_partner (user_id, partner_id), "
                 "INDEX IDX_user_partner_partner (partner_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_user_partner_user FOREIGN KEY (user_id) REFERENCES `user` (id) "
                 "ON DELETE CASCADE, "
                 "CONSTRAINT FK_user_partner_partner FOREIGN KEY (partner_id) "
                 "REFERENCES partner (id) ON DELETE CASCADE")}};
}

SchemaMigration reports_migration() {
  return {
      "Version20260105090100",
      "Reports, drafts and the yearly reference counter",
      {table("signalement",
             "id INT AUTO_INCREMENT NOT NULL, uuid VARCHAR(36) NOT NULL, "
             "reference VARCHAR(100) NOT NULL, code_suivi VARCHAR(255) NOT NULL, "
             "statut VARCHAR(32) NOT NULL, territory_id INT DEFAULT NULL, "
             "created_at DATETIME(3) NOT NULL, closed_at DATETIME(3) DEFAULT NULL, "
             "adresse_occupant VARCHAR(255) NOT NULL, cp_occupant VARCHAR(5) NOT NULL, "
             "ville_occupant VARCHAR(100) NOT NULL, mail_occupant VARCHAR(255) DEFAULT NULL, "
             "nom_occupant VARCHAR(255) DEFAULT NULL, "
             "profile_declarant VARCHAR(50) DEFAULT NULL, geoloc JSON DEFAULT NULL, "
             "payload JSON DEFAULT NULL, "
             "UNIQUE INDEX UNIQ_signalement_uuid (uuid), "
             "UNIQUE INDEX UNIQ_signalement_reference (reference), "
             "UNIQUE INDEX UNIQ_signalement_code_suivi (code_suivi), "
             "INDEX IDX_signalement_territory_statut (territory_id, statut), "
             "INDEX IDX_signalement_created_at (created_at), PRIMARY KEY(id), "
             "CONSTRAINT FK_signalement_territory FOREIGN KEY (territory_id) "
             "REFERENCES territory (id)"),
       table("signalement_draft",
             "id INT AUTO_INCREMENT NOT NULL, uuid VARCHAR(36) NOT NULL, payload JSON NOT NULL, "
             "statut VARCHAR(32) NOT NULL, created_at DATETIME(3) NOT NULL, "
             "updated_at DATETIME(3) NOT NULL, "
             "UNIQUE INDEX UNIQ_signalement_draft_uuid (uuid), PRIMARY KEY(id)"),
       // One row per year, locked by the transaction that takes the year's next number:
       // concurrent reports wait on it instead of racing for the same reference.
       table("signalement_reference_counter",
             "`year` SMALLINT NOT NULL, last_number INT NOT NULL, PRIMARY KEY(`year`)")}};
}

SchemaMigration follow_up_migration() {
  return {"Version20260105090200",
          "Assignments, follow-ups, notifications",
          {table("affectation",
                 "id INT AUTO_INCREMENT NOT NULL, signalement_id INT NOT NULL, "
                 "partner_id INT NOT NULL, territory_id INT DEFAULT NULL, "
                 "statut VARCHAR(32) NOT NULL, created_at DATETIME(3) NOT NULL, "
                 "answered_at DATETIME(3) DEFAULT NULL, "
                 "UNIQUE INDEX UNIQ_affectation (signalement_id, partner_id), "
                 "INDEX IDX_affectation_partner (partner_id), "
                 "INDEX IDX_affectation_territory (territory_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_affectation_signalement FOREIGN KEY (signalement_id) "
                 "REFERENCES signalement (id) ON DELETE CASCADE, "
                 "CONSTRAINT FK_affectation_partner FOREIGN KEY (partner_id) "
                 "REFERENCES partner (id), "
                 "CONSTRAINT FK_affectation_territory FOREIGN KEY (territory_id) "
                 "REFERENCES territory (id)"),
           table("suivi",
                 "id INT AUTO_INCREMENT NOT NULL, signalement_id INT NOT NULL, "
                 "created_by_id INT DEFAULT NULL, description LONGTEXT NOT NULL, "
                 "type INT NOT NULL, is_public TINYINT(1) DEFAULT 0 NOT NULL, "
                 "created_at DATETIME(3) NOT NULL, "
                 "INDEX IDX_suivi_signalement (signalement_id), "
                 "INDEX IDX_suivi_created_by (created_by_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_suivi_signalement FOREIGN KEY (signalement_id) "
                 "REFERENCES signalement (id) ON DELETE CASCADE, "
                 "CONSTRAINT FK_suivi_created_by FOREIGN KEY (created_by_id) "
                 "REFERENCES `user` (id) ON DELETE SET NULL"),
           table("notification",
                 "id INT AUTO_INCREMENT NOT NULL, user_id INT NOT NULL, "
                 "signalement_id INT DEFAULT NULL, suivi_id INT DEFAULT NULL, "
                 "type VARCHAR(50) NOT NULL, is_seen TINYINT(1) DEFAULT 0 NOT NULL, "
                 "created_at DATETIME(3) NOT NULL, "
                 "INDEX IDX_notification_user_seen (user_id, is_seen), "
                 "INDEX IDX_notification_signalement (signalement_id), "
                 "INDEX IDX_notification_suivi (suivi_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_notification_user FOREIGN KEY (user_id) REFERENCES `user` (id) "
                 "ON DELETE CASCADE, "
                 "CONSTRAINT FK_notification_signalement FOREIGN KEY (signalement_id) "
                 "REFERENCES signalement (id) ON DELETE CASCADE, "
                 "CONSTRAINT FK_notification_suivi FOREIGN KEY (suivi_id) "
                 "REFERENCES suivi (id) ON DELETE CASCADE")}};
}

SchemaMigration jobs_migration() {
  return {"Version20260105090300",
          "Interconnection journal and API tokens",
          // No foreign key on job_event: a call's record outlives the report it was about.
          {table("job_event",
                 "id INT AUTO_INCREMENT NOT NULL, signalement_id INT DEFAULT NULL, "
                 "partner_id INT DEFAULT NULL, service VARCHAR(255) NOT NULL, "
                 "action VARCHAR(255) NOT NULL, status VARCHAR(255) NOT NULL, "
                 "message LONGTEXT DEFAULT NULL, created_at DATETIME(3) NOT NULL, "
                 "INDEX IDX_job_event_signalement (signalement_id), "
                 "INDEX IDX_job_event_service_status (service, status), PRIMARY KEY(id)"),
           table("api_user_token",
                 "id INT AUTO_INCREMENT NOT NULL, user_id INT NOT NULL, "
                 "token VARCHAR(255) NOT NULL, expires_at DATETIME(3) NOT NULL, "
                 "UNIQUE INDEX UNIQ_api_user_token (token), "
                 "INDEX IDX_api_user_token_user (user_id), PRIMARY KEY(id), "
                 "CONSTRAINT FK_api_user_token_user FOREIGN KEY (user_id) "
                 "REFERENCES `user` (id) ON DELETE CASCADE")}};
}

// Doctrine creates its metadata table itself, before the first migration.
const std::string kVersionsTable =
    table("doctrine_migration_versions",
          "version VARCHAR(191) NOT NULL, executed_at DATETIME DEFAULT NULL, "
          "execution_time INT DEFAULT NULL, PRIMARY KEY(version)");

// A migration of either list, as a run goes through them.
struct Planned {
  std::string version;
  std::string description;
  const std::vector<std::string>* statements = nullptr;  // null: a release migration
  bool fails = false;
};

std::vector<Planned> plan(const std::vector<platform::Migration>& release) {
  std::vector<Planned> out;
  for (const auto& m : builtin_migrations()) {
    out.push_back({doctrine_version(m.name), m.description, &m.statements, false});
  }
  // A release that names a built-in migration (the seeded releases list the schema's own
  // ones) means that same migration: listed and applied once.
  for (const auto& m : release) {
    const std::string version = doctrine_version(m.name);
    const bool builtin =
        std::any_of(out.begin(), out.end(), [&](const Planned& p) { return p.version == version; });
    if (!builtin) out.push_back({version, "", nullptr, m.fails});
  }
  return out;
}

Result<std::map<std::string, std::string>> applied_versions(MysqlConnection& db) {
  if (auto created = db.execute(kVersionsTable); !created) return created.error();
  auto rows = db.query(
      "SELECT version, COALESCE(CAST(executed_at AS CHAR), '') FROM doctrine_migration_versions "
      "ORDER BY version");
  if (!rows) return rows.error();
  std::map<std::string, std::string> applied;
  for (const auto& row : rows.value()) applied.emplace(row.at(0), row.at(1));
  return applied;
}

Result<void> apply(MysqlConnection& db, const Planned& migration, const Clock& clock) {
  const Instant started = clock.now();
  if (migration.fails) {
    return make_error(ErrorCode::conflict,
                      fmt::format("Migration {} failed during Execution. Error: \"An exception "
                                  "occurred while executing a query: the release manifest "
                                  "plants a failure in this migration (fails: true)\"",
                                  migration.version));
  }
  if (migration.statements != nullptr) {
    for (const auto& statement : *migration.statements) {
      if (auto done = db.execute(statement); !done) {
        return make_error(done.error().code,
                          fmt::format("Migration {} failed during Execution. Error: \"{}\"",
                                      migration.version, done.error().message));
      }
    }
  }
  const auto took_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - started).count();
  return db.execute(
      "INSERT INTO doctrine_migration_versions (version, executed_at, execution_time) "
      "VALUES (?, ?, ?)",
      {migration.version, format_sql_datetime_s(started), static_cast<std::int64_t>(took_ms)});
}

}  // namespace

const std::vector<SchemaMigration>& builtin_migrations() {
  static const std::vector<SchemaMigration> migrations = {users_migration(), reports_migration(),
                                                          follow_up_migration(), jobs_migration()};
  return migrations;
}

const std::vector<std::string>& app_tables() {
  // Children before parents, although the wipe turns foreign key checks off anyway.
  static const std::vector<std::string> tables = {
      "notification", "suivi",       "affectation",       "api_user_token",
      "job_event",    "signalement", "signalement_draft", "signalement_reference_counter",
      "user_partner", "`user`",      "partner",           "territory"};
  return tables;
}

std::string doctrine_version(const std::string& name) {
  return "DoctrineMigrations\\" + name;
}

MigrationRun migrate(MysqlConnection& db, const std::vector<platform::Migration>& release,
                     const Clock& clock) {
  MigrationRun run;
  const auto sent_before = db.statements_sent();
  auto applied = applied_versions(db);
  if (!applied) {
    run.failure = applied.error().context("reading doctrine_migration_versions");
    run.statements = db.statements_sent() - sent_before;
    return run;
  }
  const auto planned = plan(release);
  std::set<std::string> known;
  for (const auto& migration : planned) known.insert(migration.version);
  for (const auto& [version, at] : applied.value()) {
    if (!known.contains(version)) run.unknown_applied.push_back(version);
  }
  for (const auto& migration : planned) {
    if (applied->contains(migration.version)) {
      ++run.already_applied;
      continue;
    }
    if (auto done = apply(db, migration, clock); !done) {
      run.failure = done.error();
      break;
    }
    applied->emplace(migration.version, "");  // a release may list a version twice
    run.executed.push_back(migration.version);
  }
  run.statements = db.statements_sent() - sent_before;
  return run;
}

Result<std::vector<MigrationState>> migration_status(
    MysqlConnection& db, const std::vector<platform::Migration>& release) {
  auto applied = applied_versions(db);
  if (!applied) return applied.error();
  std::vector<MigrationState> states;
  for (const auto& migration : plan(release)) {
    MigrationState state{migration.version, migration.description, std::nullopt};
    if (const auto found = applied->find(migration.version); found != applied->end()) {
      state.executed_at = found->second;
    }
    states.push_back(std::move(state));
  }
  return states;
}

}  // namespace mepsim::web
