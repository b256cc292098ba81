// Unit tests of sim/datastore/datastore_url.h: DATABASE_URL / REDIS_URL parsing, printing
// with percent-encoding, redaction, and errors that name the wrong part and its column.

#include "sim/datastore/datastore_url.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace mepsim {
namespace {

// A password with every character that has a meaning in a URL or a shell.
constexpr std::string_view kTrickyPassword = "p@ss:w/rd?#%&=+ 'x\"$~;";

// Expects `result` to be an invalid_input error whose message contains `part` and
// "column <column>".
template <typename T>
void expect_error_at(const Result<T>& result, std::string_view part, int column) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  const std::string& message = result.error().message;
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_NE(message.find("column " + std::to_string(column) + " "), std::string::npos) << message;
}

TEST(MysqlUrl, ParsesEveryPart) {
  // A full mysql:// URL gives user, password, host, port and database.
  const auto url = parse_mysql_url("mysql://app:secret@db.local:3307/shop");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "app");
  EXPECT_EQ(url->password, "secret");
  EXPECT_EQ(url->host, "db.local");
  EXPECT_EQ(url->port, 3307);
  EXPECT_EQ(url->database, "shop");
}

TEST(MysqlUrl, DefaultsPortTo3306) {
  // Without a port, the URL means MySQL's 3306.
  const auto url = parse_mysql_url("mysql://app:secret@127.0.0.1/shop");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 3306);
}

TEST(MysqlUrl, AcceptsUserWithoutPassword) {
  // "user@host" without ':' gives an empty password.
  const auto url = parse_mysql_url("mysql://root@localhost:3306/db");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "root");
  EXPECT_EQ(url->password, "");
}

TEST(MysqlUrl, AcceptsPortBounds) {
  // Ports 1 and 65535 are valid.
  const auto low = parse_mysql_url("mysql://a:b@h:1/db");
  ASSERT_TRUE(low.ok()) << low.error().message;
  EXPECT_EQ(low->port, 1);
  const auto high = parse_mysql_url("mysql://a:b@h:65535/db");
  ASSERT_TRUE(high.ok()) << high.error().message;
  EXPECT_EQ(high->port, 65535);
}

TEST(MysqlUrl, PrintsCanonicalForm) {
  // str() prints mysql://user:password@host:port/database, with the port always present.
  const MysqlUrl url{"app", "secret", "127.0.0.1", 33061, "shop"};
  EXPECT_EQ(url.str(), "mysql://app:secret@127.0.0.1:33061/shop");
}

TEST(MysqlUrl, PercentEncodesSpecialCharacters) {
  // Characters with a meaning in a URL are percent-encoded in user and password.
  const MysqlUrl url{"app user", "p@ss/w:rd%", "localhost", 3306, "db"};
  EXPECT_EQ(url.str(), "mysql://app%20user:p%40ss%2Fw%3Ard%25@localhost:3306/db");
}

TEST(MysqlUrl, DecodesPercentEscapes) {
  // %-escapes in user and password are decoded, in either case of hex digits.
  const auto url = parse_mysql_url("mysql://a%2db:p%40ss%2fw%3Ard@h:3306/db");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "a-b");
  EXPECT_EQ(url->password, "p@ss/w:rd");
}

TEST(MysqlUrl, PrintParseRoundTrip) {
  // A URL printed by str() parses back to the same parts, tricky password included.
  const MysqlUrl original{"app", std::string(kTrickyPassword), "db.internal", 3307, "shop_prod"};
  const auto parsed = parse_mysql_url(original.str());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->user, original.user);
  EXPECT_EQ(parsed->password, original.password);
  EXPECT_EQ(parsed->host, original.host);
  EXPECT_EQ(parsed->port, original.port);
  EXPECT_EQ(parsed->database, original.database);
  EXPECT_EQ(parsed->str(), original.str());
}

TEST(MysqlUrl, ParsePrintRoundTrip) {
  // A canonical URL parses and prints back to the same text.
  for (const char* text :
       {"mysql://app:secret@127.0.0.1:3306/shop", "mysql://u:p%40%2F%3A@db.local:1/x"}) {
    const auto url = parse_mysql_url(text);
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(url->str(), text);
  }
}

TEST(MysqlUrl, RedactedHidesPassword) {
  // redacted() shows "***" instead of the password, encoded or not.
  const MysqlUrl url{"app", "p@ss-secret", "localhost", 3306, "db"};
  const std::string text = url.redacted();
  EXPECT_EQ(text, "mysql://app:***@localhost:3306/db");
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find("%40"), std::string::npos);
}

