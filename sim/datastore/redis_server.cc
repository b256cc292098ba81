#include "sim/datastore/redis_server.h"

#include <fmt/format.h>

#include "sim/datastore/redis_connection.h"
#include "sim/datastore/server_launch.h"

namespace mepsim {

Result<std::unique_ptr<RedisServer>> RedisServer::start(const RedisOptions& options, Clock& clock,
                                                        Rng& rng) {
  auto program = find_program(options.server_program);
  if (!program) {
    return program.error().context(
        "Redis server binary (install Debian's redis-server, or pass --redis-server PATH)");
  }
  auto scratch = ScratchDir::create("mepsim-redis");
  if (!scratch) return scratch.error();
  const std::filesystem::path folder = scratch->path();
  const std::string password = rng.alnum(24);

  LaunchPlan plan;
  plan.display_name = fmt::format("Redis ({})", program->string());
  plan.spec_for_port = [&](std::uint16_t port) {
    return SpawnSpec{
        program.value(),
        {"--port", std::to_string(port), "--bind", "127.0.0.1", "--dir", folder.string(), "--save",
         "", "--appendonly", "no", "--daemonize", "no", "--requirepass", password, "--logfile", ""},
        {},
        folder / "server.log",
        {}};
  };
  plan.probe = [&](std::uint16_t port) -> Result<void> {
    auto connection = RedisConnection::open({"default", password, "127.0.0.1", port, 0},
                                            std::chrono::milliseconds(500));
    if (!connection) return connection.error();
    auto pong = connection->command({"PING"});
    if (!pong) return pong.error();
    return {};
  };
  plan.port_in_use_marker = "Address already in use";
  plan.ready_timeout = options.ready_timeout;
  auto launched = launch_on_free_port(plan, clock);
  if (!launched) return launched.error();
  return std::unique_ptr<RedisServer>(new RedisServer(
      std::move(scratch.value()), std::move(launched->process),
      RedisUrl{"default", password, "127.0.0.1", launched->port, 0}, options.stop_grace));
}

RedisServer::RedisServer(ScratchDir scratch, ChildProcess process, RedisUrl url,
                         Duration stop_grace)
    : scratch_(std::move(scratch)),
      process_(std::move(process)),
      url_(std::move(url)),
      stop_grace_(stop_grace) {}

RedisServer::~RedisServer() {
  stop();
}

ExitStatus RedisServer::stop() {
  if (!stop_status_) {
    stop_status_ = process_.stop(stop_grace_);
    scratch_.erase();
  }
  return *stop_status_;
}

}  // namespace mepsim
