#pragma once
// One virtual user's cookies, as a browser keeps them for one site (RFC 6265, the parts a
// single-host app uses): Set-Cookie with Path, Max-Age and Expires; a cookie replaced by
// name and path, deleted by Max-Age=0 or an Expires in the past; sent back on the
// paths it covers. Domain and Secure are accepted and ignored (one plain-HTTP host).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim::load {

struct Cookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<Instant> expires;  // absent: a session cookie
};

class CookieJar {
 public:
  // A user holds a handful of cookies (session, remember-me, banner); past this many the
  // oldest goes, as browsers evict per host.
  static constexpr std::size_t kCookiesMax = 32;
  // A cookie name plus value over this is ignored, as browsers do past 4 KiB.
  static constexpr std::size_t kCookieBytesMax = 4096;

  // Applies one Set-Cookie header value received for a request to `request_path`;
  // false when it was malformed and ignored.
  bool set_from_header(std::string_view header, std::string_view request_path, Instant now);

  // The Cookie header for a request to `path` ("a=1; b=2"), "" when none applies; longer
  // paths first, as RFC 6265 §5.4 orders them.
  std::string header_for(std::string_view path, Instant now) const;

  std::optional<std::string> value(std::string_view name) const;
  bool contains(std::string_view name) const { return value(name).has_value(); }
  void remove(std::string_view name);
  void clear() { cookies_.clear(); }
  std::size_t size() const { return cookies_.size(); }

 private:
  std::vector<Cookie> cookies_;  // insertion order; at most kCookiesMax
};

// "Thu, 01 Jan 1970 00:00:01 GMT" (IMF-fixdate, what servers send in Expires).
std::optional<Instant> parse_http_date(std::string_view text);
// Whether a cookie with `cookie_path` is sent on a request to `request_path` (§5.1.4).
bool path_matches(std::string_view cookie_path, std::string_view request_path);

}  // namespace mepsim::load
