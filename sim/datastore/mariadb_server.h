#pragma once
// A MariaDB (or MySQL 8) server of mepsim's own: a fresh data folder, a free loopback
// port, the app's database and an account for it. Stopped and erased with its owner.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
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
  ~MariadbServer();

  const MysqlUrl& url() const { return url_; }
  pid_t pid() const { return process_.pid(); }
  const std::filesystem::path& folder() const { return scratch_.path(); }
  const std::string& flavour() const { return flavour_; }  // "MariaDB" or "MySQL"
  // Shuts the server down (SIGTERM, then SIGKILL after the grace) and erases its folder.
  ExitStatus stop();

 private:
  MariadbServer(ScratchDir scratch, ChildProcess process, MysqlUrl url, std::string flavour,
                Duration stop_grace);
  ScratchDir scratch_;
  ChildProcess process_;
  MysqlUrl url_;
  std::string flavour_;
  Duration stop_grace_;
  std::optional<ExitStatus> stop_status_;
};

}  // namespace mepsim
