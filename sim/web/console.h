#pragma once
// `mepsim-web console …`: the app's bin/console, as the postdeploy hook, one-off
// containers and crons run it. Reads its configuration from the environment like the
// web process (DATABASE_URL, MAINTENANCE_ENABLE, MEPSIM_RELEASE, MEPSIM_FIXTURE_PASSWORD).
//
//   doctrine:migrations:migrate --no-interaction   the built-in schema, then the release's
//                                                 migrations, each recorded once in
//                                                 doctrine_migration_versions
//   doctrine:migrations:status                    applied and pending migrations
//   doctrine:fixtures:load --no-interaction       wipes the app tables, loads the fixtures
//   app:<job> (retry-failed-emails, send-suivi-waiting-notification-and-delayed,
//              monitor-messenger-queues, send-daily-emails, …)
//                                                 exit 1 while MAINTENANCE_ENABLE=1
//
// Exit codes: 0 done, 1 failed (message on stderr), 2 unknown command or bad option.

#include <string>
#include <vector>

namespace mepsim::web {

int run_console(const std::vector<std::string>& args);

}  // namespace mepsim::web
