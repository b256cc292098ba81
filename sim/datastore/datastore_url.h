#pragma once
// The URLs the app reads (`DATABASE_URL`, `REDIS_URL`) and the user passes to attach to
// servers of their own (`--mysql-url`, `--redis-url`).

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace mepsim {

// mysql://user:password@host:port/database
struct MysqlUrl {
  std::string user;
  std::string password;
  std::string host;
  std::uint16_t port = 3306;
  std::string database;

  std::string str() const;       // with the password: for the env file only
  std::string redacted() const;  // password as "***": for anything printed or logged
};

// redis://[user:password@]host:port[/db]. mepsim's own servers use the ACL user
// "default", which both Redis 6+ clients (AUTH user pass) and older ones accept.
struct RedisUrl {
  std::string user;
  std::string password;
  std::string host;
  std::uint16_t port = 6379;
  int db = 0;

  std::string str() const;
  std::string redacted() const;
};

// Errors say which part is wrong and at which column (1-based) of the text.
Result<MysqlUrl> parse_mysql_url(std::string_view text);
Result<RedisUrl> parse_redis_url(std::string_view text);

}  // namespace mepsim
