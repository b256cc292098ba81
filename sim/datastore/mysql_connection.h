#pragma once
// A MySQL/MariaDB connection whose failures are values. mysql-connector-c++ reports
// everything by exception; they stop here.
//
// Error codes: a server that cannot be reached, went away or refuses the account is
// `unavailable` (the web app answers 503); a duplicate key or a deadlock is `conflict`;
// a lock wait that ran out is `timeout`; a bad statement is `internal` (a bug of ours).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"

namespace sql {
class Connection;
}

namespace mepsim {

using SqlRow = std::vector<std::string>;  // NULL reads as ""

// A value bound to one `?` of a prepared statement: what users type never becomes SQL
// text. Implicit by design, so that a call reads `query(sql, {email, 10, nullptr})`.
class SqlParam {
 public:
  using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

  SqlParam(std::nullptr_t) {}                                     // NOLINT: NULL
  SqlParam(std::string text) : value_(std::move(text)) {}         // NOLINT
  SqlParam(std::string_view text) : value_(std::string(text)) {}  // NOLINT
  SqlParam(const char* text) : value_(std::string(text)) {}       // NOLINT
  SqlParam(std::int64_t number) : value_(number) {}               // NOLINT
  SqlParam(int number) : value_(std::int64_t{number}) {}          // NOLINT
  SqlParam(double number) : value_(number) {}                     // NOLINT
  template <typename T>
  SqlParam(const std::optional<T>& maybe)  // NOLINT: empty binds NULL
      : SqlParam(maybe ? SqlParam(*maybe) : SqlParam(nullptr)) {}

  const Value& value() const { return value_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }

 private:
  Value value_;
};

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

  // Plain statements: for SQL text of our own (DDL, transaction control), never user input.
  Result<void> execute(const std::string& statement);
  Result<std::vector<SqlRow>> query(const std::string& statement);

  // Prepared statements: each `?` of `sql` bound, in order, to one of `params`.
  Result<void> execute(const std::string& sql, const std::vector<SqlParam>& params);
  Result<std::vector<SqlRow>> query(const std::string& sql, const std::vector<SqlParam>& params);
  // The number of rows an INSERT, UPDATE or DELETE changed.
  Result<std::uint64_t> execute_update(const std::string& sql, const std::vector<SqlParam>& params);
  // An INSERT, then the AUTO_INCREMENT id it generated (a second round trip).
  Result<std::int64_t> insert(const std::string& sql, const std::vector<SqlParam>& params);

  // Transaction control; SqlTransaction below is the safer way to use them.
  Result<void> begin();
  Result<void> commit();
  Result<void> rollback();

  // Statements sent to the server so far, failed ones included: what metrics count.
  std::uint64_t statements_sent() const { return statements_sent_; }

 private:
  explicit MysqlConnection(std::unique_ptr<sql::Connection> connection);
  std::unique_ptr<sql::Connection> connection_;
  std::uint64_t statements_sent_ = 0;
};

// A deadlock (MySQL error 1213): the server rolled the whole transaction back, and
// running it again from its start may pass.
bool is_deadlock(const Error& error);

// A transaction that rolls back unless committed: an early return on an error leaves
// nothing half-written. The connection must outlive it.
class SqlTransaction {
 public:
  static Result<SqlTransaction> begin(MysqlConnection& connection);
  SqlTransaction(SqlTransaction&& other) noexcept;
  SqlTransaction& operator=(SqlTransaction&&) = delete;
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  ~SqlTransaction();

  Result<void> commit();

 private:
  explicit SqlTransaction(MysqlConnection& connection) : connection_(&connection) {}
  MysqlConnection* connection_;  // null once committed, rolled back or moved from
};

}  // namespace mepsim
