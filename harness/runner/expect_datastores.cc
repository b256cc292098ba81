// Expectations on an app's own datastores, reached at the URLs the platform gives the app
// (its DATABASE_URL and REDIS_URL variables): a read-only MySQL query, a Redis key count.

#include <fmt/format.h>

#include <cctype>
#include <unordered_set>

#include "harness/runner/expectations.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);
// A query runs at most this long on the server (MariaDB max_statement_time).
constexpr int kStatementTimeoutS = 10;
// SCAN rounds and distinct keys counted: a db past them fails rather than stalls.
constexpr int kScanRoundsMax = 10'000;
constexpr std::size_t kKeysCountedMax = 200'000;

Result<std::string> app_variable(RunContext& ctx, const std::string& app, const std::string& name) {
  const auto variables = ctx.topology.platform().variables(app);
  if (!variables) return variables.error();
  for (const auto& variable : variables.value()) {
    if (variable.name == name) return variable.value;
  }
  return make_error(ErrorCode::not_found, fmt::format("app {} has no {} variable", app, name));
}

// Words outside quotes, upper-cased; an error for what may hide a second statement.
Result<std::vector<std::string>> sql_words(const std::string& query) {
  std::vector<std::string> words;
  char quote = 0;
  std::string word;
  for (std::size_t i = 0; i <= query.size(); ++i) {
    const char c = i < query.size() ? query[i] : ' ';
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      continue;
    }
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
    if (c == '\'' || c == '"' || c == '`') quote = c;
    const char next = i + 1 < query.size() ? query[i + 1] : ' ';
    if (c == ';') return make_error(ErrorCode::invalid_input, "one statement only (no ';')");
    if (c == '#' || (c == '-' && next == '-') || (c == '/' && next == '*')) {
      return make_error(ErrorCode::invalid_input, "comments are not allowed");
    }
  }
  if (quote != 0) return make_error(ErrorCode::invalid_input, "an unterminated quote");
  return words;
}

}  // namespace

Result<void> check_read_only_sql(const std::string& query) {
  std::string text = query;
  while (!text.empty() &&
         (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';')) {
    text.pop_back();
  }
  auto words = sql_words(text);
  if (!words) return words.error();
  if (words->empty()) return make_error(ErrorCode::invalid_input, "the query is empty");
  const std::string& first = words->front();
  if (first != "SELECT" && first != "SHOW") {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("only SELECT and SHOW may run, not {}", first));
  }
  for (const auto& word : words.value()) {
    if (word == "INTO" || word == "UPDATE" || word == "LOCK" || word == "SHARE") {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{} is not allowed: the query only reads", word));
    }
  }
  return {};
}

ScanPage parse_scan_reply(const std::string& reply) {
  ScanPage page;
  std::size_t start = 0;
  bool first = true;
  while (start <= reply.size()) {
    const auto end = reply.find('\n', start);
    std::string line =
        reply.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (first) {
      page.cursor = std::move(line);
      first = false;
    } else if (!line.empty()) {
      page.keys.push_back(std::move(line));
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return page;
}

StepOutcome check_mysql(const scenario::MysqlExpect& e, RunContext& ctx) {
  Verdict v(fmt::format("mysql {} \"{}\"", e.app, e.query));
  if (auto allowed = check_read_only_sql(e.query); !allowed) {
    v.fail(allowed.error().message);
    return v.outcome();
  }
  const auto url_text = app_variable(ctx, e.app, "DATABASE_URL");
  auto url = url_text ? parse_mysql_url(url_text.value()) : Result<MysqlUrl>(url_text.error());
  if (!url) {
    v.fail(url.error().message);
    return v.outcome();
  }
  auto db = MysqlConnection::open(url.value(), kConnectTimeout);
  if (!db) {
    v.fail(db.error().message);
    return v.outcome();
  }
  // Bounded on the server (MariaDB; MySQL 8 spells it max_execution_time, in ms): one of
  // them is unknown to each server, which is fine.
  (void)db->execute(fmt::format("SET SESSION max_statement_time = {}", kStatementTimeoutS));
  (void)db->execute(fmt::format("SET SESSION max_execution_time = {}", kStatementTimeoutS * 1000));
  // The server refuses any write the checks above missed.
  if (auto ro = db->execute("START TRANSACTION READ ONLY"); !ro) {
    v.fail(ro.error().message);
    return v.outcome();
  }
  const auto rows = db->query(e.query);
  (void)db->execute("ROLLBACK");
  if (!rows) {
    v.fail(rows.error().message);
    return v.outcome();
  }
  const auto n = static_cast<std::int64_t>(rows->size());
  if (e.rows) v.expect_count("rows", n, *e.rows);
  if (e.equals) {
    if (rows->empty()) {
      v.fail(fmt::format("no row, expected first value {}", *e.equals));
    } else {
      const auto& row = rows->front();
      v.expect_equal("first value", row.empty() ? "" : row.front(), *e.equals);
    }
  }
  v.note(fmt::format("{} rows", n));
  if (!rows->empty() && !rows->front().empty()) v.note("first value " + rows->front().front());
  return v.outcome();
}

StepOutcome check_redis(const scenario::RedisExpect& e, RunContext& ctx) {
  Verdict v(fmt::format("redis {} {}", e.app, e.pattern));
  const auto url_text = app_variable(ctx, e.app, "REDIS_URL");
  auto url = url_text ? parse_redis_url(url_text.value()) : Result<RedisUrl>(url_text.error());
  if (!url) {
    v.fail(url.error().message);
    return v.outcome();
  }
  auto redis = RedisConnection::open(url.value(), kConnectTimeout);
  if (!redis) {
    v.fail(redis.error().message);
    return v.outcome();
  }
  // SCAN may return a key twice: counted once.
  std::unordered_set<std::string> keys;
  std::string cursor = "0";
  int rounds = 0;
  do {
    const auto reply = redis->command({"SCAN", cursor, "MATCH", e.pattern, "COUNT", "1000"});
    if (!reply) {
      v.fail(reply.error().message);
      return v.outcome();
    }
    auto page = parse_scan_reply(reply.value());
    for (auto& key : page.keys) keys.insert(std::move(key));
    cursor = page.cursor;
    if (keys.size() > kKeysCountedMax) {
      v.fail(fmt::format("more than {} keys match: not counted further", kKeysCountedMax));
      return v.outcome();
    }
  } while (cursor != "0" && ++rounds < kScanRoundsMax);
  if (cursor != "0") {
    v.fail(fmt::format("SCAN did not finish within {} rounds", kScanRoundsMax));
    return v.outcome();
  }
  const auto n = static_cast<std::int64_t>(keys.size());
  v.expect_count("keys", n, e.keys);
  v.note(fmt::format("{} keys", n));
  return v.outcome();
}

}  // namespace mepsim::runner
