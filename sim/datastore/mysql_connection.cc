#include "sim/datastore/mysql_connection.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <fmt/format.h>
#include <mysql_driver.h>

#include <chrono>
#include <mutex>

namespace mepsim {
namespace {

Error sql_error(const sql::SQLException& e, std::string_view doing) {
  // Client error codes 2000-2999 (CR_*) mean the server could not be reached.
  const int code = e.getErrorCode();
  const auto kind = code >= 2000 && code < 3000 ? ErrorCode::unavailable : ErrorCode::conflict;
  return make_error(kind, fmt::format("{}: MySQL error {} ({}): {}", doing, code,
                                      std::string(e.getSQLState()), e.what()));
}

sql::Driver* driver() {
  // The connector's first call is not thread-safe; every later one is.
  static std::once_flag once;
  static sql::Driver* instance = nullptr;
  std::call_once(once, [] { instance = sql::mysql::get_driver_instance(); });
  return instance;
}

Result<std::unique_ptr<sql::Connection>> connect(sql::ConnectOptionsMap options, Duration timeout,
                                                 std::string_view where) {
  const int seconds = static_cast<int>(
      std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
  options["OPT_CONNECT_TIMEOUT"] = seconds;
  options["OPT_READ_TIMEOUT"] = 30;
  options["OPT_WRITE_TIMEOUT"] = 30;
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    return std::unique_ptr<sql::Connection>(driver()->connect(options));
  } catch (const sql::SQLException& e) {
    return sql_error(e, fmt::format("connecting to {}", where));
  }
}

}  // namespace

MysqlConnection::MysqlConnection(std::unique_ptr<sql::Connection> connection)
    : connection_(std::move(connection)) {}
MysqlConnection::MysqlConnection(MysqlConnection&&) noexcept = default;
MysqlConnection& MysqlConnection::operator=(MysqlConnection&&) noexcept = default;
MysqlConnection::~MysqlConnection() = default;

Result<MysqlConnection> MysqlConnection::open(const MysqlUrl& url, Duration connect_timeout) {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString(url.host);
  options["port"] = static_cast<int>(url.port);
  options["userName"] = sql::SQLString(url.user);
  options["password"] = sql::SQLString(url.password);
  options["schema"] = sql::SQLString(url.database);
  auto connection = connect(std::move(options), connect_timeout, url.redacted());
  if (!connection) return connection.error();
  return MysqlConnection(std::move(connection.value()));
}

Result<MysqlConnection> MysqlConnection::open_socket(const std::filesystem::path& socket,
                                                     const std::string& user,
                                                     Duration connect_timeout) {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString("localhost");
  options["socket"] = sql::SQLString(socket.string());
  options["userName"] = sql::SQLString(user);
  options["password"] = sql::SQLString("");
  auto connection = connect(std::move(options), connect_timeout, socket.string());
  if (!connection) return connection.error();
  return MysqlConnection(std::move(connection.value()));
}

Result<void> MysqlConnection::execute(const std::string& statement) {
  try {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    stmt->execute(statement);
    return {};
  } catch (const sql::SQLException& e) {
    return sql_error(e, "executing SQL");
  }
}

Result<std::vector<SqlRow>> MysqlConnection::query(const std::string& statement) {
  try {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rows(stmt->executeQuery(statement));
    const auto columns = rows->getMetaData()->getColumnCount();
    std::vector<SqlRow> out;
    while (rows->next()) {
      SqlRow row;
      for (unsigned int c = 1; c <= columns; ++c) row.emplace_back(rows->getString(c));
      out.push_back(std::move(row));
    }
    return out;
  } catch (const sql::SQLException& e) {
    return sql_error(e, "querying SQL");
  }
}

}  // namespace mepsim
