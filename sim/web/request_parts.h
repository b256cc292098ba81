#pragma once
// The pieces of a request the app reads: its canonical path, query, cookies, form fields.
// One canonical path serves both the maintenance check and the route match, so that a
// path trick (`/api/../api/x`, `%2F`, `//`) cannot be read one way by one and another
// way by the other.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mepsim::web {

struct Target {
  std::string path;   // percent-decoded, dot segments removed
  std::string query;  // raw, after '?'
};

// Empty when the target is not an origin-form path or decodes to something no route
// could take (bad escapes, NUL, a path climbing above the root).
std::optional<Target> parse_target(std::string_view target);

// `name=value; name2=value2` (the Cookie header); the first of a repeated name wins.
std::map<std::string, std::string> parse_cookies(std::string_view header);
// application/x-www-form-urlencoded (a POST body or a query string).
std::map<std::string, std::string> parse_form(std::string_view body);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

std::string html_escape(std::string_view text);

}  // namespace mepsim::web
