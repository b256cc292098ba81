#pragma once
// One MariaDB per test suite, and a fresh database of its own for each test: the web
// database tests share the server's start-up cost but never each other's rows.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"

namespace mepsim::testing {

class WebDatabaseSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Rng rng(7);
    auto started = MariadbServer::start({}, clock_, rng);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override { ASSERT_TRUE(server_) << "MariaDB did not start"; }

  // An empty database named after the test: the app account may create databases.
  static MysqlUrl fresh_database() {
    static std::atomic<int> next{0};
    MysqlUrl url = server_->url();
    url.database = "web_test_" + std::to_string(next++);
    auto admin = MysqlConnection::open(server_->url(), std::chrono::seconds(5));
    EXPECT_TRUE(admin) << admin.error().message;
    if (admin) {
      auto created = admin->execute("CREATE DATABASE `" + url.database +
                                    "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      EXPECT_TRUE(created) << created.error().message;
    }
    return url;
  }

  static MysqlConnection connect(const MysqlUrl& url) {
    auto db = MysqlConnection::open(url, std::chrono::seconds(5));
    if (!db) ADD_FAILURE() << db.error().message;
    return std::move(db.value());
  }

  // The single number a query such as COUNT(*) returns; -1 on an error (reported).
  static long long number(MysqlConnection& db, const std::string& sql,
                          const std::vector<SqlParam>& params = {}) {
    auto rows = db.query(sql, params);
    if (!rows) {
      ADD_FAILURE() << sql << ": " << rows.error().message;
      return -1;
    }
    if (rows->size() != 1 || rows.value()[0].size() != 1) {
      ADD_FAILURE() << sql << ": not one value";
      return -1;
    }
    return std::stoll(rows.value()[0][0]);
  }

  static inline RealClock clock_;
  static inline std::unique_ptr<MariadbServer> server_;
};

}  // namespace mepsim::testing
