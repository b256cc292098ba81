// `mepsim up` as users run it: a real process, real servers, real clients.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"
#include "tests/integration/process_tree.h"

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

// The web containers of a run: the mepsim-web processes below its mepsim process.
std::set<pid_t> web_pids(pid_t parent) {
  std::set<pid_t> pids;
  for (const auto& [pid, command] : process_tree(parent)) {
    if (pid != parent && command == "mepsim-web") pids.insert(pid);
  }
  return pids;
}

// Every mepsim-web on the machine whose DATABASE_URL is `database_url`'s server: what a
// run would leave behind, whoever its parent is now.
std::set<pid_t> web_pids_on(const std::string& database_url) {
  const auto url = parse_mysql_url(database_url);
  const std::string server = "@" + url->host + ":" + std::to_string(url->port) + "/";
  std::set<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream comm(entry.path() / "comm");
    std::string command;
    std::getline(comm, command);
    if (command != "mepsim-web") continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    const auto env = environ_of(pid);
    const auto db = env.find("DATABASE_URL");
    if (db != env.end() && db->second.find(server) != std::string::npos) pids.insert(pid);
  }
  return pids;
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
  // The profile's web containers: histologe ×2, staging ×1, demo ×1.
  const auto webs = web_pids(mepsim.process().pid());
  EXPECT_EQ(webs.size(), 4u) << out;
  EXPECT_EQ(web_pids_on(env.at("DATABASE_URL")).size(), 4u);
  std::smatch logs_line;
  ASSERT_TRUE(std::regex_search(out, logs_line, std::regex(R"(mepsim: logs\s+(\S+))"))) << out;
  const fs::path logs = logs_line[1].str();
  EXPECT_TRUE(fs::is_directory(logs)) << logs;

  const ExitStatus exit = mepsim.terminate();
  EXPECT_EQ(exit.code, 0) << mepsim.output();
  for (pid_t pid : pids) EXPECT_FALSE(process_alive(pid)) << "server pid " << pid << " survived";
  for (const auto& folder : folders) EXPECT_FALSE(fs::exists(folder)) << folder;
  for (pid_t pid : webs) EXPECT_FALSE(process_alive(pid)) << "web pid " << pid << " survived";
  EXPECT_TRUE(web_pids_on(env.at("DATABASE_URL")).empty());
  EXPECT_FALSE(fs::exists(logs)) << logs;
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

TEST(MepsimUp, MissingWebBinaryIsExitTwoNamingIt) {
  // A --web-binary that does not exist is refused before any server starts.
  MepsimProcess mepsim({"up", "--web-binary", "/nonexistent/mepsim-web"});
  const auto exit = mepsim.wait_exit(30);
  ASSERT_TRUE(exit.has_value()) << mepsim.output();
  EXPECT_EQ(exit->code, 2);
  EXPECT_NE(mepsim.output().find("--web-binary: /nonexistent/mepsim-web"), std::string::npos)
      << mepsim.output();
  EXPECT_TRUE(mepsim.started_pids().empty()) << mepsim.output();
}

