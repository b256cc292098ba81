#include "sim/datastore/redis_connection.h"

#include <fmt/format.h>
#include <hiredis.h>

#include <chrono>

namespace mepsim {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(Duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return timeval{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
}

Result<std::string> reply_text(const redisReply* reply) {
  switch (reply->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      return std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(reply->integer);
    case REDIS_REPLY_NIL:
      return make_error(ErrorCode::not_found, "nil reply");
    case REDIS_REPLY_ERROR:
      return make_error(ErrorCode::conflict, std::string(reply->str, reply->len));
    case REDIS_REPLY_ARRAY: {
      std::string joined;
      for (std::size_t i = 0; i < reply->elements; ++i) {
        auto element = reply_text(reply->element[i]);
        if (i > 0) joined.push_back('\n');
        if (element) joined += element.value();
      }
      return joined;
    }
    default:
      return make_error(ErrorCode::internal, fmt::format("unexpected reply type {}", reply->type));
  }
}

}  // namespace

void RedisConnection::ContextDeleter::operator()(redisContext* c) const {
  redisFree(c);
}

RedisConnection::RedisConnection(std::unique_ptr<redisContext, ContextDeleter> context,
                                 RedisUrl url)
    : context_(std::move(context)), url_(std::move(url)) {}
RedisConnection::RedisConnection(RedisConnection&&) noexcept = default;
RedisConnection& RedisConnection::operator=(RedisConnection&&) noexcept = default;
RedisConnection::~RedisConnection() = default;

Result<RedisConnection> RedisConnection::open(const RedisUrl& url, Duration timeout) {
  const timeval tv = to_timeval(timeout);
  std::unique_ptr<redisContext, ContextDeleter> context(
      redisConnectWithTimeout(url.host.c_str(), url.port, tv));
  if (!context || context->err != 0) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("connecting to {}: {}", url.redacted(),
                                  context ? context->errstr : "out of memory"));
  }
  redisSetTimeout(context.get(), tv);
  RedisConnection connection(std::move(context), url);
  if (!url.password.empty()) {
    auto auth = url.user.empty() ? connection.command({"AUTH", url.password})
                                 : connection.command({"AUTH", url.user, url.password});
    if (!auth) return auth.error().context(fmt::format("authenticating to {}", url.redacted()));
  }
  if (url.db != 0) {
    auto select = connection.command({"SELECT", std::to_string(url.db)});
    if (!select) return select.error().context(fmt::format("selecting db on {}", url.redacted()));
  }
  return connection;
}

Result<std::string> RedisConnection::command(std::initializer_list<std::string_view> args) {
  return run(std::span<const std::string_view>(args.begin(), args.size()));
}

Result<std::string> RedisConnection::command(const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  return run(views);
}

Result<std::vector<Result<std::string>>> RedisConnection::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      return make_error(ErrorCode::unavailable,
                        fmt::format("{}: {}", url_.redacted(), context_->errstr));
    }
  }
  std::vector<Result<std::string>> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return make_error(ErrorCode::unavailable,
                        fmt::format("{}: {}", url_.redacted(), context_->errstr));
    }
    Reply reply(static_cast<redisReply*>(raw));
    replies.push_back(reply_text(reply.get()));
  }
  return replies;
}

bool RedisConnection::usable() const {
  return context_ && context_->err == 0;
}

Result<std::string> RedisConnection::run(std::span<const std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  Reply reply(static_cast<redisReply*>(redisCommandArgv(
      context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (!reply) {
    // hiredis leaves the context unusable after an I/O error: say so and keep the message.
    return make_error(ErrorCode::unavailable,
                      fmt::format("{}: {}", url_.redacted(), context_->errstr));
  }
  return reply_text(reply.get());
}

}  // namespace mepsim
