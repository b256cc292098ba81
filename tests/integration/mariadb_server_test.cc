// The MariaDB launcher against the machine's real mariadbd.

#include "sim/datastore/mariadb_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/mysql_connection.h"
#include "tests/integration/mepsim_process.h"

using namespace mepsim;
using namespace std::chrono_literals;

namespace {

class MariadbServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Rng rng(1);
    auto started = MariadbServer::start({}, clock_, rng);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started.value());
  }
  static void TearDownTestSuite() { server_.reset(); }

  static inline RealClock clock_;
  static inline std::unique_ptr<MariadbServer> server_;
};

}  // namespace

TEST_F(MariadbServerTest, CreatesTableWritesRowReadsItBack) {
  // The app's account, over TCP at DATABASE_URL, can create a table and round-trip a row.
  ASSERT_TRUE(server_);
  auto db = MysqlConnection::open(server_->url(), 5s);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(
      db->execute("CREATE TABLE signalement (id INT AUTO_INCREMENT PRIMARY KEY, "
                  "reference VARCHAR(32) NOT NULL, label VARCHAR(64))"));
  ASSERT_TRUE(
      db->execute("INSERT INTO signalement (reference, label) VALUES "
                  "('2026-1', 'Logement insalubre — Besançon')"));
  auto rows = db->query("SELECT reference, label FROM signalement");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0][0], "2026-1");
  EXPECT_EQ(rows.value()[0][1], "Logement insalubre — Besançon") << "utf8mb4 round trip";
}

TEST_F(MariadbServerTest, UrlNamesTheAppDatabaseOnLoopback) {
  // DATABASE_URL points at the histologe database on 127.0.0.1 with a generated password.
  ASSERT_TRUE(server_);
  const auto& url = server_->url();
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.database, "histologe");
  EXPECT_EQ(url.user, "mepsim");
  EXPECT_EQ(url.password.size(), 24u);
  EXPECT_EQ(server_->flavour(), "MariaDB");
}

TEST_F(MariadbServerTest, WrongPasswordIsRefused) {
  // The account is really password-protected: a wrong password is an error value.
  ASSERT_TRUE(server_);
  MysqlUrl wrong = server_->url();
  wrong.password = "not-the-password";
  auto db = MysqlConnection::open(wrong, 5s);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("Access denied"), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().message.find("not-the-password"), std::string::npos);
}

TEST(MariadbServer, StopEndsProcessFolderGoesWithServer) {
  // stop() shuts the server down cleanly (exit 0); its data folder goes with the object.
  RealClock clock;
  Rng rng(2);
  auto server = MariadbServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const auto folder = server.value()->folder();
  const pid_t pid = server.value()->pid();
  ASSERT_TRUE(std::filesystem::exists(folder / "data"));
  const auto exit = server.value()->stop();
  EXPECT_EQ(exit.code, 0) << "MariaDB shut down uncleanly (signal " << exit.signal << ")";
  EXPECT_FALSE(server.value()->running());
  EXPECT_FALSE(mepsim::testing::process_alive(pid));
  EXPECT_TRUE(std::filesystem::exists(folder / "data")) << "kept for start_again";
  server.value().reset();
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST(MariadbServer, StartAgainKeepsCommittedRowsAtSameUrl) {
  // Stopped and started again on its data folder, the server answers at the same URL with
  // the same account, rows committed before are there, and a second start is a conflict.
  RealClock clock;
  Rng rng(5);
  auto server = MariadbServer::start({}, clock, rng);
  ASSERT_TRUE(server) << server.error().message;
  const auto url = server.value()->url();
  {
    auto db = MysqlConnection::open(url, 5s);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->execute("CREATE TABLE kept (id INT PRIMARY KEY)"));
    ASSERT_TRUE(db->execute("INSERT INTO kept VALUES (7)"));
  }
  auto stopped = server.value()->stop_running();
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->code, 0);
  EXPECT_FALSE(MysqlConnection::open(url, 1s));
  auto twice = server.value()->stop_running();
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
  auto started = server.value()->start_again(clock);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_TRUE(server.value()->running());
  auto db = MysqlConnection::open(url, 5s);
  ASSERT_TRUE(db) << db.error().message;
  auto rows = db->query("SELECT id FROM kept");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0][0], "7");
  auto running = server.value()->start_again(clock);
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ErrorCode::conflict);
}

TEST(MariadbServer, MissingBinaryIsNotFoundNamingIt) {
  // A server binary that is not there is a not_found error naming it and the package.
  RealClock clock;
  Rng rng(3);
  MariadbOptions options;
  options.server_program = "/nonexistent/bin/mariadbd";
  auto server = MariadbServer::start(options, clock, rng);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, ErrorCode::not_found);
  EXPECT_NE(server.error().message.find("/nonexistent/bin/mariadbd"), std::string::npos);
}

TEST(MariadbServer, ServerThatDiesAtBootReportsItsLog) {
  // A "server" that exits at once is reported with its exit code and log tail, not waited on.
  RealClock clock;
  Rng rng(4);
  const auto folder =
      std::filesystem::temp_directory_path() / ("mepsim-fake-mariadbd-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  const auto fake = folder / "mariadbd";
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\necho \"[ERROR] mepsim-test: refusing to boot\" >&2\nexit 1\n";
  }
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  MariadbOptions options;
  options.server_program = fake.string();
  auto server = MariadbServer::start(options, clock, rng);
  std::filesystem::remove_all(folder);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, ErrorCode::unavailable);
  EXPECT_NE(server.error().message.find("refusing to boot"), std::string::npos)
      << server.error().message;
}