TEST(MysqlUrl, RejectsBadScheme) {
  // A URL of another scheme is refused at column 1.
  expect_error_at(parse_mysql_url("postgres://app:pw@h:5432/db"), "mysql://", 1);
  expect_error_at(parse_mysql_url("mysql:/app:pw@h:3306/db"), "mysql://", 1);
  expect_error_at(parse_mysql_url(""), "mysql://", 1);
}

TEST(MysqlUrl, RejectsMissingHost) {
  // An empty host is refused at the column where the host should start.
  // "mysql://app:pw@" is 15 characters: the host would be at column 16.
  expect_error_at(parse_mysql_url("mysql://app:pw@:3306/db"), "missing host", 16);
  expect_error_at(parse_mysql_url("mysql://app:pw@/db"), "missing host", 16);
}

TEST(MysqlUrl, RejectsBadPort) {
  // Ports 0, 65536, non-numbers and empty ports are refused at the port's column (18).
  for (const char* text :
       {"mysql://app:pw@h:0/db", "mysql://app:pw@h:65536/db", "mysql://app:pw@h:abc/db",
        "mysql://app:pw@h:/db", "mysql://app:pw@h:33x/db", "mysql://app:pw@h:-1/db"}) {
    SCOPED_TRACE(text);
    expect_error_at(parse_mysql_url(text), "port", 18);
  }
}

TEST(MysqlUrl, RejectsMissingDatabase) {
  // A URL without a single database name after '/' is refused.
  expect_error_at(parse_mysql_url("mysql://app:pw@h:3306"), "database", 22);
  expect_error_at(parse_mysql_url("mysql://app:pw@h:3306/"), "database", 23);
  expect_error_at(parse_mysql_url("mysql://app:pw@h:3306/a/b"), "database", 26);
}

TEST(MysqlUrl, RejectsMissingUser) {
  // A URL without user is refused: the app always connects as a named user.
  const auto url = parse_mysql_url("mysql://h:3306/db");
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().code, ErrorCode::invalid_input);
  EXPECT_NE(url.error().message.find("user"), std::string::npos) << url.error().message;
}

TEST(MysqlUrl, RejectsQueryString) {
  // Query parameters are refused at the column of the '?' (25 here).
  expect_error_at(parse_mysql_url("mysql://app:pw@h:3306/db?ssl=true"), "query", 25);
}

TEST(MysqlUrl, RejectsBrokenPercentEscapes) {
  // An incomplete or non-hex %-escape is refused at the column of its '%' (14 here).
  expect_error_at(parse_mysql_url("mysql://app:p%4@h:3306/db"), "escape", 14);
  expect_error_at(parse_mysql_url("mysql://app:p%@h:3306/db"), "escape", 14);
  expect_error_at(parse_mysql_url("mysql://app:p%zz@h:3306/db"), "escape", 14);
}

TEST(MysqlUrl, ErrorMessageQuotesTheUrl) {
  // The message quotes the URL that was refused, so the user sees which one — with its
  // password masked, as the message may end up in a log.
  const auto url = parse_mysql_url("mysql://app:pw@h:0/db");
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.error().message.find("\"mysql://app:***@h:0/db\""), std::string::npos)
      << url.error().message;
}

TEST(RedisUrl, ParsesEveryPart) {
  // A full redis:// URL gives user, password, host, port and db.
  const auto url = parse_redis_url("redis://default:secret@127.0.0.1:6380/3");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "default");
  EXPECT_EQ(url->password, "secret");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 6380);
  EXPECT_EQ(url->db, 3);
}

TEST(RedisUrl, DefaultsWithoutAuthPortOrDb) {
  // "redis://host" means no auth, port 6379, db 0.
  const auto url = parse_redis_url("redis://localhost");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "");
  EXPECT_EQ(url->password, "");
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, 6379);
  EXPECT_EQ(url->db, 0);
}

TEST(RedisUrl, AcceptsPasswordWithoutUser) {
  // "redis://:password@host" (pre-ACL style) gives an empty user and the password.
  const auto url = parse_redis_url("redis://:secret@h:6379/0");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "");
  EXPECT_EQ(url->password, "secret");
}

TEST(RedisUrl, AcceptsDbZeroToFifteen) {
  // Databases 0 to 15 are accepted, and a trailing '/' alone means db 0.
  for (int db = 0; db <= 15; ++db) {
    const auto url = parse_redis_url("redis://h:6379/" + std::to_string(db));
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(url->db, db);
  }
  const auto slash = parse_redis_url("redis://h:6379/");
  ASSERT_TRUE(slash.ok()) << slash.error().message;
  EXPECT_EQ(slash->db, 0);
}

