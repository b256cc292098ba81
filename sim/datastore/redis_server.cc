#include "sim/datastore/redis_server.h"

#include <fmt/format.h>

#include "sim/datastore/redis_connection.h"

namespace mepsim {
namespace {

// Everything the plan's functions need is copied in: start_again runs them long after
// start() returned.
LaunchPlan launch_plan(const std::filesystem::path& program, const std::filesystem::path& folder,
                       const std::string& password, Duration ready_timeout) {
  LaunchPlan plan;
  plan.display_name = fmt::format("Redis ({})", program.string());
  plan.spec_for_port = [program, folder, password](std::uint16_t port) {
    return SpawnSpec{
        program,
        {"--port", std::to_string(port), "--bind", "127.0.0.1", "--dir", folder.string(), "--save",
         "", "--appendonly", "no", "--daemonize", "no", "--requirepass", password, "--logfile", ""},
        {},
        folder / "server.log",
        {}};
  };
  plan.probe = [password](std::uint16_t port) -> Result<void> {
    auto connection = RedisConnection::open({"default", password, "127.0.0.1", port, 0},
                                            std::chrono::milliseconds(500));
    if (!connection) return connection.error();
    auto pong = connection->command({"PING"});
    if (!pong) return pong.error();
    return {};
  };
  plan.port_in_use_marker = "Address already in use";
  plan.ready_timeout = ready_timeout;
  return plan;
}

}  // namespace

Result<std::unique_ptr<RedisServer>> RedisServer::start(const RedisOptions& options, Clock& clock,
                                                        Rng& rng) {
  auto program = find_program(options.server_program);
  if (!program) {
    return program.error().context(
        "Redis server binary (install Debian's redis-server, or pass --redis-server PATH)");
  }
  auto scratch = ScratchDir::create("mepsim-redis");
  if (!scratch) return scratch.error();
  const std::string password = rng.alnum(24);
  LaunchPlan plan = launch_plan(program.value(), scratch->path(), password, options.ready_timeout);
  auto launched = launch_on_free_port(plan, clock);
  if (!launched) return launched.error();
  return std::unique_ptr<RedisServer>(
      new RedisServer(std::move(scratch.value()), std::move(launched->process),
                      RedisUrl{"default", password, "127.0.0.1", launched->port, 0},
                      std::move(plan), options.stop_grace));
}

RedisServer::RedisServer(ScratchDir scratch, ChildProcess process, RedisUrl url, LaunchPlan plan,
                         Duration stop_grace)
    : scratch_(std::move(scratch)),
      process_(std::move(process)),
      url_(std::move(url)),
      plan_(std::move(plan)),
      stop_grace_(stop_grace) {}

RedisServer::~RedisServer() {
  stop();  // before scratch_ goes with its folder
}

ExitStatus RedisServer::stop() {
  if (!stop_status_) stop_status_ = process_.stop(stop_grace_);
  return *stop_status_;
}

Result<ExitStatus> RedisServer::stop_running() {
  if (!running()) {
    return make_error(ErrorCode::conflict,
                      fmt::format("Redis on 127.0.0.1:{} is already stopped", url_.port));
  }
  return stop();
}

Result<void> RedisServer::start_again(Clock& clock) {
  if (running()) {
    return make_error(ErrorCode::conflict,
                      fmt::format("Redis on 127.0.0.1:{} is already running", url_.port));
  }
  auto process = launch_on_port(plan_, url_.port, clock);
  if (!process) return process.error().context("starting Redis again");
  process_ = std::move(process.value());
  stop_status_.reset();
  return {};
}

}  // namespace mepsim
