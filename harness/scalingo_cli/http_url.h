#pragma once
// The URLs `mepsim scalingo` is given (SCALINGO_API_URL, SCALINGO_AUTH_URL) and handed back
// by the API (an operation's Location, a one-off's attach_url), split the way cpp-httplib
// wants them: an origin for the client and a target for the request.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;
  std::string path;  // "" or "/prefix/…", without a trailing slash; query kept

  // "http://127.0.0.1:8080": what httplib::Client takes.
  std::string origin() const;
  // The same URL with `suffix` ("/v1/apps") appended to its path.
  std::string with_path(std::string_view suffix) const;
};

// Accepts http(s)://host[:port][/path]; the error names `what` ("SCALINGO_API_URL").
Result<HttpUrl> parse_http_url(std::string_view text, std::string_view what);

// An app name, variable id or query value made safe for a URL path or query.
std::string percent_encode(std::string_view text);

}  // namespace mepsim::scalingo_cli
