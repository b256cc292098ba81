#pragma once
// The app's own `app:*` commands of bin/console: the fourteen that cron.json schedules
// and two run by hand. PHP does not run here, so each does a small real thing in its
// place: it counts the rows its real namesake works on and records a `job_event`.
// While maintenance is on they refuse to run (the console checks that, before any
// connection): FACTS.md.

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/mysql_connection.h"

namespace mepsim::web {

struct AppJob {
  std::string name;         // "app:send-daily-emails"
  std::string schedule;     // cron.json's: "45 5 * * *"; empty when run by hand only
  std::string description;  // what `list` shows
  std::string count_sql;    // the rows it works on: one COUNT(*), no parameters
  std::string counted;      // "utilisateurs actifs": what the count counts
};

const std::vector<AppJob>& app_jobs();
// Null when `name` is not one of them.
const AppJob* find_app_job(std::string_view name);

// Counts, records a job_event (service "cron", action the command's name) and returns
// the line the command prints on success.
Result<std::string> run_app_job(const AppJob& job, MysqlConnection db, Instant now);

}  // namespace mepsim::web
