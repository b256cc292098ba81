#include "fakes/github/git_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace mepsim::fakes::github {
namespace {

// Closes on every way out of run_program.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

int decode(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

// Spawned with every descriptor of ours close-on-exec but the three it is given.
Result<pid_t> spawn(const ProgramRun& run, int in_fd, int out_fd, int err_fd) {
  std::vector<std::string> argv_store{run.program.string()};
  argv_store.insert(argv_store.end(), run.args.begin(), run.args.end());
  std::vector<std::string> env_store;
  for (const auto& [key, value] : run.env) env_store.push_back(key + "=" + value);
  std::vector<char*> argv, envp;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // mepsim blocks SIGTERM/SIGINT and may ignore SIGPIPE: git gets the defaults back.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int failed =
      posix_spawn(&pid, run.program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (failed != 0) {
    return make_error(
        failed == ENOENT ? ErrorCode::not_found : ErrorCode::internal,
        fmt::format("cannot execute {}: {}", run.program.string(), std::strerror(failed)));
  }
  return pid;
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

// Reads what is there; false at EOF or on an error (the stream is over either way).
bool drain(int fd, std::string& into, std::size_t keep_max, bool& overflow) {
  std::array<char, 65536> buffer{};
  const ssize_t got = read(fd, buffer.data(), buffer.size());
  if (got < 0) return errno == EINTR || errno == EAGAIN;
  if (got == 0) return false;
  const auto size = static_cast<std::size_t>(got);
  if (into.size() + size > keep_max) {
    overflow = true;
    into.append(buffer.data(), keep_max - std::min(keep_max, into.size()));
    return true;
  }
  into.append(buffer.data(), size);
  return true;
}

}  // namespace

Result<ProgramOutput> run_program(const ProgramRun& run) {
  // stdin is a socket rather than a pipe: send(MSG_NOSIGNAL) turns a child that stops
  // reading early into EPIPE instead of a SIGPIPE that would kill mepsim.
  int in_pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) {
    return make_error(ErrorCode::internal, errno_text("socketpair"));
  }
  Fd in_ours(in_pair[0]), in_theirs(in_pair[1]);
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::internal, errno_text("pipe2"));
  Fd out_ours(out_pipe[0]), out_theirs(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::internal, errno_text("pipe2"));
  Fd err_ours(err_pipe[0]), err_theirs(err_pipe[1]);
  // The watchdog is a kernel timer: no clock read, and exact however often poll wakes.
  Fd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!timer.open()) return make_error(ErrorCode::internal, errno_text("timerfd_create"));
  const auto timeout_ns = std::max<std::int64_t>(run.timeout.count(), 1);
  itimerspec deadline{};
  deadline.it_value.tv_sec = static_cast<time_t>(timeout_ns / 1'000'000'000);
  deadline.it_value.tv_nsec = static_cast<long>(timeout_ns % 1'000'000'000);
  if (timerfd_settime(timer.get(), 0, &deadline, nullptr) != 0) {
    return make_error(ErrorCode::internal, errno_text("timerfd_settime"));
  }

  auto pid = spawn(run, in_theirs.get(), out_theirs.get(), err_theirs.get());
  if (!pid) return pid.error();
  in_theirs.reset();
  out_theirs.reset();
  err_theirs.reset();
  Fd exited(static_cast<int>(syscall(SYS_pidfd_open, pid.value(), 0)));

  const std::string name = run.program.filename().string();
  ProgramOutput output;
  std::size_t written = 0;
  if (run.input.empty()) in_ours.reset();
  bool out_overflow = false, err_overflow = false, reaped = false;
  int status = 0;
  while (out_ours.open() || err_ours.open() || !reaped) {
    if (!out_ours.open() && !err_ours.open() && !exited.open()) {
      waitpid(pid.value(), &status, 0);  // no pidfd (old kernel): the streams ended
      reaped = true;
      break;
    }
    std::array<pollfd, 5> fds{};
    nfds_t count = 0;
    const auto watch = [&](const Fd& fd, short events) {
      fds[count++] = pollfd{fd.open() ? fd.get() : -1, events, 0};
    };
    watch(timer, POLLIN);
    watch(in_ours, POLLOUT);
    watch(out_ours, POLLIN);
    watch(err_ours, POLLIN);
    watch(exited, POLLIN);
    if (poll(fds.data(), count, -1) < 0) {
      if (errno == EINTR) continue;
      kill_and_reap(pid.value());
      return make_error(ErrorCode::internal, errno_text("poll"));
    }
    if (fds[0].revents != 0) {
      kill_and_reap(pid.value());
      return make_error(ErrorCode::timeout, fmt::format("{} did not finish within {} ms", name,
                                                        timeout_ns / 1'000'000));
    }
    if (fds[1].revents != 0) {
      const ssize_t sent = send(in_ours.get(), run.input.data() + written,
                                run.input.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent > 0) written += static_cast<std::size_t>(sent);
      // A child that stopped reading gets no more; it answers with what it read.
      if ((sent < 0 && errno != EAGAIN && errno != EINTR) || written == run.input.size()) {
        in_ours.reset();
      }
    }
    if (fds[2].revents != 0 &&
        !drain(out_ours.get(), output.out, run.output_bytes_max, out_overflow)) {
      out_ours.reset();
    }
    if (out_overflow) {
      kill_and_reap(pid.value());
      return make_error(ErrorCode::capacity,
                        fmt::format("{} wrote more than {} bytes", name, run.output_bytes_max));
    }
    if (fds[3].revents != 0 &&
        !drain(err_ours.get(), output.err, run.error_bytes_max, err_overflow)) {
      err_ours.reset();
    }
    if (fds[4].revents != 0 && !reaped) {
      waitpid(pid.value(), &status, 0);
      reaped = true;
      exited.reset();
    }
  }
  output.exit_code = decode(status);
  return output;
}

}  // namespace mepsim::fakes::github
