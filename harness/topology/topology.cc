#include "harness/topology/topology.h"

#include <fmt/format.h>

#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/datastore/redis_server.h"

namespace mepsim {
namespace {

constexpr auto kAttachTimeout = std::chrono::seconds(5);

Result<void> check_mysql(const MysqlUrl& url) {
  auto connection = MysqlConnection::open(url, kAttachTimeout);
  if (!connection) return connection.error();
  auto rows = connection->query("SELECT 1");
  if (!rows) return rows.error();
  return {};
}

Result<void> check_redis(const RedisUrl& url) {
  auto connection = RedisConnection::open(url, kAttachTimeout);
  if (!connection) return connection.error();
  auto pong = connection->command({"PING"});
  if (!pong) return pong.error();
  return {};
}

}  // namespace

Topology::Topology(Clock& clock, EventLog& log) : clock_(clock), log_(log) {}

Topology::~Topology() {
  stop();
}

Result<std::unique_ptr<Topology>> Topology::start(const TopologyOptions& options, Clock& real_clock,
                                                  Rng& rng, EventLog& log) {
  std::unique_ptr<Topology> topology(new Topology(real_clock, log));
  if (auto mysql = topology->start_mysql(options, rng); !mysql) return mysql.error();
  if (auto redis = topology->start_redis(options, rng); !redis) return redis.error();
  return topology;
}

Result<void> Topology::start_mysql(const TopologyOptions& options, Rng& rng) {
  if (options.mysql_url) {
    auto url = parse_mysql_url(*options.mysql_url);
    if (!url) return url.error().context("--mysql-url");
    if (auto reached = check_mysql(url.value()); !reached) return reached.error();
    mysql_url_ = url.value();
    publish("mysql.attached", {{"url", mysql_url_.redacted()}});
    return {};
  }
  MariadbOptions mariadb_options;
  mariadb_options.server_program = options.mariadbd_program;
  Rng mariadb_rng = rng.fork("mariadb");
  auto server = MariadbServer::start(mariadb_options, clock_, mariadb_rng);
  if (!server) return server.error();
  mariadb_ = std::move(server.value());
  mysql_url_ = mariadb_->url();
  publish("mysql.started", {{"url", mysql_url_.redacted()},
                            {"flavour", mariadb_->flavour()},
                            {"pid", std::to_string(mariadb_->pid())}});
  return {};
}

Result<void> Topology::start_redis(const TopologyOptions& options, Rng& rng) {
  if (options.redis_url) {
    auto url = parse_redis_url(*options.redis_url);
    if (!url) return url.error().context("--redis-url");
    if (auto reached = check_redis(url.value()); !reached) return reached.error();
    redis_url_ = url.value();
    publish("redis.attached", {{"url", redis_url_.redacted()}});
    return {};
  }
  RedisOptions redis_options;
  redis_options.server_program = options.redis_server_program;
  Rng redis_rng = rng.fork("redis");
  auto server = RedisServer::start(redis_options, clock_, redis_rng);
  if (!server) return server.error();
  redis_ = std::move(server.value());
  redis_url_ = redis_->url();
  publish("redis.started",
          {{"url", redis_url_.redacted()}, {"pid", std::to_string(redis_->pid())}});
  return {};
}

EnvEntries Topology::env() const {
  return {{"DATABASE_URL", mysql_url_.str()}, {"REDIS_URL", redis_url_.str()}};
}

std::vector<Endpoint> Topology::endpoints() const {
  std::vector<Endpoint> out;
  if (mariadb_) {
    out.push_back({"mysql", mysql_url_.redacted(),
                   fmt::format("started {}, pid {}, folder {}", mariadb_->flavour(),
                               mariadb_->pid(), mariadb_->folder().string())});
  } else {
    out.push_back({"mysql", mysql_url_.redacted(), "attached"});
  }
  if (redis_) {
    out.push_back({"redis", redis_url_.redacted(),
                   fmt::format("started Redis, pid {}, folder {}", redis_->pid(),
                               redis_->folder().string())});
  } else {
    out.push_back({"redis", redis_url_.redacted(), "attached"});
  }
  return out;
}

void Topology::stop() {
  if (redis_) {
    const auto exit = redis_->stop();
    publish("redis.stopped", {{"exit_code", std::to_string(exit.code)}});
    redis_.reset();
  }
  if (mariadb_) {
    const auto exit = mariadb_->stop();
    publish("mysql.stopped", {{"exit_code", std::to_string(exit.code)}});
    mariadb_.reset();
  }
}

void Topology::publish(std::string name, std::vector<Field> fields) {
  // Ports, pids and passwords change from run to run: data plane, outside the fingerprint.
  log_.publish(clock_.now(), Plane::data, "datastore", std::move(name), std::move(fields));
}

}  // namespace mepsim
