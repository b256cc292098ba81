// ChildProcess against real programs.

#include "sim/process/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/datastore/scratch_dir.h"

using namespace mepsim;
using namespace std::chrono_literals;

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

SpawnSpec shell(const std::string& script, const std::filesystem::path& log) {
  return SpawnSpec{"/bin/sh", {"-c", script}, {{"MEPSIM_TEST_VAR", "from-spec"}}, log, {}};
}

}  // namespace

TEST(ChildProcess, ExitCodeOutputAndEnvironment) {
  // A child's exit code, output and environment overrides reach the owner.
  auto scratch = ScratchDir::create("mepsim-child").value();
  const auto log = scratch.path() / "out.log";
  auto child = ChildProcess::spawn(shell("echo \"var=$MEPSIM_TEST_VAR\"; exit 3", log));
  ASSERT_TRUE(child) << child.error().message;
  const auto exit = child->wait_exit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 3);
  EXPECT_EQ(exit->signal, 0);
  EXPECT_EQ(read_all(log), "var=from-spec\n");
}

TEST(ChildProcess, MissingProgramFailsAtSpawn) {
  // exec failures are reported by spawn itself, with the errno text, not as exit 127.
  auto scratch = ScratchDir::create("mepsim-child").value();
  auto child = ChildProcess::spawn({"/nonexistent/program", {}, {}, scratch.path() / "l", {}});
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().code, ErrorCode::not_found);
  EXPECT_NE(child.error().message.find("/nonexistent/program"), std::string::npos);
}

TEST(ChildProcess, StopEscalatesToSigkill) {
  // A child that ignores SIGTERM is killed once the grace period is over.
  auto scratch = ScratchDir::create("mepsim-child").value();
  const auto log = scratch.path() / "out.log";
  auto child =
      ChildProcess::spawn(shell("trap '' TERM; echo armed; while :; do sleep 1; done", log));
  ASSERT_TRUE(child);
  for (int i = 0; i < 500 && read_all(log).empty(); ++i) child->wait_exit(10ms);
  const auto exit = child->stop(200ms);
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_EQ(exit.code, 128 + SIGKILL);
}

TEST(ChildProcess, StopEndsWithSigterm) {
  // A well-behaved child ends on SIGTERM and the status says so.
  auto scratch = ScratchDir::create("mepsim-child").value();
  auto child =
      ChildProcess::spawn({find_program("sleep").value(), {"100"}, {}, scratch.path() / "l", {}});
  ASSERT_TRUE(child);
  const auto exit = child->stop(10s);
  EXPECT_EQ(exit.signal, SIGTERM);
}

TEST(ChildProcess, WaitExitTimesOutOnLiveChild) {
  // wait_exit returns nothing when the child outlives the timeout.
  auto scratch = ScratchDir::create("mepsim-child").value();
  auto child =
      ChildProcess::spawn({find_program("sleep").value(), {"100"}, {}, scratch.path() / "l", {}});
  ASSERT_TRUE(child);
  EXPECT_FALSE(child->wait_exit(50ms));
  EXPECT_FALSE(child->poll_exit());
}

TEST(ChildProcess, DestructorKillsAndReaps) {
  // Dropping the owner kills the child: nothing outlives it.
  auto scratch = ScratchDir::create("mepsim-child").value();
  pid_t pid = 0;
  {
    auto child =
        ChildProcess::spawn({find_program("sleep").value(), {"100"}, {}, scratch.path() / "l", {}});
    ASSERT_TRUE(child);
    pid = child->pid();
  }
  EXPECT_EQ(kill(pid, 0), -1);
}

TEST(ScratchDir, RemovedWithItsOwner) {
  // The scratch folder and what it holds are gone when the owner is.
  std::filesystem::path path;
  {
    auto scratch = ScratchDir::create("mepsim-scratch").value();
    path = scratch.path();
    std::ofstream(path / "file") << "x";
    ASSERT_TRUE(std::filesystem::exists(path / "file"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}