TEST(MepsimUp, FailingMigrationsNameTheAppAndQuoteTheConsole) {
  // When an app's database cannot be migrated, up stops with the app, the command and
  // what the console said, and leaves nothing running.
  const auto scratch = ScratchDir::create("mepsim-console-test").value();
  const fs::path web = scratch.path() / "broken-web";
  std::ofstream(web) << "#!/bin/sh\necho \"SQLSTATE[42S01]: table signalement exists\" >&2\n"
                        "exit 1\n";
  fs::permissions(web, fs::perms::owner_all);
  MepsimProcess mepsim(
      {"up", "--web-binary", web.string(), "--env-file", (scratch.path() / "env").string()});
  const auto exit = mepsim.wait_exit(60);
  ASSERT_TRUE(exit.has_value()) << mepsim.output();
  EXPECT_EQ(exit->code, 1) << mepsim.output();
  const std::string out = mepsim.output();
  EXPECT_NE(out.find("preparing the database of histologe: `mepsim-web console "
                     "doctrine:migrations:migrate --no-interaction` exited with code 1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("table signalement exists"), std::string::npos) << out;
  for (pid_t pid : mepsim.started_pids()) EXPECT_FALSE(process_alive(pid)) << pid;
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

namespace {

// One `mepsim up` for the web suite: its containers are real mepsim-web processes behind
// one router per app. 20x: a restart's 8 s boot takes 0.4 s, a deployment ~6 s, and a
// container still has 3 real seconds (the 60 s start timeout) to answer.
class MepsimUpWeb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-up-web").value());
    env_file_ = scratch_->path() / "env";
    up_ = new MepsimProcess(
        {"up", "--seed", "7", "--time-scale", "20", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(120)) << up_->output();
    env_ = read_env_file(env_file_);
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr && up_->process().poll_exit() == std::nullopt) {
      const std::string database_url = env_.contains("DATABASE_URL") ? env_["DATABASE_URL"] : "";
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
      if (!database_url.empty()) {
        EXPECT_TRUE(web_pids_on(database_url).empty()) << "a mepsim-web of the run survived";
      }
    }
    delete up_;
    delete scratch_;
  }
  void SetUp() override {
    ASSERT_TRUE(env_.contains("APP_URL_HISTOLOGE")) << (up_ ? up_->output() : "");
  }

  static CommandResult with_env(const std::string& command) {
    return run_shell("set -a; . '" + env_file_.string() + "'; set +a; " + command + " 2>&1");
  }

  // A request on the Scalingo API fake with a fresh bearer; the body, empty on failure.
  static std::string api_text(const std::string& path, const std::string& method = "GET",
                              const nlohmann::json& body = nullptr) {
    httplib::Client auth(env_.at("SCALINGO_AUTH_URL"));
    auth.set_basic_auth("", env_.at("SCALINGO_API_TOKEN"));
    auto exchanged = auth.Post("/v1/tokens/exchange", "{}", "application/json");
    if (!exchanged || exchanged->status != 200) return "";
    const auto jwt = nlohmann::json::parse(exchanged->body).at("token").get<std::string>();
    httplib::Client client(env_.at("SCALINGO_API_URL"));
    const httplib::Headers headers{{"Authorization", "Bearer " + jwt}};
    auto reply = method == "POST"
                     ? client.Post(path.c_str(), headers, body.dump(), "application/json")
                     : client.Get(path.c_str(), headers);
    if (!reply || reply->status >= 300) {
      ADD_FAILURE() << method << " " << path << ": "
                    << (reply ? reply->body : httplib::to_string(reply.error()));
      return "";
    }
    return reply->body;
  }
  static nlohmann::json api(const std::string& method, const std::string& path,
                            const nlohmann::json& body = nullptr) {
    const std::string text = api_text(path, method, body);
    return text.empty() ? nlohmann::json() : nlohmann::json::parse(text);
  }

  // GET /_mepsim/health through an app's router: the status and the version served.
  static std::pair<int, std::string> health(const std::string& url_key) {
    httplib::Client client(env_.at(url_key));
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto reply = client.Get("/_mepsim/health");
    if (!reply) return {0, httplib::to_string(reply.error())};
    if (reply->status != 200) return {reply->status, reply->body};
    return {200, nlohmann::json::parse(reply->body).at("version").get<std::string>()};
  }

  // histologe's web processes: its DATABASE_URL is the env file's (the first app keeps
  // the server's database, the others get one of their own).
  static std::set<pid_t> histologe_webs() {
    std::set<pid_t> pids;
    for (pid_t pid : web_pids(up_->process().pid())) {
      if (environ_of(pid)["DATABASE_URL"] == env_.at("DATABASE_URL")) pids.insert(pid);
    }
    return pids;
  }

  // Waits (bounded) until histologe runs two web processes, none of them in `old`: the
  // old ones drained and stopped.
  static std::set<pid_t> wait_for_replacements(const std::set<pid_t>& old) {
    std::set<pid_t> now;
    for (int i = 0; i < 400; ++i) {
      now = histologe_webs();
      const bool replaced =
          std::none_of(now.begin(), now.end(), [&](pid_t pid) { return old.contains(pid); });
      if (replaced && now.size() == old.size()) return now;
      std::this_thread::sleep_for(50ms);
    }
    return now;
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline fs::path env_file_;
  static inline MepsimProcess* up_ = nullptr;
  static inline std::map<std::string, std::string> env_;
};

}  // namespace

TEST_F(MepsimUpWeb, EachAppHasARouterServingItsRelease) {
  // The env file names a router per app; through it the app's containers answer with the
  // release they run (the version in app.yaml at the app's initial ref, read from the git
  // origin: main is at 1.7.3, develop at 1.7.4). The routers are
  // printed; the fixture password is in the env file only.
  EXPECT_EQ(health("APP_URL_HISTOLOGE"), std::make_pair(200, std::string("1.7.3")));
  EXPECT_EQ(health("APP_URL_HISTOLOGE_STAGING"), std::make_pair(200, std::string("1.7.4")));
  EXPECT_EQ(health("APP_URL_HISTOLOGE_DEMO"), std::make_pair(200, std::string("1.7.3")));
  const std::string out = up_->output();
  for (const char* key :
       {"APP_URL_HISTOLOGE", "APP_URL_HISTOLOGE_STAGING", "APP_URL_HISTOLOGE_DEMO"}) {
    EXPECT_EQ(env_.at(key).rfind("http://127.0.0.1:", 0), 0u) << key;
    EXPECT_NE(out.find("mepsim: router " + env_.at(key) + "  ("), std::string::npos) << out;
  }
  const std::string password = env_.at("MEPSIM_FIXTURE_PASSWORD");
  EXPECT_TRUE(std::regex_match(password, std::regex("[a-z0-9]{20}"))) << password;
  EXPECT_EQ(out.find(password), std::string::npos) << "the fixture password was printed";
  const auto variables = with_env(std::string(MEPSIM_BINARY) + " scalingo -a histologe env");
  EXPECT_EQ(variables.output.find("MEPSIM_FIXTURE_PASSWORD"), std::string::npos)
      << "the fixture password is not an app variable";
}

TEST_F(MepsimUpWeb, RestartReplacesProcessesWithoutDroppingARequest) {
  // A rolling restart: new processes start with the variables set before it, join the
  // router once healthy, and the old ones drain and stop; sequential requests through the
  // router all get a 200 meanwhile.
  const std::string cli = std::string(MEPSIM_BINARY) + " scalingo -a histologe ";
  const auto set = with_env(cli + "env-set MEPSIM_PROBE=set-before-restart");
  ASSERT_EQ(set.code, 0) << set.output;
  const auto old = histologe_webs();
  ASSERT_EQ(old.size(), 2u);

  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::string first_failure;  // written by the traffic thread, read after the join
  std::thread traffic([&] {
    while (!done) {
      const auto [status, detail] = health("APP_URL_HISTOLOGE");
      if (status == 200) {
        ++answered;
      } else if (failed++ == 0) {
        first_failure = std::to_string(status) + " " + detail;
      }
    }
  });
  const auto restart = with_env(cli + "restart -s");
  const auto fresh = wait_for_replacements(old);
  // A little traffic after the last old process stopped: the router has only new ones.
  std::this_thread::sleep_for(300ms);
  done = true;
  traffic.join();

  EXPECT_EQ(restart.code, 0) << restart.output;
  EXPECT_EQ(failed.load(), 0) << "first failure: " << first_failure;
  EXPECT_GT(answered.load(), 20);
  ASSERT_EQ(fresh.size(), 2u) << up_->output();
  for (pid_t pid : fresh) {
    EXPECT_FALSE(old.contains(pid));
    EXPECT_EQ(environ_of(pid)["MEPSIM_PROBE"], "set-before-restart") << "pid " << pid;
  }
  for (pid_t pid : old) EXPECT_FALSE(process_alive(pid)) << "old pid " << pid << " survived";
}

TEST_F(MepsimUpWeb, DeploymentOfANewRefStartsItsVersion) {
  // A deployment through the API runs the real postdeploy hook, then replaces the web
  // processes with ones running the new release, which the router serves: production
  // (1.7.3, main) gets develop's app.yaml (1.7.4) from the git origin.
  const auto old = histologe_webs();
  ASSERT_EQ(old.size(), 2u);
  const auto created =
      api("POST", "/v1/apps/histologe/deployments",
          {{"deployment",
            {{"git_ref", "develop"},
             {"source_url", "https://github.com/MTES-MCT/histologe/archive/develop.tar.gz"}}}});
  ASSERT_FALSE(created.is_null());
  const std::string path =
      "/v1/apps/histologe/deployments/" + created.at("deployment").at("id").get<std::string>();
  std::string status;
  for (int i = 0; i < 600; ++i) {
    const auto got = api("GET", path);
    ASSERT_FALSE(got.is_null());
    status = got.at("deployment").at("status").get<std::string>();
    if (status == "success" || status.find("error") != std::string::npos || status == "aborted") {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(status, "success") << api_text(path + "/output");

  const auto fresh = wait_for_replacements(old);
  ASSERT_EQ(fresh.size(), 2u) << up_->output();
  for (pid_t pid : fresh) {
    EXPECT_FALSE(old.contains(pid));
    const auto env = environ_of(pid);
    EXPECT_EQ(env.at("APP_VERSION"), "1.7.4") << "pid " << pid;
    EXPECT_NE(env.at("MEPSIM_RELEASE").find("1.7.4"), std::string::npos) << "pid " << pid;
  }
  EXPECT_EQ(health("APP_URL_HISTOLOGE"), std::make_pair(200, std::string("1.7.4")));
}

TEST_F(MepsimUpWeb, MaintenanceByTheProcedureTakesEffectAtTheRestart) {
  // The procedure's literal commands: env-set changes nothing by itself; after
  // `restart -s` the API is in maintenance, a partner is logged out, an admin keeps the
  // back-office with the session opened before the restart (sessions live in Redis).
  const std::string cli = std::string(MEPSIM_BINARY) + " scalingo -a histologe ";
  httplib::Client app(env_.at("APP_URL_HISTOLOGE"));
  const auto login = [&](const std::string& email) {
    auto r =
        app.Post("/connexion", "email=" + email + "&password=" + env_.at("MEPSIM_FIXTURE_PASSWORD"),
                 "application/x-www-form-urlencoded");
    return r ? r->get_header_value("Set-Cookie").substr(0, 42) : std::string();
  };
  const std::string partner = login("user-13-01@signal-logement.fr");
  const std::string admin = login("admin-01@signal-logement.fr");
  ASSERT_EQ(partner.rfind("PHPSESSID=", 0), 0u) << partner;
  ASSERT_EQ(admin.rfind("PHPSESSID=", 0), 0u) << admin;

  ASSERT_EQ(with_env(cli + "env-set MAINTENANCE_ENABLE=1").code, 0);
  auto before = app.Get("/api/signalements");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 401) << "a variable change alone restarts nothing";

  auto old = histologe_webs();
  const auto restart = with_env(cli + "restart -s");
  ASSERT_EQ(restart.code, 0) << restart.output;
  wait_for_replacements(old);
  auto api_reply = app.Get("/api/signalements");
  ASSERT_TRUE(api_reply);
  EXPECT_EQ(api_reply->status, 503);
  EXPECT_EQ(api_reply->body,
            R"({"error":"Service indisponible","message":"Maintenance en cours"})");
  auto partner_bo = app.Get("/bo", {{"Cookie", partner}});
  ASSERT_TRUE(partner_bo);
  EXPECT_EQ(partner_bo->status, 302);
  EXPECT_EQ(partner_bo->get_header_value("Location"), "/logout");
  auto admin_bo = app.Get("/bo", {{"Cookie", admin}});
  ASSERT_TRUE(admin_bo);
  EXPECT_EQ(admin_bo->status, 200);

  // Back out of maintenance for the suite's other cases.
  ASSERT_EQ(with_env(cli + "env-set MAINTENANCE_ENABLE=0").code, 0);
  old = histologe_webs();
  ASSERT_EQ(with_env(cli + "restart -s").code, 0);
  wait_for_replacements(old);
  auto after = app.Get("/api/signalements");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(MepsimUpWeb, OneOffConsoleRunsTheAppsRealConsole) {
  // `scalingo run php bin/console …` runs the web container's console against the app's
  // database: the migration status lists the applied versions, and a cron command is
  // refused while a one-off's MAINTENANCE_ENABLE=1 says maintenance is on.
  const std::string cli = std::string(MEPSIM_BINARY) + " scalingo -a histologe ";
  const auto status = with_env(cli + "run php bin/console doctrine:migrations:status");
  EXPECT_EQ(status.code, 0) << status.output;
  EXPECT_NE(status.output.find("Version2026"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("Executed:"), std::string::npos) << status.output;
  const auto refused =
      with_env(cli + "run -e MAINTENANCE_ENABLE=1 php bin/console app:send-daily-emails");
  EXPECT_NE(refused.code, 0) << refused.output;
}
