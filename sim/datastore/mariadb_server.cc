#include "sim/datastore/mariadb_server.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "sim/datastore/mysql_connection.h"

namespace mepsim {
namespace {

namespace fs = std::filesystem;

struct Binaries {
  fs::path server;
  fs::path install_db;  // empty for MySQL, which initialises itself
  std::string flavour;
};

Result<ExitStatus> run_to_end(const SpawnSpec& spec, Duration timeout) {
  auto process = ChildProcess::spawn(spec);
  if (!process) return process.error();
  if (auto exit = process->wait_exit(timeout)) return *exit;
  process->stop(std::chrono::seconds(2));
  return make_error(ErrorCode::timeout,
                    fmt::format("{} did not finish in time", spec.program.string()));
}

// Debian's mysqld is MariaDB under another name; Oracle's is MySQL. Ask the binary.
Result<std::string> flavour_of(const fs::path& server, const fs::path& scratch) {
  if (server.filename() == "mariadbd") return std::string("MariaDB");
  const fs::path log = scratch / "version.log";
  auto exit = run_to_end({server, {"--version"}, {}, log, {}}, std::chrono::seconds(10));
  if (!exit) return exit.error();
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return std::string(text.str().find("MariaDB") != std::string::npos ? "MariaDB" : "MySQL");
}

Result<Binaries> find_binaries(const MariadbOptions& options, const fs::path& scratch) {
  auto server = find_program(options.server_program);
  if (!server) {
    return server.error().context(
        "MariaDB server binary (install Debian's mariadb-server-core, or pass --mariadbd PATH)");
  }
  auto flavour = flavour_of(server.value(), scratch);
  if (!flavour) return flavour.error();
  Binaries binaries{server.value(), {}, flavour.value()};
  if (binaries.flavour == "MariaDB") {
    auto install_db = find_program("mariadb-install-db");
    if (!install_db) return install_db.error().context("MariaDB data-folder initialiser");
    binaries.install_db = install_db.value();
  }
  return binaries;
}

Result<void> initialise(const Binaries& binaries, const fs::path& data, const fs::path& scratch,
                        Duration timeout) {
  // A temporary folder of its own: a server booting in a shared /tmp deletes the #sql
  // files of another one bootstrapping there ("Unknown table 'mysql.tmp_user_sys'").
  const fs::path tmp = scratch / "tmp";
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) return make_error(ErrorCode::internal, "creating " + tmp.string() + ": " + ec.message());
  SpawnSpec spec;
  spec.log_path = scratch / "init.log";
  if (binaries.flavour == "MariaDB") {
    spec.program = binaries.install_db;
    spec.args = {"--no-defaults",
                 "--datadir=" + data.string(),
                 "--tmpdir=" + tmp.string(),  // passed on to the bootstrap server
                 "--user=root",
                 "--auth-root-authentication-method=normal",
                 "--skip-test-db",
                 "--skip-name-resolve"};
  } else {
    spec.program = binaries.server;
    spec.args = {"--no-defaults", "--initialize-insecure", "--datadir=" + data.string(),
                 "--tmpdir=" + tmp.string(), "--user=root"};
  }
  auto exit = run_to_end(spec, timeout);
  if (!exit) return exit.error().context("initialising the data folder");
  if (exit->code != 0) {
    return make_error(
        ErrorCode::unavailable,
        fmt::format("{} exited with code {}; last lines of {}:\n{}", spec.program.string(),
                    exit->code, spec.log_path.string(), tail_of_file(spec.log_path, 15, "ERROR")));
  }
  return {};
}

std::vector<std::string> server_args(const fs::path& data, const fs::path& socket,
                                     std::uint16_t port) {
  return {"--no-defaults", "--datadir=" + data.string(), "--socket=" + socket.string(),
          "--port=" + std::to_string(port), "--bind-address=127.0.0.1", "--user=root",
          "--skip-log-bin", "--innodb-buffer-pool-size=64M",
          // Durable against a crash of mepsim-web or of the server process, not of the
          // machine: the trade the load tests want.
          "--innodb-flush-log-at-trx-commit=2", "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_unicode_ci",
          // A server cleans its tmpdir of #sql files at boot: sharing /tmp with another
          // server would delete the other's temporary tables.
          "--tmpdir=" + (data.parent_path() / "tmp").string(),
          "--pid-file=" + (data / "server.pid").string()};
}

Result<void> create_app_account(const fs::path& socket, const MysqlUrl& url) {
  auto root = MysqlConnection::open_socket(socket, "root", std::chrono::seconds(5));
  if (!root) return root.error();
  // The password is [A-Za-z0-9] and the names come from options: nothing to escape.
  const std::vector<std::string> statements = {
      fmt::format("CREATE DATABASE `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                  url.database),
      fmt::format("CREATE USER '{}'@'%' IDENTIFIED BY '{}'", url.user, url.password),
      // All databases: review apps get databases of their own.
      fmt::format("GRANT ALL PRIVILEGES ON *.* TO '{}'@'%' WITH GRANT OPTION", url.user),
  };
  for (const auto& statement : statements) {
    if (auto done = root->execute(statement); !done) return done.error();
  }
  return {};
}

// Everything the plan's functions need is copied in: start_again runs them long after
// start() returned.
LaunchPlan launch_plan(const Binaries& binaries, const fs::path& folder, Duration ready_timeout) {
  const fs::path data = folder / "data";
  const fs::path socket = folder / "mysqld.sock";
  LaunchPlan plan;
  plan.display_name = fmt::format("{} ({})", binaries.flavour, binaries.server.string());
  plan.spec_for_port = [server = binaries.server, data, socket, folder](std::uint16_t port) {
    return SpawnSpec{server, server_args(data, socket, port), {}, folder / "server.log", {}};
  };
  plan.probe = [socket](std::uint16_t) -> Result<void> {
    auto connection = MysqlConnection::open_socket(socket, "root", std::chrono::seconds(1));
    if (!connection) return connection.error();
    return {};
  };
  plan.port_in_use_marker = "Address already in use";
  plan.ready_timeout = ready_timeout;
  return plan;
}

}  // namespace

Result<std::unique_ptr<MariadbServer>> MariadbServer::start(const MariadbOptions& options,
                                                            Clock& clock, Rng& rng) {
  auto scratch = ScratchDir::create("mepsim-mariadb");
  if (!scratch) return scratch.error();
  const fs::path folder = scratch->path();
  auto binaries = find_binaries(options, folder);
  if (!binaries) return binaries.error();
  const fs::path data = folder / "data";
  const fs::path socket = folder / "mysqld.sock";
  if (auto init = initialise(binaries.value(), data, folder, options.init_timeout); !init) {
    return init.error().context(binaries->flavour);
  }

  LaunchPlan plan = launch_plan(binaries.value(), folder, options.ready_timeout);
  auto launched = launch_on_free_port(plan, clock);
  if (!launched) return launched.error();

  MysqlUrl url{options.user, rng.alnum(24), "127.0.0.1", launched->port, options.database};
  if (auto account = create_app_account(socket, url); !account) {
    return account.error().context(plan.display_name + ": creating the app's database");
  }
  return std::unique_ptr<MariadbServer>(
      new MariadbServer(std::move(scratch.value()), std::move(launched->process), std::move(url),
                        binaries->flavour, std::move(plan), options.stop_grace));
}

MariadbServer::MariadbServer(ScratchDir scratch, ChildProcess process, MysqlUrl url,
                             std::string flavour, LaunchPlan plan, Duration stop_grace)
    : scratch_(std::move(scratch)),
      process_(std::move(process)),
      url_(std::move(url)),
      flavour_(std::move(flavour)),
      plan_(std::move(plan)),
      stop_grace_(stop_grace) {}

MariadbServer::~MariadbServer() {
  stop();  // before scratch_ goes with its data folder
}

ExitStatus MariadbServer::stop() {
  if (!stop_status_) stop_status_ = process_.stop(stop_grace_);
  return *stop_status_;
}

Result<ExitStatus> MariadbServer::stop_running() {
  if (!running()) {
    return make_error(ErrorCode::conflict,
                      fmt::format("{} on 127.0.0.1:{} is already stopped", flavour_, url_.port));
  }
  return stop();
}

Result<void> MariadbServer::start_again(Clock& clock) {
  if (running()) {
    return make_error(ErrorCode::conflict,
                      fmt::format("{} on 127.0.0.1:{} is already running", flavour_, url_.port));
  }
  auto process = launch_on_port(plan_, url_.port, clock);
  if (!process) return process.error().context("starting " + flavour_ + " again");
  process_ = std::move(process.value());
  stop_status_.reset();
  return {};
}

}  // namespace mepsim
