#include "sim/datastore/mysql_connection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <fmt/format.h>
#include <mysql_driver.h>

#include <cassert>
#include <charconv>
#include <chrono>
#include <mutex>
#include <utility>

namespace mepsim {
namespace {

// What a server or client error code means to the caller. Codes from the MySQL and
// MariaDB manuals (ER_* server errors, CR_* client errors 2000-2999).
ErrorCode classify(int code) {
  switch (code) {
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 3024:  // ER_QUERY_TIMEOUT (MySQL max_execution_time)
    case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
      return ErrorCode::timeout;
    case 1062:  // ER_DUP_ENTRY
    case 1169:  // ER_DUP_UNIQUE
    case 1213:  // ER_LOCK_DEADLOCK: the transaction was rolled back, a retry may pass
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
      return ErrorCode::conflict;
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: text the column's charset cannot hold
    case 1406:  // ER_DATA_TOO_LONG
    case 3140:  // ER_INVALID_JSON_TEXT (MySQL)
    case 4025:  // ER_CONSTRAINT_FAILED (MariaDB: a JSON column's json_valid check)
      return ErrorCode::invalid_input;
    case 1040:  // ER_CON_COUNT_ERROR: too many connections
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR: the database is not there (yet)
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1129:  // ER_HOST_IS_BLOCKED
    case 1152:  // ER_ABORTING_CONNECTION
    case 1184:  // ER_NEW_ABORTING_CONNECTION
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: disconnected for inactivity)
      return ErrorCode::unavailable;
    case 2014:                     // CR_COMMANDS_OUT_OF_SYNC
    case 2030:                     // CR_NO_PREPARE_STMT
    case 2031:                     // CR_PARAMS_NOT_BOUND
    case 2034:                     // CR_INVALID_PARAMETER_NO
    case 2035:                     // CR_INVALID_BUFFER_USE
    case 2036:                     // CR_UNSUPPORTED_PARAM_TYPE
      return ErrorCode::internal;  // the client library misused: a bug of ours
    default:
      break;
  }
  // The other client errors (2002 no socket, 2003 refused, 2006 gone away, 2013 lost
  // during a query, 2055 lost at a system call…) all mean the server is out of reach.
  if (code >= 2000 && code < 3000) return ErrorCode::unavailable;
  return ErrorCode::internal;
}

constexpr int kDeadlockCode = 1213;

// is_deadlock() below reads the code back from this message: keep the two together.
Error sql_error(const sql::SQLException& e, std::string_view doing) {
  return make_error(classify(e.getErrorCode()),
                    fmt::format("{}: MySQL error {} ({}): {}", doing, e.getErrorCode(),
                                std::string(e.getSQLState()), e.what()));
}

// The connector throws this one with no code once the connection object is unusable.
Error closed_error(const sql::InvalidInstanceException& e, std::string_view doing) {
  return make_error(ErrorCode::unavailable, fmt::format("{}: {}", doing, e.what()));
}

Error other_error(const std::exception& e, std::string_view doing) {
  return make_error(ErrorCode::internal, fmt::format("{}: {}", doing, e.what()));
}

// Runs `body` with every exception of the connector turned into an Error. `body` returns
// the Result itself.
template <typename F>
auto guarded(std::string_view doing, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const sql::InvalidInstanceException& e) {
    return closed_error(e, doing);
  } catch (const sql::SQLException& e) {
    return sql_error(e, doing);
  } catch (const std::exception& e) {
    return other_error(e, doing);
  }
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
  const std::string doing = fmt::format("connecting to {}", where);
  return guarded(doing, [&]() -> Result<std::unique_ptr<sql::Connection>> {
    return std::unique_ptr<sql::Connection>(driver()->connect(options));
  });
}

