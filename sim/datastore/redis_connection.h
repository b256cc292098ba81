#pragma once
// A Redis connection (hiredis) whose failures are values.

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"

struct redisContext;

namespace mepsim {

class RedisConnection {
 public:
  // Connects, authenticates and selects the URL's database, each bounded by `timeout`.
  static Result<RedisConnection> open(const RedisUrl& url, Duration timeout);

  RedisConnection(RedisConnection&&) noexcept;
  RedisConnection& operator=(RedisConnection&&) noexcept;
  ~RedisConnection();

  // One command, arguments passed binary-safe. The reply as text: a status or bulk string
  // as is, an integer in decimal, an array as its elements joined by '\n'. A nil reply is
  // a not_found error; a Redis error reply a conflict error carrying its message.
  Result<std::string> command(std::initializer_list<std::string_view> args);
  Result<std::string> command(const std::vector<std::string>& args);
  // Several commands in one round trip (what a request on the measured data plane sends):
  // one Result per command, as `command` would give it. The whole pipeline fails
  // (`unavailable`) when the connection breaks; it is then unusable, as after `command`.
  Result<std::vector<Result<std::string>>> pipeline(
      const std::vector<std::vector<std::string>>& commands);
  // False once an I/O error broke the connection: the caller opens a new one.
  bool usable() const;

 private:
  Result<std::string> run(std::span<const std::string_view> args);
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  explicit RedisConnection(std::unique_ptr<redisContext, ContextDeleter> context, RedisUrl url);
  std::unique_ptr<redisContext, ContextDeleter> context_;
  RedisUrl url_;
};

}  // namespace mepsim
