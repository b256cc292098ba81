#include "harness/load/cookie_jar.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace mepsim::load {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The default path of §5.1.4: the request path up to its last '/', or "/".
std::string default_path(std::string_view request_path) {
  const auto query = request_path.find('?');
  request_path = request_path.substr(0, query);
  if (request_path.empty() || request_path.front() != '/') return "/";
  const auto slash = request_path.rfind('/');
  return slash == 0 ? "/" : std::string(request_path.substr(0, slash));
}

}  // namespace

std::optional<Instant> parse_http_date(std::string_view text) {
  // "Thu, 01 Jan 1970 00:00:01 GMT"
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  text = trim(text);
  if (text.size() != 29 || text[3] != ',' || text.substr(26) != "GMT") return std::nullopt;
  const auto day = to_int(text.substr(5, 2));
  const auto year = to_int(text.substr(12, 4));
  const auto hour = to_int(text.substr(17, 2));
  const auto minute = to_int(text.substr(20, 2));
  const auto second = to_int(text.substr(23, 2));
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (!day || !year || !hour || !minute || !second || month == kMonths.end()) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(*year),
                            std::chrono::month(static_cast<unsigned>(month - kMonths.begin() + 1)),
                            std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return Instant(sys_days(date).time_since_epoch() + hours(*hour) + minutes(*minute) +
                 seconds(*second));
}

bool path_matches(std::string_view cookie_path, std::string_view request_path) {
  request_path = request_path.substr(0, request_path.find('?'));
  if (!request_path.starts_with(cookie_path)) return false;
  return request_path.size() == cookie_path.size() || cookie_path.back() == '/' ||
         request_path[cookie_path.size()] == '/';
}

bool CookieJar::set_from_header(std::string_view header, std::string_view request_path,
                                Instant now) {
  const auto semicolon = std::min(header.find(';'), header.size());
  const std::string_view pair = header.substr(0, semicolon);
  const auto equals = pair.find('=');
  if (equals == std::string_view::npos) return false;
  Cookie cookie{std::string(trim(pair.substr(0, equals))),
                std::string(trim(pair.substr(equals + 1))), default_path(request_path),
                std::nullopt};
  if (cookie.name.empty() || cookie.name.size() + cookie.value.size() > kCookieBytesMax) {
    return false;
  }
  std::optional<Instant> max_age_expiry;
  std::string_view attributes = header.substr(semicolon);
  while (!attributes.empty()) {
    attributes.remove_prefix(1);  // the ';'
    const auto next = std::min(attributes.find(';'), attributes.size());
    const std::string_view attribute = attributes.substr(0, next);
    attributes.remove_prefix(next);
    const auto eq = attribute.find('=');
    const std::string_view key = trim(attribute.substr(0, eq));
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : trim(attribute.substr(eq + 1));
    if (iequals(key, "max-age")) {
      // Max-Age wins over Expires (§5.3 step 3); a bad one is ignored.
      if (const auto seconds = to_int(value)) {
        max_age_expiry = *seconds <= 0 ? Instant::min() : now + std::chrono::seconds(*seconds);
      }
    } else if (iequals(key, "expires")) {
      if (!cookie.expires) cookie.expires = parse_http_date(value);
    } else if (iequals(key, "path")) {
      if (value.starts_with('/')) cookie.path = std::string(value);
    }
  }
  if (max_age_expiry) cookie.expires = max_age_expiry;

  const auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& c) {
    return c.name == cookie.name && c.path == cookie.path;
  });
  if (same != cookies_.end()) cookies_.erase(same);
  if (cookie.expires && *cookie.expires <= now) return true;  // a deletion
  if (cookies_.size() >= kCookiesMax) cookies_.erase(cookies_.begin());
  cookies_.push_back(std::move(cookie));
  return true;
}

std::string CookieJar::header_for(std::string_view path, Instant now) const {
  std::array<const Cookie*, kCookiesMax> sent{};
  std::size_t n = 0;
  for (const auto& c : cookies_) {
    if (c.expires && *c.expires <= now) continue;
    if (path_matches(c.path, path)) sent[n++] = &c;
  }
  std::stable_sort(
      sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(n),
      [](const Cookie* a, const Cookie* b) { return a->path.size() > b->path.size(); });
  std::string header;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) header += "; ";
    header += sent[i]->name;
    header += '=';
    header += sent[i]->value;
  }
  return header;
}

std::optional<std::string> CookieJar::value(std::string_view name) const {
  for (const auto& c : cookies_) {
    if (c.name == name) return c.value;
  }
  return std::nullopt;
}

void CookieJar::remove(std::string_view name) {
  std::erase_if(cookies_, [&](const Cookie& c) { return c.name == name; });
}

}  // namespace mepsim::load
