#pragma once
// A MariaDB (or MySQL 8) server of mepsim's own: a fresh data folder, a free loopback
// port, the app's database and an account for it. It can be stopped and started again on
// its data (a fault a scenario injects); its folder is erased with its owner.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/datastore/server_launch.h"
#include "sim/process/child_process.h"

namespace mepsim {

struct MariadbOptions {
  // A name looked up on PATH (then /usr/sbin), or a path. "mysqld" that is MySQL, not
  // MariaDB, is initialised with --initialize-insecure instead of mariadb-install-db.
  std::string server_program = "mariadbd";
  std::string database = "histologe";
  std::string user = "mepsim";
  Duration init_timeout = std::chrono::seconds(60);
  Duration ready_timeout = std::chrono::seconds(30);
  Duration stop_grace = std::chrono::seconds(30);
};

class MariadbServer {
 public:
  // `clock` must run in real time; `rng` draws the account's password.
  static Result<std::unique_ptr<MariadbServer>> start(const MariadbOptions& options, Clock& clock,
                                                      Rng& rng);
  ~MariadbServer();  // stops it and erases its folder

  const MysqlUrl& url() const { return url_; }
  pid_t pid() const { return process_.pid(); }
  const std::filesystem::path& folder() const { return scratch_.path(); }
  const std::string& flavour() const { return flavour_; }  // "MariaDB" or "MySQL"
  bool running() const { return !stop_status_; }

  // Shuts the server down (SIGTERM, then SIGKILL after the grace). Its data folder stays
  // until the server object goes. On a stopped server, the status of the last stop: the
  // owner's teardown calls it whatever the state.
  ExitStatus stop();
  // The same as a fault does it: stopping a stopped server is a `conflict`.
  Result<ExitStatus> stop_running();
  // The same program, port, data folder and accounts again, waited on until root answers
  // on the socket: what was committed before the stop is still there. Starting a running
  // server is a `conflict`; the port taken meanwhile is `unavailable`. `clock` runs in
  // real time.
  Result<void> start_again(Clock& clock);

 private:
  MariadbServer(ScratchDir scratch, ChildProcess process, MysqlUrl url, std::string flavour,
                LaunchPlan plan, Duration stop_grace);
  ScratchDir scratch_;
  ChildProcess process_;
  MysqlUrl url_;
  std::string flavour_;
  LaunchPlan plan_;  // how it was launched: start_again launches it the same way
  Duration stop_grace_;
  std::optional<ExitStatus> stop_status_;  // set while stopped
};

}  // namespace mepsim
