#pragma once
// The data of review apps and rehearsals (`doctrine:fixtures:load`): territories with
// their partners, users of every role sharing one password, and reports in every statut
// across territories so that dashboards count something. Deterministic: the same password
// and `now` load the same rows, ids included.
//
// Users (all @signal-logement.fr): admin-01 (ROLE_ADMIN); for territories 13, 01, 44 and
// 69 admin-territoire-TT-01 (ROLE_ADMIN_TERRITORY), admin-partenaire-TT-01
// (ROLE_ADMIN_PARTNER), user-TT-01 (ROLE_USER_PARTNER); user-13-06 (INACTIVE: cannot log
// in); usager-01 (ROLE_USAGER); api-01 (ROLE_API_USER).

#include <cstdint>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/mysql_connection.h"

namespace mepsim::web {

struct FixtureCounts {
  std::int64_t territories = 0;
  std::int64_t partners = 0;
  std::int64_t users = 0;
  std::int64_t signalements = 0;
};

// Wipes every app table (app_tables(): never doctrine_migration_versions), then loads
// the fixtures in one transaction. The schema must be migrated first. Reports are dated
// in the weeks before `now`; the reference counters continue after them.
Result<FixtureCounts> load_fixtures(MysqlConnection& db, const std::string& password, Instant now);

// How many reports the fixtures hold, and the code de suivi of report `index` (from 0):
// what a test types into /suivre-mon-signalement.
int fixture_signalement_count();
std::string fixture_code_suivi(int index);

}  // namespace mepsim::web
