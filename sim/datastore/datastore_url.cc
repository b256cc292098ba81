#include "sim/datastore/datastore_url.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>

namespace mepsim {
namespace {

// The parts every supported scheme shares: scheme://[user[:password]@]host[:port][/path]
struct UrlParts {
  std::string user;
  std::string password;
  std::string host;
  std::optional<std::uint16_t> port;
  std::string path;  // without the leading '/'
};

// The text as an error may quote it: a password between "user:" and "@" becomes "***",
// since these errors end up in logs (a container's DATABASE_URL, a mistyped --mysql-url).
std::string without_password(std::string_view text) {
  const auto scheme = text.find("://");
  const auto start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const auto at = text.rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(text);
  const auto colon = text.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(text);
  return std::string(text.substr(0, colon + 1)) + "***" + std::string(text.substr(at));
}

Error bad(std::string_view text, std::size_t offset, std::string_view what) {
  return make_error(ErrorCode::invalid_input, fmt::format("{} (column {} of \"{}\")", what,
                                                          offset + 1, without_password(text)));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view part, std::size_t offset,
                                   std::string_view whole) {
  std::string out;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '%') {
      out.push_back(part[i]);
      continue;
    }
    if (i + 2 >= part.size()) {
      return bad(whole, offset + i, "incomplete %-escape");
    }
    const int hi = hex_value(part[i + 1]);
    const int lo = hex_value(part[i + 2]);
    if (hi < 0 || lo < 0) return bad(whole, offset + i, "bad %-escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

Result<UrlParts> split_url(std::string_view text, std::string_view scheme) {
  const std::string prefix = std::string(scheme) + "://";
  if (!text.starts_with(prefix)) {
    return bad(text, 0, fmt::format("expected a URL starting with {}", prefix));
  }
  UrlParts parts;
  std::size_t pos = prefix.size();
  const std::size_t path_at = std::min(text.find('/', pos), text.size());
  std::string_view authority = text.substr(pos, path_at - pos);
  if (const auto query = text.find('?', pos); query != std::string_view::npos) {
    return bad(text, query, "query parameters are not supported");
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon), pos, text);
    if (!user) return user.error();
    parts.user = std::move(user.value());
    if (colon != std::string_view::npos) {
      auto password = percent_decode(userinfo.substr(colon + 1), pos + colon + 1, text);
      if (!password) return password.error();
      parts.password = std::move(password.value());
    }
    pos += at + 1;
    authority = authority.substr(at + 1);
  }
  const auto colon = authority.rfind(':');
  parts.host = std::string(authority.substr(0, colon));
  if (parts.host.empty()) return bad(text, pos, "missing host");
  if (colon != std::string_view::npos) {
    const std::string_view digits = authority.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) {
      return bad(text, pos + colon + 1, fmt::format("port \"{}\" is not 1-65535", digits));
    }
    parts.port = static_cast<std::uint16_t>(value);
  }
  if (path_at < text.size()) parts.path = std::string(text.substr(path_at + 1));
  return parts;
}

}  // namespace

Result<MysqlUrl> parse_mysql_url(std::string_view text) {
  auto parts = split_url(text, "mysql");
  if (!parts) return parts.error();
  if (parts->user.empty()) return bad(text, 8, "missing user (mysql://user:password@host…)");
  if (parts->path.empty() || parts->path.find('/') != std::string::npos) {
    return bad(text, text.size(), "missing database name after the last '/'");
  }
  return MysqlUrl{parts->user, parts->password, parts->host, parts->port.value_or(3306),
                  parts->path};
}

Result<RedisUrl> parse_redis_url(std::string_view text) {
  auto parts = split_url(text, "redis");
  if (!parts) return parts.error();
  RedisUrl url{parts->user, parts->password, parts->host, parts->port.value_or(6379), 0};
  if (!parts->path.empty()) {
    const auto& db = parts->path;
    const auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), url.db);
    if (ec != std::errc() || end != db.data() + db.size() || url.db < 0 || url.db > 15) {
      return bad(text, text.size() - db.size(), fmt::format("database \"{}\" is not 0-15", db));
    }
  }
  return url;
}

std::string MysqlUrl::str() const {
  return fmt::format("mysql://{}:{}@{}:{}/{}", percent_encode(user), percent_encode(password), host,
                     port, database);
}

std::string MysqlUrl::redacted() const {
  return fmt::format("mysql://{}:***@{}:{}/{}", percent_encode(user), host, port, database);
}

std::string RedisUrl::str() const {
  const std::string auth =
      password.empty() ? "" : percent_encode(user) + ":" + percent_encode(password) + "@";
  return fmt::format("redis://{}{}:{}/{}", auth, host, port, db);
}

std::string RedisUrl::redacted() const {
  const std::string auth = password.empty() ? "" : percent_encode(user) + ":***@";
  return fmt::format("redis://{}{}:{}/{}", auth, host, port, db);
}

}  // namespace mepsim
