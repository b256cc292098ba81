#include "harness/scalingo_cli/http_url.h"

#include <charconv>

namespace mepsim::scalingo_cli {

std::string HttpUrl::origin() const {
  return scheme + "://" + host + ":" + std::to_string(port);
}

std::string HttpUrl::with_path(std::string_view suffix) const {
  return origin() + path + std::string(suffix);
}

Result<HttpUrl> parse_http_url(std::string_view text, std::string_view what) {
  const auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_input, std::string(what) + " is not a usable URL ('" +
                                                    std::string(text) + "'): " + std::string(why));
  };
  HttpUrl url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return bad("expected http://host[:port][/path]");
  url.scheme = std::string(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") return bad("the scheme must be http or https");
  std::string_view rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) url.path = std::string(rest.substr(path_start));
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  if (authority.find('@') != std::string_view::npos) {
    // Credentials in a URL end up in logs; the token travels in SCALINGO_API_TOKEN only.
    return bad("user information in the URL is not accepted");
  }
  if (authority.find('[') != std::string_view::npos) return bad("IPv6 literals are not supported");
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    url.host = std::string(authority.substr(0, colon));
    const std::string_view port = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), url.port);
    if (ec != std::errc() || end != port.data() + port.size() || url.port <= 0 ||
        url.port > 65535) {
      return bad("the port must be a number from 1 to 65535");
    }
  } else {
    url.host = std::string(authority);
    url.port = url.scheme == "https" ? 443 : 80;
  }
  if (url.host.empty()) return bad("the host is missing");
  return url;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' ||
                            c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

}  // namespace mepsim::scalingo_cli