TEST(RedisUrl, RejectsDbOutOfRange) {
  // Databases outside 0-15, or not numbers, are refused at the db's column (16).
  for (const char* text : {"redis://h:6379/16", "redis://h:6379/-1", "redis://h:6379/x",
                           "redis://h:6379/1x", "redis://h:6379/0/1"}) {
    SCOPED_TRACE(text);
    expect_error_at(parse_redis_url(text), "0-15", 16);
  }
}

TEST(RedisUrl, PrintsDefaultUserForm) {
  // mepsim's servers use the ACL user "default": str() prints it with the password.
  const RedisUrl url{"default", "secret", "127.0.0.1", 6380, 2};
  EXPECT_EQ(url.str(), "redis://default:secret@127.0.0.1:6380/2");
  EXPECT_EQ(url.redacted(), "redis://default:***@127.0.0.1:6380/2");
}

TEST(RedisUrl, PrintsNoAuthWithoutPassword) {
  // Without a password, str() and redacted() print no userinfo at all.
  const RedisUrl url{"", "", "localhost", 6379, 0};
  EXPECT_EQ(url.str(), "redis://localhost:6379/0");
  EXPECT_EQ(url.redacted(), "redis://localhost:6379/0");
}

TEST(RedisUrl, PrintParseRoundTrip) {
  // A URL printed by str() parses back to the same parts, tricky password included.
  const RedisUrl original{"default", std::string(kTrickyPassword), "cache.internal", 16379, 15};
  const auto parsed = parse_redis_url(original.str());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->user, "default");
  EXPECT_EQ(parsed->password, original.password);
  EXPECT_EQ(parsed->host, original.host);
  EXPECT_EQ(parsed->port, original.port);
  EXPECT_EQ(parsed->db, original.db);
  EXPECT_EQ(parsed->str(), original.str());
}

TEST(RedisUrl, RedactedHidesPassword) {
  // redacted() never shows the password, encoded or not.
  const RedisUrl url{"default", "p@ss-secret", "localhost", 6379, 0};
  const std::string text = url.redacted();
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("%40"), std::string::npos) << text;
  EXPECT_NE(text.find("***"), std::string::npos) << text;
}

TEST(RedisUrl, RejectsBadScheme) {
  // rediss:// (TLS), mysql:// and bare host:port are refused at column 1.
  expect_error_at(parse_redis_url("rediss://h:6379/0"), "redis://", 1);
  expect_error_at(parse_redis_url("mysql://a:b@h:3306/db"), "redis://", 1);
  expect_error_at(parse_redis_url("localhost:6379"), "redis://", 1);
}

TEST(RedisUrl, RejectsMissingHostAndBadPort) {
  // An empty host or a port outside 1-65535 is refused at its column.
  expect_error_at(parse_redis_url("redis://:6379/0"), "missing host", 9);
  expect_error_at(parse_redis_url("redis://h:0/0"), "port", 11);
  expect_error_at(parse_redis_url("redis://h:65536/0"), "port", 11);
  expect_error_at(parse_redis_url("redis://h:abc/0"), "port", 11);
  // After userinfo "default:pw@" (11 characters) the port moves to column 22.
  expect_error_at(parse_redis_url("redis://default:pw@h:99999/0"), "port", 22);
}

TEST(RedisUrl, RejectsQueryString) {
  // Query parameters are refused at the column of the '?' (17 here).
  expect_error_at(parse_redis_url("redis://h:6379/0?timeout=1"), "query", 17);
}

}  // namespace
}  // namespace mepsim

TEST(DatastoreUrl, ErrorsNeverQuoteThePassword) {
  // A malformed URL's error quotes the text with its password masked: it lands in logs.
  auto mysql = mepsim::parse_mysql_url("mysql://app:s3cret-pw@127.0.0.1:notaport/histologe");
  ASSERT_FALSE(mysql);
  EXPECT_EQ(mysql.error().message.find("s3cret-pw"), std::string::npos) << mysql.error().message;
  EXPECT_NE(mysql.error().message.find("app:***@"), std::string::npos) << mysql.error().message;
  auto redis = mepsim::parse_redis_url("redis://default:s3cret-pw@127.0.0.1:6379/zero");
  ASSERT_FALSE(redis);
  EXPECT_EQ(redis.error().message.find("s3cret-pw"), std::string::npos) << redis.error().message;
}
