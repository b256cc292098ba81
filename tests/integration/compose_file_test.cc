// Integration tests of compose/: Debian's docker-compose (no engine needed) validates
// docker-compose.yml and resolves it; the resolved file has the production versions of
// the datastores with health checks, ports on loopback only, and mepsim commands that
// mepsim's own command line accepts; and the image installs every library the built
// programs link against. docker-compose missing is a failure (scripts/install-deps
// installs it), never a skip.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/cli/run_command.h"
#include "harness/cli/up_command.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/process/child_process.h"

namespace mepsim {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = MEPSIM_SOURCE_DIR;
const fs::path kComposeFile = kSource / "compose" / "docker-compose.yml";

struct Ran {
  int code = -1;
  std::string out, err;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `program args…` to its end (at most a minute), stdout and stderr apart.
Ran run(const std::string& program, const std::vector<std::string>& args,
        std::vector<std::pair<std::string, std::string>> env = {}) {
  Ran ran;
  auto found = find_program(program);
  if (!found) {
    ADD_FAILURE() << program
                  << " is missing (scripts/install-deps installs it): " << found.error().message;
    return ran;
  }
  auto scratch = ScratchDir::create("mepsim-compose-test");
  EXPECT_TRUE(scratch) << scratch.error().message;
  if (!scratch) return ran;
  const fs::path out = scratch->path() / "out", err = scratch->path() / "err";
  std::vector<std::string> words = {
      "-c", "exec \"$0\" \"$@\" >'" + out.string() + "' 2>'" + err.string() + "'", found->string()};
  words.insert(words.end(), args.begin(), args.end());
  auto child = ChildProcess::spawn({"/bin/sh", words, std::move(env), scratch->path() / "log", {}});
  EXPECT_TRUE(child) << child.error().message;
  if (!child) return ran;
  const auto exit = child->wait_exit(std::chrono::seconds(60));
  EXPECT_TRUE(exit) << program << " did not end within a minute";
  ran.code = exit ? exit->code : -1;
  ran.out = read_text(out);
  ran.err = read_text(err);
  return ran;
}

// The compose file as docker-compose resolves it, with the settings' defaults unless
// `env` sets them.
YAML::Node resolved(std::vector<std::pair<std::string, std::string>> env = {}) {
  for (const char* name : {"MEPSIM_MYSQL_PASSWORD", "MEPSIM_REDIS_PASSWORD", "MEPSIM_MYSQL_PORT",
                           "MEPSIM_REDIS_PORT", "MEPSIM_TIME_SCALE", "MEPSIM_SEED",
                           "MEPSIM_SCENARIOS", "MEPSIM_REPORTS", "MEPSIM_UID", "MEPSIM_GID"}) {
    const bool given =
        std::any_of(env.begin(), env.end(), [&](const auto& e) { return e.first == name; });
    if (!given) env.emplace_back(name, "");  // empty: the file's default
  }
  const auto ran = run("docker-compose", {"-f", kComposeFile.string(), "config"}, std::move(env));
  EXPECT_EQ(ran.code, 0) << ran.err;
  EXPECT_EQ(ran.err, "");
  return ran.code == 0 ? YAML::Load(ran.out) : YAML::Node();
}

std::vector<std::string> strings(const YAML::Node& sequence) {
  std::vector<std::string> out;
  for (const auto& item : sequence) out.push_back(item.as<std::string>());
  return out;
}

template <typename Options, typename Add>
void parse_as_mepsim(std::vector<std::string> arguments, Options& options, Add add) {
  CLI::App app{"mepsim"};
  app.require_subcommand(1, 1);
  add(app, options);
  std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last first
  app.parse(arguments);
}

TEST(ComposeFile, DebiansDockerComposeValidatesIt) {
  // `docker-compose config` reads the file against the compose schema with no engine,
  // and refuses a file that breaks it (so that its approval means something).
  const auto services = resolved()["services"];
  ASSERT_TRUE(services.IsMap());
  std::set<std::string> names;
  for (const auto& service : services) names.insert(service.first.as<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"mysql", "redis", "mepsim", "scenarios"}));