void bind(sql::PreparedStatement& statement, const std::vector<SqlParam>& params) {
  unsigned int index = 1;
  for (const auto& param : params) {
    const auto& value = param.value();
    if (const auto* text = std::get_if<std::string>(&value)) {
      statement.setString(index, sql::SQLString(*text));
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      statement.setInt64(index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      statement.setDouble(index, *real);
    } else {
      statement.setNull(index, sql::DataType::SQLNULL);
    }
    ++index;
  }
}

std::vector<SqlRow> read_rows(sql::ResultSet& rows) {
  const auto columns = rows.getMetaData()->getColumnCount();
  std::vector<SqlRow> out;
  while (rows.next()) {
    SqlRow row;
    row.reserve(columns);
    for (unsigned int c = 1; c <= columns; ++c) row.emplace_back(rows.getString(c));
    out.push_back(std::move(row));
  }
  return out;
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
  ++statements_sent_;
  return guarded("executing SQL", [&]() -> Result<void> {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    stmt->execute(statement);
    return {};
  });
}

Result<std::vector<SqlRow>> MysqlConnection::query(const std::string& statement) {
  ++statements_sent_;
  return guarded("querying SQL", [&]() -> Result<std::vector<SqlRow>> {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rows(stmt->executeQuery(statement));
    return read_rows(*rows);
  });
}

Result<void> MysqlConnection::execute(const std::string& sql, const std::vector<SqlParam>& params) {
  auto changed = execute_update(sql, params);
  if (!changed) return changed.error();
  return {};
}

Result<std::vector<SqlRow>> MysqlConnection::query(const std::string& sql,
                                                   const std::vector<SqlParam>& params) {
  ++statements_sent_;
  return guarded("querying SQL", [&]() -> Result<std::vector<SqlRow>> {
    std::unique_ptr<sql::PreparedStatement> stmt(connection_->prepareStatement(sql));
    bind(*stmt, params);
    std::unique_ptr<sql::ResultSet> rows(stmt->executeQuery());
    return read_rows(*rows);
  });
}

Result<std::uint64_t> MysqlConnection::execute_update(const std::string& sql,
                                                      const std::vector<SqlParam>& params) {
  ++statements_sent_;
  return guarded("executing SQL", [&]() -> Result<std::uint64_t> {
    std::unique_ptr<sql::PreparedStatement> stmt(connection_->prepareStatement(sql));
    bind(*stmt, params);
    const int changed = stmt->executeUpdate();
    return static_cast<std::uint64_t>(std::max(changed, 0));
  });
}

Result<std::int64_t> MysqlConnection::insert(const std::string& sql,
                                             const std::vector<SqlParam>& params) {
  if (auto inserted = execute(sql, params); !inserted) return inserted.error();
  // LAST_INSERT_ID() is per connection: another session's inserts cannot show through.
  auto rows = query("SELECT LAST_INSERT_ID()");
  if (!rows) return rows.error();
  if (rows->size() != 1 || rows.value()[0].size() != 1) {
    return make_error(ErrorCode::internal, "LAST_INSERT_ID() returned no row");
  }
  const std::string& text = rows.value()[0][0];
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return make_error(ErrorCode::internal, "LAST_INSERT_ID() returned \"" + text + "\"");
  }
  return id;
}

Result<void> MysqlConnection::begin() {
  return execute("START TRANSACTION");
}
Result<void> MysqlConnection::commit() {
  return execute("COMMIT");
}
Result<void> MysqlConnection::rollback() {
  return execute("ROLLBACK");
}

bool is_deadlock(const Error& error) {
  return error.code == ErrorCode::conflict &&
         error.message.find(fmt::format("MySQL error {} (", kDeadlockCode)) != std::string::npos;
}

Result<SqlTransaction> SqlTransaction::begin(MysqlConnection& connection) {
  if (auto started = connection.begin(); !started) return started.error();
  return SqlTransaction(connection);
}

SqlTransaction::SqlTransaction(SqlTransaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

SqlTransaction::~SqlTransaction() {
  // A failed rollback needs no handling: the server rolls back an open transaction when
  // the connection drops, and a live connection that refuses ROLLBACK is unusable anyway.
  if (connection_ != nullptr) (void)connection_->rollback();
}

Result<void> SqlTransaction::commit() {
  assert(connection_ != nullptr && "commit of a finished transaction");
  MysqlConnection* connection = std::exchange(connection_, nullptr);
  return connection->commit();
}

}  // namespace mepsim
