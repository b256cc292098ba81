// Unit tests of `mepsim ci` (harness/cli/ci_command.h): where it finds the GitHub fake,
// what it refuses before sending anything (exit 2), and what it sends to the admin route,
// against an in-process stub server on a loopback port.

#include "harness/cli/ci_command.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/datastore/scratch_dir.h"

namespace mepsim::ci_cli {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

// What a command printed on one stream.
struct Captured {
  Captured() : file(std::tmpfile()) {}
  ~Captured() { std::fclose(file); }
  std::string text() const {
    std::fflush(file);
    std::rewind(file);
    std::string out;
    char buffer[256];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) out.append(buffer, n);
    return out;
  }
  std::FILE* file;
};

// The GitHub fake's admin route, recorded; answers `status`.
class StubGithub {
 public:
  explicit StubGithub(int status) {
    server_.Put("/_mepsim/ci/branches/(.+)", [this, status](const httplib::Request& req,
                                                            httplib::Response& res) {
      std::lock_guard lock(mutex_);
      branch_ = req.matches[1].str();
      body_ = req.body;
      authorization_ = req.get_header_value("Authorization");
      res.status = status;
      res.set_content(status == 200
                          ? R"({"ok":true})"
                          : R"({"message":"Validation Failed","errors":[{"field":"branch"}]})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs.
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~StubGithub() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string branch() {
    std::lock_guard lock(mutex_);
    return branch_;
  }
  std::string body() {
    std::lock_guard lock(mutex_);
    return body_;
  }
  std::string authorization() {
    std::lock_guard lock(mutex_);
    return authorization_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string branch_, body_, authorization_;
};

TEST(CiConfig, NamesTheMissingVariable) {
  // No URL, no token, or an https URL: invalid_input naming the variable.
  auto none = github_target(env_of({}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::invalid_input);
  EXPECT_NE(none.error().message.find("GITHUB_API_URL"), std::string::npos);
  auto no_token = github_target(env_of({{"GITHUB_API_URL", "http://127.0.0.1:9"}}));
  ASSERT_FALSE(no_token.ok());
  EXPECT_NE(no_token.error().message.find("GITHUB_TOKEN"), std::string::npos);
  auto https =
      github_target(env_of({{"GITHUB_API_URL", "https://api.github.com"}, {"GITHUB_TOKEN", "t"}}));
  ASSERT_FALSE(https.ok());
  EXPECT_NE(https.error().message.find("GITHUB_API_URL"), std::string::npos);
  auto ok = github_target(
      env_of({{"GITHUB_API_URL", "http://127.0.0.1:8080/"}, {"GITHUB_TOKEN", "ghp_x"}}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->api_url.port, 8080);
  EXPECT_EQ(ok->api_url.target, "") << "a trailing slash is dropped";
}

TEST(CiConfig, ReadsTheEnvFileUpWrites) {
  // Bare and single-quoted values (with '\'' inside), comments and blank lines.
  auto dir = ScratchDir::create("mepsim-ci-test");
  ASSERT_TRUE(dir.ok());
  const auto path = dir->path() / "env";
  std::ofstream(path) << "# mepsim up\nGITHUB_API_URL=http://127.0.0.1:1234\n\n"
                         "GITHUB_TOKEN='it'\\''s secret'\nEMPTY=\n";
  auto entries = read_env_file(path);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_EQ(entries->at("GITHUB_API_URL"), "http://127.0.0.1:1234");
  EXPECT_EQ(entries->at("GITHUB_TOKEN"), "it's secret");
  EXPECT_EQ(entries->at("EMPTY"), "");

  std::ofstream(path) << "GITHUB_TOKEN=x\nnot a line\n";
  auto bad = read_env_file(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(path.string() + ":2"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(read_env_file(dir->path() / "missing").ok());
}

TEST(CiBranchNames, GitRules) {
  // What git check-ref-format refuses is refused before anything is sent.
  for (const char* good : {"develop", "main", "feature/signalement-v2", "review_app", "1.7.x"}) {
    EXPECT_TRUE(is_branch_name(good)) << good;
  }
  for (const char* bad : {"", "-f", "a..b", "a b", "x.lock", "a:b", "end/", "a~1", "a\\b", "@"}) {
    EXPECT_FALSE(is_branch_name(bad)) << bad;
  }
}

TEST(CiCommand, BadInputIsExitTwoAndSendsNothing) {
  // A bad --result, a bad --branch or no GitHub URL: exit 2 with the reason on stderr.
  StubGithub github(200);
  const auto env = env_of({{"GITHUB_API_URL", github.url()}, {"GITHUB_TOKEN", "ghp_secret"}});
  Captured out, err;
  EXPECT_EQ(run_ci_with({"develop", "red", std::nullopt}, env, out.file, err.file), 2);
  EXPECT_NE(err.text().find("--result"), std::string::npos) << err.text();
  EXPECT_EQ(run_ci_with({"a..b", "failure", std::nullopt}, env, out.file, err.file), 2);
  EXPECT_EQ(run_ci_with({"develop", "failure", std::nullopt}, env_of({}), out.file, err.file), 2);
  EXPECT_EQ(
      run_ci_with({"develop", "failure", std::string("/nonexistent/env")}, env, out.file, err.file),
      2);
  EXPECT_EQ(github.branch(), "") << "nothing was sent";
}

TEST(CiCommand, PutsTheResultOnTheBranch) {
  // The admin route gets {"result":…} for the branch (slashes kept), with the token;
  // the token is never printed.
  StubGithub github(200);
  const auto env = env_of({{"GITHUB_API_URL", github.url()}, {"GITHUB_TOKEN", "ghp_secret"}});
  Captured out, err;
  EXPECT_EQ(run_ci_with({"feature/x", "failure", std::nullopt}, env, out.file, err.file), 0)
      << err.text();
  EXPECT_EQ(github.branch(), "feature/x");
  EXPECT_EQ(nlohmann::json::parse(github.body()), (nlohmann::json{{"result", "failure"}}));
  EXPECT_EQ(github.authorization(), "token ghp_secret");
  EXPECT_NE(out.text().find("feature/x"), std::string::npos);
  EXPECT_EQ(out.text().find("ghp_secret"), std::string::npos);
  EXPECT_EQ(err.text().find("ghp_secret"), std::string::npos);

  EXPECT_EQ(run_ci_with({"develop", "default", std::nullopt}, env, out.file, err.file), 0);
  EXPECT_EQ(nlohmann::json::parse(github.body()), (nlohmann::json{{"result", "default"}}));
}

TEST(CiCommand, EnvFileWinsOverTheEnvironment) {
  // --env-file names the topology to act on, whatever the shell exported.
  StubGithub github(200);
  auto dir = ScratchDir::create("mepsim-ci-test");
  ASSERT_TRUE(dir.ok());
  const auto path = dir->path() / "env";
  std::ofstream(path) << "GITHUB_API_URL=" << github.url() << "\nGITHUB_TOKEN=ghp_file\n";
  const auto env = env_of({{"GITHUB_API_URL", "http://127.0.0.1:9"}, {"GITHUB_TOKEN", "other"}});
  Captured out, err;
  EXPECT_EQ(run_ci_with({"develop", "success", path.string()}, env, out.file, err.file), 0)
      << err.text();
  EXPECT_EQ(github.authorization(), "token ghp_file");
}

TEST(CiCommand, RefusalOrNoAnswerIsExitOne) {
  // A 422 from the fake, or nobody listening: exit 1 with the reason.
  StubGithub github(422);
  Captured out, err;
  EXPECT_EQ(run_ci_with({"develop", "failure", std::nullopt},
                        env_of({{"GITHUB_API_URL", github.url()}, {"GITHUB_TOKEN", "t"}}), out.file,
                        err.file),
            1);
  EXPECT_NE(err.text().find("422"), std::string::npos) << err.text();
  std::string closed_url;
  {
    StubGithub gone(200);
    closed_url = gone.url();
  }
  EXPECT_EQ(run_ci_with({"develop", "failure", std::nullopt},
                        env_of({{"GITHUB_API_URL", closed_url}, {"GITHUB_TOKEN", "t"}}), out.file,
                        err.file),
            1);
}

}  // namespace
}  // namespace mepsim::ci_cli