  auto scratch = ScratchDir::create("mepsim-compose-test");
  ASSERT_TRUE(scratch);
  const auto broken = scratch->path() / "docker-compose.yml";
  std::ofstream(broken) << "services:\n  mysql:\n    image: mysql:8.4\n"
                           "    healthcheck:\n      tset: [\"CMD\", \"true\"]\n";
  const auto ran = run("docker-compose", {"-f", broken.string(), "config"});
  EXPECT_NE(ran.code, 0);
  EXPECT_NE(ran.err.find("tset"), std::string::npos) << ran.err;
}

TEST(ComposeFile, ProductionDatastoresWithHealthChecksOnLoopback) {
  // MySQL 8.4 and Redis 7.2 (production's), each with a health check that mepsim waits
  // for; every published port bound to 127.0.0.1; mepsim itself healthy once ready.
  const auto services = resolved()["services"];
  EXPECT_EQ(services["mysql"]["image"].as<std::string>(), "mysql:8.4");
  EXPECT_EQ(services["redis"]["image"].as<std::string>(), "redis:7.2");
  for (const char* name : {"mysql", "redis", "mepsim"}) {
    const auto test = services[name]["healthcheck"]["test"];
    ASSERT_TRUE(test.IsSequence() && test.size() >= 2) << name << " has no health check";
    EXPECT_NE(test[0].as<std::string>(), "NONE") << name;
  }
  for (const char* name : {"mepsim", "scenarios"}) {
    for (const char* server : {"mysql", "redis"}) {
      EXPECT_EQ(services[name]["depends_on"][server]["condition"].as<std::string>(),
                "service_healthy")
          << name << " → " << server;
    }
  }
  int published = 0;
  for (const auto& service : services) {
    for (const auto& port : service.second["ports"]) {
      ++published;
      const auto text =
          port.IsScalar() ? port.as<std::string>() : port["host_ip"].as<std::string>("") + ":";
      EXPECT_EQ(text.rfind("127.0.0.1:", 0), 0u)
          << service.first.as<std::string>() << " publishes " << text << " beyond loopback";
    }
  }
  EXPECT_EQ(published, 2);
  EXPECT_EQ(services["mepsim"]["build"]["dockerfile"].as<std::string>(), "compose/Dockerfile");
  EXPECT_EQ(strings(services["scenarios"]["profiles"]), std::vector<std::string>{"run"});
}

TEST(ComposeFile, MepsimCommandsReachTheServersWithTheirPasswords) {
  // `mepsim up` and `mepsim run` parse with mepsim's command line and point at the compose
  // servers by name, with the passwords the servers were given; the ports follow the
  // settings.
  const auto services = resolved({{"MEPSIM_MYSQL_PASSWORD", "s3cret"},
                                  {"MEPSIM_REDIS_PASSWORD", "r3dis"},
                                  {"MEPSIM_MYSQL_PORT", "23306"},
                                  {"MEPSIM_TIME_SCALE", "120"}})["services"];
  EXPECT_EQ(services["mysql"]["environment"]["MYSQL_ROOT_PASSWORD"].as<std::string>(), "s3cret");
  EXPECT_EQ(strings(services["mysql"]["ports"]),
            std::vector<std::string>{"127.0.0.1:23306:3306/tcp"});
  const auto redis_command = strings(services["redis"]["command"]);
  EXPECT_NE(std::find(redis_command.begin(), redis_command.end(), "r3dis"), redis_command.end());

  UpOptions up;
  parse_as_mepsim(strings(services["mepsim"]["command"]), up, add_up_command);
  EXPECT_DOUBLE_EQ(up.topology.time_scale, 120);
  RunOptions run;
  parse_as_mepsim(strings(services["scenarios"]["command"]), run, add_run_command);
  EXPECT_EQ(run.paths, std::vector<std::string>{"scenarios/"});
  EXPECT_EQ(run.json_path, "reports/run.json");
  for (const auto& [mysql_text, redis_text] :
       {std::pair{*up.topology.mysql_url, *up.topology.redis_url},
        std::pair{*run.mysql_url, *run.redis_url}}) {
    const auto mysql = parse_mysql_url(mysql_text);
    ASSERT_TRUE(mysql) << mysql.error().message;
    EXPECT_EQ(mysql->host, "mysql");
    EXPECT_EQ(mysql->port, 3306);
    EXPECT_EQ(mysql->password, "s3cret");
    EXPECT_EQ(mysql->database,
              services["mysql"]["environment"]["MYSQL_DATABASE"].as<std::string>());
    const auto redis = parse_redis_url(redis_text);
    ASSERT_TRUE(redis) << redis.error().message;
    EXPECT_EQ(redis->host, "redis");
    EXPECT_EQ(redis->port, 6379);
    EXPECT_EQ(redis->password, "r3dis");
  }
}

