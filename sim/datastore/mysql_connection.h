#pragma once
// A MySQL/MariaDB connection whose failures are values. mysql-connector-c++ reports
// everything by exception; they stop here.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"

namespace sql {
class Connection;
}

namespace mepsim {

using SqlRow = std::vector<std::string>;  // NULL reads as ""

class MysqlConnection {
 public:
  static Result<MysqlConnection> open(const MysqlUrl& url, Duration connect_timeout);
  // As `user` over a server's unix socket, with no database selected: the launcher's way
  // in as root before any TCP account exists.
  static Result<MysqlConnection> open_socket(const std::filesystem::path& socket,
                                             const std::string& user, Duration connect_timeout);

  MysqlConnection(MysqlConnection&&) noexcept;
  MysqlConnection& operator=(MysqlConnection&&) noexcept;
  ~MysqlConnection();

  Result<void> execute(const std::string& statement);
  Result<std::vector<SqlRow>> query(const std::string& statement);

 private:
  explicit MysqlConnection(std::unique_ptr<sql::Connection> connection);
  std::unique_ptr<sql::Connection> connection_;
};

}  // namespace mepsim
