#include "sim/process/child_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>

extern char** environ;

namespace mepsim {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

ExitStatus decode(int status) {
  if (WIFSIGNALED(status)) return {128 + WTERMSIG(status), WTERMSIG(status)};
  return {WEXITSTATUS(status), 0};
}

std::vector<std::string> merged_environment(const SpawnSpec& spec) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto key = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [k, v] : spec.env) overridden = overridden || k == key;
    if (!overridden) env.emplace_back(entry);
  }
  for (const auto& [k, v] : spec.env) env.push_back(k + "=" + v);
  return env;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const SpawnSpec& spec, char* const argv[], char* const envp[],
                             int log_fd, int error_pipe, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // mepsim died between fork and prctl
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // mepsim blocks SIGTERM/SIGINT; undo it
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
  if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) {
    const int err = errno;
    (void)!write(error_pipe, &err, sizeof err);
    _exit(127);
  }
  execve(spec.program.c_str(), argv, envp);
  const int err = errno;
  (void)!write(error_pipe, &err, sizeof err);
  _exit(127);
}

}  // namespace

Result<ChildProcess> ChildProcess::spawn(const SpawnSpec& spec) {
  const std::string name = spec.program.filename().string();
  std::vector<std::string> argv_store{spec.program.string()};
  argv_store.insert(argv_store.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_store = merged_environment(spec);
  std::vector<char*> argv, envp;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int log_fd = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return make_error(ErrorCode::internal,
                      fmt::format("cannot open log {} for {}: {}", spec.log_path.string(), name,
                                  errno_text(errno)));
  }
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    close(log_fd);
    return make_error(ErrorCode::internal, "pipe2: " + errno_text(errno));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) exec_child(spec, argv.data(), envp.data(), log_fd, error_pipe[1], parent);
  const int fork_errno = errno;
  close(log_fd);
  close(error_pipe[1]);
  if (pid < 0) {
    close(error_pipe[0]);
    return make_error(ErrorCode::internal,
                      fmt::format("fork for {}: {}", name, errno_text(fork_errno)));
  }
  // The pipe closes on a successful exec (CLOEXEC), or carries the exec's errno.
  int exec_errno = 0;
  const ssize_t got = read(error_pipe[0], &exec_errno, sizeof exec_errno);
  close(error_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    waitpid(pid, nullptr, 0);
    return make_error(
        exec_errno == ENOENT ? ErrorCode::not_found : ErrorCode::internal,
        fmt::format("cannot execute {}: {}", spec.program.string(), errno_text(exec_errno)));
  }
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  return ChildProcess(pid, pidfd, name);
}

ChildProcess::ChildProcess(pid_t pid, int pidfd, std::string name)
    : pid_(pid), pidfd_(pidfd), name_(std::move(name)) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      name_(std::move(other.name_)),
      exit_(other.exit_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
    name_ = std::move(other.name_);
    exit_ = other.exit_;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  release();
}

void ChildProcess::release() {
  if (pid_ > 0 && !exit_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (pidfd_ >= 0) close(pidfd_);
  pid_ = -1;
  pidfd_ = -1;
}

std::optional<ExitStatus> ChildProcess::poll_exit() {
  if (exit_ || pid_ <= 0) return exit_;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) exit_ = decode(status);
  return exit_;
}

std::optional<ExitStatus> ChildProcess::wait_exit(Duration timeout) {
  if (poll_exit()) return exit_;
  // The pidfd becomes readable when the child exits: one real wait, no polling loop, and
  // no clock read (an interrupted poll starts over, a bounded overrun).
  auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  if (pidfd_ >= 0) {
    pollfd fd{pidfd_, POLLIN, 0};
    const int capped = static_cast<int>(std::min<std::int64_t>(left_ms, 1 << 30));
    int ready = -1;
    for (int attempt = 0; attempt < 8 && ready < 0; ++attempt) ready = poll(&fd, 1, capped);
    return poll_exit();
  }
  for (; left_ms > 0 && !poll_exit(); left_ms -= 10) poll(nullptr, 0, 10);  // no pidfd_open
  return exit_;
}

ExitStatus ChildProcess::stop(Duration grace) {
  if (poll_exit()) return *exit_;
  send_signal(SIGTERM);
  if (wait_exit(grace)) return *exit_;
  send_signal(SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_ = decode(status);
  return *exit_;
}

void ChildProcess::send_signal(int signal_number) {
  if (pid_ > 0 && !exit_) kill(pid_, signal_number);
}

Result<std::filesystem::path> find_program(const std::string& name) {
  namespace fs = std::filesystem;
  const auto executable = [](const fs::path& p) {
    return access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p);
  };
  if (name.find('/') != std::string::npos) {
    if (executable(name)) return fs::path(name);
    return make_error(ErrorCode::not_found, fmt::format("{}: no such executable", name));
  }
  std::string dirs = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  dirs += ":/usr/local/sbin:/usr/sbin:/sbin";
  std::stringstream stream(dirs);
  for (std::string dir; std::getline(stream, dir, ':');) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    if (executable(candidate)) return candidate;
  }
  return make_error(ErrorCode::not_found,
                    fmt::format("{} not found on PATH nor in /usr/sbin", name));
}

std::string tail_of_file(const std::filesystem::path& path, std::size_t lines_max,
                         std::string_view marker) {
  std::ifstream in(path);
  if (!in) return "(no log at " + path.string() + ")";
  std::deque<std::string> tail;
  std::vector<std::string> marked;
  for (std::string line; std::getline(in, line);) {
    if (!marker.empty() && line.find(marker) != std::string::npos && marked.size() < lines_max) {
      marked.push_back(line);
    }
    tail.push_back(std::move(line));
    if (tail.size() > lines_max) tail.pop_front();
  }
  std::string out;
  for (const auto& line : marked) out += "  | " + line + "\n";
  if (!marked.empty()) out += "  | …\n";
  for (const auto& line : tail) out += "  | " + line + "\n";
  return out;
}

}  // namespace mepsim
