#include "sim/web/console.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/web/app_jobs.h"
#include "sim/web/fixtures.h"
#include "sim/web/schema_migrations.h"
#include "sim/web/web_config.h"

namespace mepsim::web {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr int kDone = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

struct Invocation {
  std::string command;
  bool interactive = true;  // false with --no-interaction, or when stdin is no terminal
};

struct Context {
  WebConfig config;
  bool interactive = false;
  RealClock clock;
};

struct Command {
  std::string_view name;
  std::string_view description;
  int (*run)(Context&);
};

void ok(std::string_view message) {
  fmt::print("\n [OK] {}\n\n", message);
}
int fail(std::string_view message) {
  fmt::print(stderr, "\n [ERROR] {}\n\n", message);
  return kFailed;
}

// Symfony asks only when someone can answer: with a terminal on stdin and no -n.
bool confirm(std::string_view question, bool answer_by_default) {
  fmt::print("{} ({}) [{}]:\n > ", question, "yes/no", answer_by_default ? "yes" : "no");
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer) || answer.empty()) return answer_by_default;
  return answer[0] == 'y' || answer[0] == 'Y';
}

Result<MysqlConnection> open_database(const Context& context, std::string_view command) {
  if (context.config.database.host.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("DATABASE_URL is not set: {} needs the app's database", command));
  }
  return MysqlConnection::open(context.config.database, kConnectTimeout);
}

std::string latest_version(const std::vector<platform::Migration>& release) {
  return doctrine_version(release.empty() ? builtin_migrations().back().name : release.back().name);
}

int migrate_command(Context& context) {
  auto db = open_database(context, "doctrine:migrations:migrate");
  if (!db) return fail(db.error().message);
  if (context.interactive &&
      !confirm(fmt::format("WARNING! You are about to execute a migration in database \"{}\" "
                           "that could result in schema changes and data loss. Are you sure you "
                           "wish to continue?",
                           context.config.database.database),
               true)) {
    return fail("Migration cancelled!");
  }
  const auto& release = context.config.release.migrations;
  const Instant started = context.clock.now();
  const MigrationRun run = migrate(db.value(), release, context.clock);
  if (!run.unknown_applied.empty()) {
    fmt::print(
        "\n [WARNING] You have {} previously executed migrations in the database that "
        "are not registered migrations.\n",
        run.unknown_applied.size());
    for (const auto& version : run.unknown_applied) fmt::print("  >> {}\n", version);
  }
  if (run.executed.empty() && !run.failure) {
    ok(fmt::format("Already at the latest version (\"{}\")", latest_version(release)));
    return kDone;
  }
  fmt::print("[notice] Migrating up to {}\n", latest_version(release));
  for (const auto& version : run.executed) fmt::print("[notice] ++ migrated {}\n", version);
  if (run.failure) {
    fmt::print(stderr, "[error] {}\n", run.failure->message);
    return kFailed;
  }
  const auto took_ms =
      std::chrono::duration<double, std::milli>(context.clock.now() - started).count();
  fmt::print("[notice] finished in {:.1f}ms, {} migrations executed, {} sql queries\n", took_ms,
             run.executed.size(), run.statements);
  ok(fmt::format("Successfully migrated to version: {}", latest_version(release)));
  return kDone;
}

int status_command(Context& context) {
  auto db = open_database(context, "doctrine:migrations:status");
  if (!db) return fail(db.error().message);
  auto states = migration_status(db.value(), context.config.release.migrations);
  if (!states) return fail(states.error().message);
  std::size_t executed = 0;
  fmt::print("\n Migrations\n ----------\n");
  for (const auto& state : states.value()) {
    if (state.executed_at) ++executed;
    fmt::print(" {:<45} {:<32} {}\n", state.version,
               state.executed_at ? "migrated " + *state.executed_at : std::string("not migrated"),
               state.description);
  }
  fmt::print("\n Executed: {}, New: {}, Available: {}\n\n", executed, states->size() - executed,
             states->size());
  return kDone;
}