// The Debian package holding a shared library, by the path ldd printed (merged /usr or
// not, as dpkg recorded it).
std::string package_of(const std::string& library) {
  std::vector<std::string> candidates = {library, fs::weakly_canonical(library).string()};
  for (std::size_t i = 0, n = candidates.size(); i < n; ++i) {
    const auto& c = candidates[i];
    if (c.starts_with("/usr/lib/")) candidates.push_back(c.substr(4));
    if (c.starts_with("/lib/")) candidates.push_back("/usr" + c);
  }
  for (const auto& c : candidates) {
    const auto ran = run("dpkg-query", {"--search", c});
    if (ran.code == 0) return ran.out.substr(0, ran.out.find(':'));
  }
  ADD_FAILURE() << "no Debian package holds " << library;
  return "";
}

TEST(ComposeFile, TheImageInstallsWhatTheProgramsLinkAgainst) {
  // Every library mepsim and mepsim-web load comes from a package that the image's last
  // stage installs (or that debian:12-slim has): a new dependency fails here, not in a
  // container. The build stage builds as the README does.
  const auto dockerfile = read_text(kSource / "compose" / "Dockerfile");
  const auto runtime_stage = dockerfile.substr(dockerfile.rfind("\nFROM "));
  EXPECT_NE(runtime_stage.find("FROM debian:12-slim"), std::string::npos);
  const auto build_stage = dockerfile.substr(0, dockerfile.rfind("\nFROM "));
  EXPECT_NE(build_stage.find("FROM debian:12 AS build"), std::string::npos);
  EXPECT_NE(build_stage.find("RUN scripts/install-deps"), std::string::npos);
  EXPECT_NE(build_stage.find("--target mepsim mepsim-web"), std::string::npos);
  // The suite's build links mepsim's own libraries as shared ones; the image's links them in.
  EXPECT_NE(build_stage.find("-DBUILD_SHARED_LIBS=OFF"), std::string::npos);

  const auto ldd = run("ldd", {MEPSIM_BINARY, MEPSIM_WEB_BINARY});
  ASSERT_EQ(ldd.code, 0) << ldd.err;
  std::set<std::string> packages;
  std::istringstream lines(ldd.out);
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find("=> /");
    if (arrow == std::string::npos) continue;
    const auto path = line.substr(arrow + 3, line.find(" (", arrow) - arrow - 3);
    if (fs::path(path).filename().string().starts_with("libmepsim_")) continue;
    packages.insert(package_of(path));
  }
  EXPECT_GE(packages.size(), 5u);
  const std::set<std::string> in_base_image = {"libc6", "libgcc-s1", "libstdc++6"};
  // The sanitized build of the suite links the sanitizers' runtimes; the image's build
  // (RelWithDebInfo, no sanitizer) does not.
  const std::set<std::string> sanitizer_runtimes = {"libasan8", "libubsan1", "libtsan2",
                                                    "liblsan0"};
  for (const auto& package : packages) {
    if (in_base_image.contains(package) || sanitizer_runtimes.contains(package)) continue;
    EXPECT_NE(runtime_stage.find(" " + package + " "), std::string::npos)
        << package << " is linked but not installed by compose/Dockerfile's last stage";
  }
}

}  // namespace
}  // namespace mepsim
