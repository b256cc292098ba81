// `mepsim up` as users run it: a real process, real servers, real clients.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace fs = std::filesystem;
using namespace mepsim;
using namespace mepsim::testing;
using namespace std::chrono_literals;

namespace {

// The mariadb client takes no URL: spread the URL into its flags.
std::string mariadb_client_command(const MysqlUrl& url, const std::string& sql) {
  return "mariadb --protocol=tcp -h " + url.host + " -P " + std::to_string(url.port) + " -u " +
         url.user + " -p" + url.password + " " + url.database + " -N -e \"" + sql + "\" 2>&1";
}

void expect_reachable_with_real_clients(const std::map<std::string, std::string>& env) {
  auto mysql = parse_mysql_url(env.at("DATABASE_URL"));
  ASSERT_TRUE(mysql) << mysql.error().message;
  const auto sql = run_shell(mariadb_client_command(mysql.value(), "SELECT 40 + 2"));
  EXPECT_EQ(sql.code, 0) << sql.output;
  EXPECT_EQ(sql.output, "42\n");
  const auto redis =
      run_shell("redis-cli --no-auth-warning -u '" + env.at("REDIS_URL") + "' PING 2>&1");
  EXPECT_EQ(redis.code, 0) << redis.output;
  EXPECT_EQ(redis.output, "PONG\n");
}

}  // namespace

TEST(MepsimUp, ReadyReachableThenNothingLeftBehind) {
  // up prints ready, the env file's URLs answer real clients, and SIGTERM leaves no
  // server process, scratch folder or env file behind.
  const fs::path env_file =
      fs::temp_directory_path() / ("mepsim-up-test-" + std::to_string(getpid()) + ".env");
  MepsimProcess mepsim({"up", "--seed", "11", "--env-file", env_file.string()});
  ASSERT_TRUE(mepsim.wait_ready()) << mepsim.output();
  const std::string out = mepsim.output();
  EXPECT_EQ(out.rfind("mepsim: seed 11\n", 0), 0u) << "the seed is printed first:\n" << out;
  ASSERT_TRUE(fs::exists(env_file));
  const auto env = read_env_file(env_file);
  ASSERT_TRUE(env.contains("DATABASE_URL") && env.contains("REDIS_URL")) << out;
  EXPECT_EQ(out.find(parse_mysql_url(env.at("DATABASE_URL"))->password), std::string::npos)
      << "a password was printed";
  expect_reachable_with_real_clients(env);

  const auto pids = mepsim.started_pids();
  const auto folders = mepsim.started_folders();
  ASSERT_EQ(pids.size(), 2u) << out;
  ASSERT_EQ(folders.size(), 2u) << out;
  for (const auto& folder : folders) EXPECT_TRUE(fs::exists(folder)) << folder;

  const ExitStatus exit = mepsim.terminate();
  EXPECT_EQ(exit.code, 0) << mepsim.output();
  for (pid_t pid : pids) EXPECT_FALSE(process_alive(pid)) << "server pid " << pid << " survived";
  for (const auto& folder : folders) EXPECT_FALSE(fs::exists(folder)) << folder;
  EXPECT_FALSE(fs::exists(env_file));
  EXPECT_NE(mepsim.output().find("mepsim: fingerprint "), std::string::npos);
}

TEST(MepsimUp, TwoRunSideBySide) {
  // Two topologies at once get their own ports and servers and both answer.
  const auto scratch = ScratchDir::create("mepsim-two").value();
  const fs::path& base = scratch.path();
  MepsimProcess first({"up", "--env-file", (base / "a.env").string()});
  MepsimProcess second({"up", "--env-file", (base / "b.env").string()});
  ASSERT_TRUE(first.wait_ready()) << first.output();
  ASSERT_TRUE(second.wait_ready()) << second.output();
  const auto a = read_env_file(base / "a.env");
  const auto b = read_env_file(base / "b.env");
  EXPECT_NE(a.at("DATABASE_URL"), b.at("DATABASE_URL"));
  EXPECT_NE(a.at("REDIS_URL"), b.at("REDIS_URL"));
  expect_reachable_with_real_clients(a);
  expect_reachable_with_real_clients(b);
  EXPECT_EQ(first.terminate().code, 0);
  EXPECT_EQ(second.terminate().code, 0);
}

TEST(MepsimUp, MissingMariadbdIsExitTwoNotAHang) {
  // A machine without the server binary gets a clear message and exit code 2 at once.
  const fs::path env_file = fs::temp_directory_path() / "mepsim-missing.env";
  MepsimProcess mepsim(
      {"up", "--mariadbd", "/nonexistent/mariadbd", "--env-file", env_file.string()});
  const auto exit = mepsim.wait_exit(30);
  ASSERT_TRUE(exit.has_value()) << "still running:\n" << mepsim.output();
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(mepsim.output().find("/nonexistent/mariadbd"), std::string::npos) << mepsim.output();
  EXPECT_NE(mepsim.output().find("mariadb-server-core"), std::string::npos) << mepsim.output();
  EXPECT_FALSE(fs::exists(env_file));
}

