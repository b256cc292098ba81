// A release rehearsed by hand, with the built mepsim: `mepsim shell` standing its own
// topology up, the procedure typed literally in its working clone (the push of main merges
// the open review_app PR: R3; a variable set on production only, never restarted), then the
// report written on leaving; and `mepsim rehearsal report` against a running `mepsim up`,
// with `mepsim shell` attaching to it. No secret of the env file reaches a report.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "sim/datastore/scratch_dir.h"
#include "sim/process/child_process.h"
#include "tests/integration/mepsim_process.h"

namespace fs = std::filesystem;
using namespace mepsim;
using namespace mepsim::testing;
using nlohmann::json;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `mepsim ARGS…` to its end (at most `timeout_s`) with SHELL=/bin/bash; its exit code,
// or -1 when it had to be stopped. Its output goes to `log`.
int run_mepsim(std::vector<std::string> args, const fs::path& log, int timeout_s) {
  auto child =
      ChildProcess::spawn({MEPSIM_BINARY, std::move(args), {{"SHELL", "/bin/bash"}}, log, {}});
  if (!child) {
    ADD_FAILURE() << child.error().message;
    return -1;
  }
  auto ended = child->wait_exit(std::chrono::seconds(timeout_s));
  if (!ended) {
    child->stop(std::chrono::seconds(30));
    return -1;
  }
  return ended->code;
}

// Neither file of the report holds any of `secrets`.
void expect_no_secret(const std::vector<fs::path>& files, const std::vector<std::string>& secrets) {
  for (const auto& file : files) {
    const std::string text = read_text(file);
    ASSERT_FALSE(text.empty()) << file;
    for (const auto& secret : secrets) {
      ASSERT_GE(secret.size(), 6u);
      EXPECT_EQ(text.find(secret), std::string::npos) << "a secret in " << file;
    }
  }
}

bool mentions(const json& violation, const std::string& word) {
  return violation.dump().find(word) != std::string::npos;
}

TEST(RehearsalShell, TheProcedureTypedLiterallyIsJudged) {
  // `mepsim shell --command` stands a topology up, runs the procedure in the working clone
  // with the env file's variables and this build's scalingo, and on leaving writes the
  // report: R3 for PR #1141, the unrestarted FOO, the measured figures, no secret.
  auto scratch = ScratchDir::create("mepsim-shell-test").value();
  const fs::path work = scratch.path() / "work";
  const fs::path log = scratch.path() / "shell.log";
  const std::string command =
      "printenv GITHUB_TOKEN SCALINGO_API_TOKEN MEPSIM_FIXTURE_PASSWORD > ../secrets.txt && "
      "command -v scalingo > ../which.txt && printenv GIT_AUTHOR_NAME >> ../which.txt && "
      "git remote get-url origin >> ../which.txt && "
      "git checkout main && git pull origin main && git merge develop --no-edit && "
      "git push origin main && scalingo -a histologe env-set FOO=1";
  const int code = run_mepsim(
      {"shell", "--time-scale", "60", "--seed", "11", "--env-file",
       (scratch.path() / "env").string(), "--workdir", work.string(), "--command", command},
      log, 240);
  const std::string output = read_text(log);
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("R3-review-apps-closed"), std::string::npos) << output;
  EXPECT_NE(output.find("mepsim: fingerprint "), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(scratch.path() / "env")) << "the env file outlived its topology";

  // The shell's environment: this build's scalingo, the profile's user, a plain origin.
  std::istringstream which(read_text(work / "which.txt"));
  std::string scalingo, author, origin;
  std::getline(which, scalingo);
  std::getline(which, author);
  std::getline(which, origin);
  EXPECT_EQ(fs::path(scalingo), fs::path(MEPSIM_BINARY).parent_path() / "scalingo");
  EXPECT_EQ(author, "mepsim");
  EXPECT_EQ(origin.find('@'), std::string::npos) << origin;
  EXPECT_NE(read_text(work / "histologe" / ".git" / "config").find("extraHeader"),
            std::string::npos);

  const json report = json::parse(read_text(work / "rehearsal-report.json"));
  const json& scenario = report.at("scenarios").at(0);
  EXPECT_EQ(scenario.at("name"), "rehearsal");
  ASSERT_FALSE(scenario.at("violations").empty());
  bool r3 = false;
  bool foo = false;
  for (const auto& v : scenario.at("violations")) {
    r3 = r3 || (v.at("rule") == "R3-review-apps-closed" && mentions(v, "1141"));
    foo = foo || ((v.at("rule") == "R9-restart-applies" || v.at("rule") == "R7-demo-parity") &&
                  mentions(v, "FOO"));
  }
  EXPECT_TRUE(r3) << scenario.at("violations").dump(2);
  EXPECT_TRUE(foo) << scenario.at("violations").dump(2);
  EXPECT_TRUE(scenario.at("measurements").contains("apps")) << scenario.at("measurements");
  EXPECT_NE(read_text(work / "rehearsal-report.html").find("R3-review-apps-closed"),
            std::string::npos);

  std::vector<std::string> secrets;
  std::istringstream lines(read_text(work / "secrets.txt"));
  for (std::string line; std::getline(lines, line);) secrets.push_back(line);
  ASSERT_EQ(secrets.size(), 3u);
  expect_no_secret({work / "rehearsal-report.json", work / "rehearsal-report.html", log}, secrets);
}

class RehearsalReportCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir(ScratchDir::create("mepsim-rehearsal-test").value());
    env_file_ = scratch_->path() / "env";
    up_ = new MepsimProcess(
        {"up", "--seed", "5", "--time-scale", "60", "--env-file", env_file_.string()});
    ASSERT_TRUE(up_->wait_ready(120)) << up_->output();
    env_ = read_env_file(env_file_);
  }
  static void TearDownTestSuite() {
    if (up_ != nullptr) {
      EXPECT_EQ(up_->terminate().code, 0) << up_->output();
    }
    delete up_;
    delete scratch_;
  }
  static std::vector<std::string> secrets() {
    return {env_.at("GITHUB_TOKEN"), env_.at("SCALINGO_API_TOKEN"),
            env_.at("MEPSIM_FIXTURE_PASSWORD")};
  }

  static inline ScratchDir* scratch_ = nullptr;
  static inline MepsimProcess* up_ = nullptr;
  static inline fs::path env_file_;
  static inline std::map<std::string, std::string> env_;
};

TEST_F(RehearsalReportCommand, WritesTheRunningRehearsalsReport) {
  // Against `mepsim up`: exit 0, both files written, the production app's two web
  // containers measured (the request made here counted), no secret in either file.
  httplib::Client app(env_.at("APP_URL_HISTOLOGE"));
  auto home = app.Get("/");
  ASSERT_TRUE(home);
  const fs::path json_path = scratch_->path() / "out" / "report.json";
  const fs::path html_path = scratch_->path() / "out" / "report.html";
  const auto done =
      run_shell(std::string(MEPSIM_BINARY) + " rehearsal report --env-file '" + env_file_.string() +
                "' --json '" + json_path.string() + "' --html '" + html_path.string() + "' 2>&1");
  ASSERT_EQ(done.code, 0) << done.output;
  EXPECT_NE(done.output.find("of the procedure's rules"), std::string::npos) << done.output;
  EXPECT_NE(done.output.find(json_path.string()), std::string::npos) << done.output;
  const json report = json::parse(read_text(json_path));
  const json& scenario = report.at("scenarios").at(0);
  EXPECT_EQ(scenario.at("name"), "rehearsal");
  const json& production = scenario.at("measurements").at("apps").at("histologe");
  EXPECT_EQ(production.at("containers"), 2);
  EXPECT_GE(production.at("requests").get<int>(), 1);
  EXPECT_NE(read_text(html_path).find("rehearsal"), std::string::npos);
  expect_no_secret({json_path, html_path}, secrets());
}

TEST_F(RehearsalReportCommand, ShellAttachesToTheRunningTopology) {
  // `mepsim shell` with the env file of a running `mepsim up` works on that topology
  // (scalingo reaches its fake) and leaves it running.
  const fs::path work = scratch_->path() / "attached";
  const fs::path log = scratch_->path() / "attached.log";
  const int code = run_mepsim({"shell", "--env-file", env_file_.string(), "--workdir",
                               work.string(), "--command", "scalingo -a histologe env"},
                              log, 120);
  const std::string output = read_text(log);
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("attached to the running topology"), std::string::npos) << output;
  EXPECT_NE(output.find("MAINTENANCE_ENABLE"), std::string::npos) << output;
  EXPECT_TRUE(fs::exists(work / "rehearsal-report.json"));
  EXPECT_TRUE(fs::exists(env_file_)) << "the shell stopped a topology it did not start";
}

TEST_F(RehearsalReportCommand, ExitCodesSayWhatWentWrong) {
  // 2 without an env file to read; 1 when the topology behind it does not answer.
  const auto missing =
      run_shell(std::string(MEPSIM_BINARY) + " rehearsal report --env-file /nonexistent/env 2>&1");
  EXPECT_EQ(missing.code, 2) << missing.output;
  const fs::path dead = scratch_->path() / "dead-env";
  std::ofstream(dead) << "MEPSIM_ADMIN_URL=http://127.0.0.1:9\n";
  const auto silent = run_shell(std::string(MEPSIM_BINARY) + " rehearsal report --env-file '" +
                                dead.string() + "' --json /dev/null --html /dev/null 2>&1");
  EXPECT_EQ(silent.code, 1) << silent.output;
}

TEST_F(RehearsalReportCommand, UpAnnouncesAViolationAsItHappens) {
  // The push of main by hand merges PR #1141: `mepsim up` prints R3 once, while it runs.
  const fs::path clone = scratch_->path() / "by-hand";
  std::string url = env_.at("GIT_ORIGIN_URL");
  url.insert(std::string("http://").size(), "x-access-token:" + env_.at("GITHUB_TOKEN") + "@");
  const auto pushed = run_shell(
      "git clone -q '" + url + "' '" + clone.string() + "' 2>&1 && cd '" + clone.string() +
      "' && export GIT_AUTHOR_NAME=mep GIT_AUTHOR_EMAIL=mep@example.org "
      "GIT_COMMITTER_NAME=mep GIT_COMMITTER_EMAIL=mep@example.org && "
      "git merge -q origin/develop --no-edit 2>&1 && git push -q origin main 2>&1");
  ASSERT_EQ(pushed.code, 0) << pushed.output;
  const std::string line = "mepsim: violation R3-review-apps-closed at ";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (up_->output().find(line) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // more polls: still printed once
  const std::string output = up_->output();
  const auto first = output.find(line);
  ASSERT_NE(first, std::string::npos) << output;
  EXPECT_EQ(output.find(line, first + 1), std::string::npos) << output;
  EXPECT_NE(output.find("PR #1141", first), std::string::npos) << output;
}

}  // namespace