int fixtures_command(Context& context) {
  if (context.config.fixture_password.empty()) {
    return fail("MEPSIM_FIXTURE_PASSWORD is not set: the fixture users need a password");
  }
  auto db = open_database(context, "doctrine:fixtures:load");
  if (!db) return fail(db.error().message);
  // As DoctrineFixturesBundle: a purge nobody confirmed is skipped, and that is no failure.
  if (context.interactive &&
      !confirm(fmt::format("Careful, database \"{}\" will be purged. Do you want to continue?",
                           context.config.database.database),
               false)) {
    return kDone;
  }
  fmt::print("\n   > purging database\n");
  auto loaded = load_fixtures(db.value(), context.config.fixture_password, context.clock.now());
  if (!loaded) return fail(loaded.error().message);
  fmt::print("   > loading {} territories, {} partners, {} users, {} signalements\n\n",
             loaded->territories, loaded->partners, loaded->users, loaded->signalements);
  return kDone;
}

int cache_clear_command(Context&) {
  ok("Cache for the \"prod\" environment (debug=false) was successfully cleared.");
  return kDone;
}

int list_command(Context&);

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"list", "Lists commands", list_command},
      {"cache:clear", "Clears the cache", cache_clear_command},
      {"doctrine:fixtures:load", "Purges the database and loads the fixtures", fixtures_command},
      {"doctrine:migrations:migrate", "Executes the pending migrations", migrate_command},
      {"doctrine:migrations:status", "Shows applied and pending migrations", status_command},
  };
  return all;
}

void print_commands(std::FILE* out) {
  fmt::print(out, "Available commands:\n");
  for (const auto& command : commands()) {
    fmt::print(out, "  {:<50} {}\n", command.name, command.description);
  }
  for (const auto& job : app_jobs()) fmt::print(out, "  {:<50} {}\n", job.name, job.description);
}

int list_command(Context&) {
  fmt::print("Usage:\n  command [options] [arguments]\n\n");
  print_commands(stdout);
  return kDone;
}

int app_job_command(Context& context, const AppJob& job) {
  // Checked before anything else, as the real commands do: no connection is even opened.
  if (context.config.maintenance) {
    return fail(fmt::format("{} : maintenance en cours, commande non exécutée", job.name));
  }
  auto db = open_database(context, job.name);
  if (!db) return fail(db.error().message);
  auto done = run_app_job(job, std::move(db.value()), context.clock.now());
  if (!done) return fail(done.error().message);
  ok(done.value());
  return kDone;
}

Result<Invocation> parse_arguments(const std::vector<std::string>& args) {
  Invocation invocation;
  for (const auto& arg : args) {
    if (arg == "-n" || arg == "--no-interaction") {
      invocation.interactive = false;
    } else if (arg == "--no-debug" || arg == "--env=prod" || arg == "-eprod") {
      // What Scalingo's commands pass: the replica only runs "prod".
    } else if (!arg.empty() && arg[0] == '-') {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("The \"{}\" option does not exist.", arg));
    } else if (invocation.command.empty()) {
      invocation.command = arg;
    } else {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("Too many arguments, expected arguments \"command\" (got "
                                    "\"{}\").",
                                    arg));
    }
  }
  if (invocation.command.empty()) invocation.command = "list";
  if (isatty(STDIN_FILENO) == 0) invocation.interactive = false;
  return invocation;
}

}  // namespace

int run_console(const std::vector<std::string>& args) {
  auto invocation = parse_arguments(args);
  if (!invocation) {
    fmt::print(stderr, "\n [ERROR] {}\n\n", invocation.error().message);
    return kBadInput;
  }
  const Command* command = nullptr;
  for (const auto& candidate : commands()) {
    if (candidate.name == invocation->command) command = &candidate;
  }
  const AppJob* job = find_app_job(invocation->command);
  if (command == nullptr && job == nullptr) {
    fmt::print(stderr, "\n [ERROR] Command \"{}\" is not defined.\n\n", invocation->command);
    print_commands(stderr);
    return kBadInput;
  }
  auto config = read_web_config(process_environment(), /*datastores_required=*/false);
  if (!config) {
    fmt::print(stderr, "\n [ERROR] {}\n\n", config.error().message);
    return kBadInput;
  }
  Context context{std::move(config.value()), invocation->interactive, RealClock()};
  return job != nullptr ? app_job_command(context, *job) : command->run(context);
}

}  // namespace mepsim::web