TEST(MepsimUp, BadUrlIsExitTwoNamingTheFlag) {
  // A malformed --mysql-url is refused before anything starts, naming the flag and column.
  MepsimProcess mepsim({"up", "--mysql-url", "mysql://u:p@127.0.0.1:99999/db"});
  const auto exit = mepsim.wait_exit(30);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(mepsim.output().find("--mysql-url"), std::string::npos) << mepsim.output();
  EXPECT_NE(mepsim.output().find("column"), std::string::npos) << mepsim.output();
  EXPECT_TRUE(mepsim.started_pids().empty());
}

TEST(MepsimUp, BadProfileIsExitTwoNamingLineAndColumn) {
  // A typo in a profile stops up before anything serves, naming file:line:col; the
  // servers it had started are stopped and their folders removed.
  const auto scratch = ScratchDir::create("mepsim-profile-test").value();
  const fs::path profile = scratch.path() / "typo.yaml";
  std::ofstream(profile) << "name: histologe\napps:\n  - name: histologe\n    formaton: []\n";
  MepsimProcess mepsim(
      {"up", "--profile", profile.string(), "--env-file", (scratch.path() / "env").string()});
  const auto exit = mepsim.wait_exit(60);
  ASSERT_TRUE(exit.has_value()) << mepsim.output();
  EXPECT_EQ(exit->code, 2) << mepsim.output();
  EXPECT_NE(mepsim.output().find(profile.string() + ":4:5: unknown key 'formaton'"),
            std::string::npos)
      << mepsim.output();
  for (const auto& folder : mepsim.started_folders()) EXPECT_FALSE(fs::exists(folder)) << folder;
  EXPECT_FALSE(fs::exists(scratch.path() / "env"));
}

TEST(MepsimUp, AttachesToGivenServersAndLeavesThemRunning) {
  // With --mysql-url and --redis-url, up starts no server and stops none of the user's.
  RealClock clock;
  Rng rng(5);
  auto mariadb = MariadbServer::start({}, clock, rng);
  ASSERT_TRUE(mariadb) << mariadb.error().message;
  auto redis = RedisServer::start({}, clock, rng);
  ASSERT_TRUE(redis) << redis.error().message;
  const fs::path env_file =
      fs::temp_directory_path() / ("mepsim-attach-" + std::to_string(getpid()) + ".env");
  MepsimProcess mepsim({"up", "--env-file", env_file.string(), "--mysql-url",
                        mariadb.value()->url().str(), "--redis-url", redis.value()->url().str()});
  ASSERT_TRUE(mepsim.wait_ready()) << mepsim.output();
  EXPECT_TRUE(mepsim.started_pids().empty()) << mepsim.output();
  const auto env = read_env_file(env_file);
  EXPECT_EQ(env.at("DATABASE_URL"), mariadb.value()->url().str());
  EXPECT_EQ(env.at("REDIS_URL"), redis.value()->url().str());
  EXPECT_EQ(mepsim.terminate().code, 0);
  EXPECT_TRUE(process_alive(mariadb.value()->pid()));
  EXPECT_TRUE(process_alive(redis.value()->pid()));
  auto still = MysqlConnection::open(mariadb.value()->url(), 5s);
  EXPECT_TRUE(still) << "the attached MariaDB was stopped";
}

TEST(MepsimUp, UnreachableAttachedServerIsAClearFailure) {
  // An attach URL nobody answers on fails fast with the redacted URL, not a hang.
  MepsimProcess mepsim({"up", "--redis-url", "redis://default:secret@127.0.0.1:1/0", "--mysql-url",
                        "mysql://u:secret@127.0.0.1:1/db"});
  const auto exit = mepsim.wait_exit(60);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->code, 1);
  EXPECT_NE(mepsim.output().find("mysql://u:***@127.0.0.1:1/db"), std::string::npos)
      << mepsim.output();
  EXPECT_EQ(mepsim.output().find("secret"), std::string::npos) << mepsim.output();
}

TEST(MepsimCli, UsageErrorsExitTwoHelpAndVersionZero) {
  // The CLI conventions: --help and --version exit 0; unknown commands and flags exit 2
  // with usage on stderr.
  const std::string bin = MEPSIM_BINARY;
  EXPECT_EQ(run_shell(bin + " --help >/dev/null").code, 0);
  EXPECT_EQ(run_shell(bin + " up --help >/dev/null").code, 0);
  const auto version = run_shell(bin + " --version");
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.output.rfind("mepsim ", 0), 0u) << version.output;
  const auto unknown = run_shell(bin + " frobnicate 2>&1 >/dev/null");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.output.find("Usage:"), std::string::npos) << unknown.output;
  const auto flag = run_shell(bin + " up --bogus 2>&1 >/dev/null");
  EXPECT_EQ(flag.code, 2);
  EXPECT_NE(flag.output.find("--env-file"), std::string::npos) << "up's usage: " << flag.output;
  EXPECT_EQ(run_shell(bin + " 2>/dev/null").code, 2);
}
