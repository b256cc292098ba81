#include "tests/integration/mepsim_process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace mepsim::testing {

MepsimProcess::MepsimProcess(std::vector<std::string> args)
    : scratch_(ScratchDir::create("mepsim-test").value()), log_(scratch_.path() / "mepsim.log") {
  auto spawned = ChildProcess::spawn({MEPSIM_BINARY, std::move(args), {}, log_, {}});
  if (!spawned) ADD_FAILURE() << spawned.error().message;
  if (spawned) process_.emplace(std::move(spawned.value()));
}

MepsimProcess::~MepsimProcess() {
  if (process_) process_->stop(std::chrono::seconds(30));
}

std::string MepsimProcess::output() const {
  std::ifstream in(log_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool MepsimProcess::wait_ready(int timeout_s) {
  if (!process_) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (output().find("mepsim: ready\n") != std::string::npos) return true;
    if (process_->poll_exit()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::optional<ExitStatus> MepsimProcess::wait_exit(int timeout_s) {
  if (!process_) return std::nullopt;
  return process_->wait_exit(std::chrono::seconds(timeout_s));
}

ExitStatus MepsimProcess::terminate() {
  return process_->stop(std::chrono::seconds(30));
}

std::vector<pid_t> MepsimProcess::started_pids() const {
  static const std::regex kPid(R"(started [^,]+, pid (\d+))");
  std::vector<pid_t> pids;
  const std::string text = output();
  for (std::sregex_iterator it(text.begin(), text.end(), kPid), end; it != end; ++it) {
    pids.push_back(static_cast<pid_t>(std::stol((*it)[1])));
  }
  return pids;
}

std::vector<std::filesystem::path> MepsimProcess::started_folders() const {
  static const std::regex kFolder(R"(folder (\S+)\))");
  std::vector<std::filesystem::path> folders;
  const std::string text = output();
  for (std::sregex_iterator it(text.begin(), text.end(), kFolder), end; it != end; ++it) {
    folders.emplace_back((*it)[1].str());
  }
  return folders;
}

std::map<std::string, std::string> read_env_file(const std::filesystem::path& path) {
  std::map<std::string, std::string> env;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    env[line.substr(0, eq)] = value;
  }
  return env;
}

CommandResult run_shell(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    result.output += buffer.data();
  }
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool process_alive(pid_t pid) {
  return kill(pid, 0) == 0 || errno != ESRCH;
}

std::map<std::string, std::string> environ_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::map<std::string, std::string> env;
  for (std::string entry; std::getline(in, entry, '\0');) {
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace mepsim::testing
