#pragma once
// A one-shot HTTP/1.1 exchange (Boost.Beast, synchronous), bounded as a whole by a
// timeout: how the web container calls its third parties (geocoding, mail, Sentry). A
// slow or silent peer costs the caller at most `timeout`, never more.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim {

// http://host[:port][/path][?query]; https is refused (the fakes speak plain HTTP).
struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";  // path and query
};
Result<HttpUrl> parse_http_url(const std::string& text);
// A TCP port as URLs and DSNs write it: 1-65535, digits only.
std::optional<std::uint16_t> parse_port_number(std::string_view text);

struct HttpExchange {
  std::string method = "GET";
  HttpUrl url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Duration timeout = std::chrono::seconds(2);
};

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Resolving, connecting, writing and reading all count against `timeout`; running out is
// a `timeout` error, a refused or broken connection `unavailable`. Bodies over 8 MiB are
// refused (`capacity`).
Result<HttpReply> http_exchange(const HttpExchange& exchange);

// application/x-www-form-urlencoded and query-string escaping: RFC 3986 unreserved
// characters stay, a space becomes '+', every other byte %XX.
std::string url_encode(std::string_view text);

// The reverse ('+' is a space); a '%' not followed by two hex digits is invalid_input.
Result<std::string> url_decode(std::string_view text);

}  // namespace mepsim
