// libFuzzer target: mepsim-web's readers of request pieces (request_parts.h). The first byte
// picks the reader, the rest is its input. The canonical path is what both the maintenance
// check and the route match read, so it must be canonical: rooted, no NUL, no "." or ".."
// segment left, and reading it again gives it back. Cookie and form names are never empty.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sim/web/request_parts.h"

namespace {

using mepsim::web::parse_cookies;
using mepsim::web::parse_form;
using mepsim::web::parse_target;
using mepsim::web::percent_decode;

// The path as a target again: escape what the reader would decode or cut.
std::string as_target(std::string_view path) {
  std::string out;
  for (const char c : path) {
    if (c == '%' || c == '?') {
      out += c == '%' ? "%25" : "%3F";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void check_target(std::string_view input) {
  const auto target = parse_target(input);
  if (!target) return;
  const std::string& path = target->path;
  if (path.empty() || path.front() != '/' || path.find('\0') != std::string::npos) std::abort();
  for (std::size_t start = 1; start <= path.size();) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = std::string_view(path).substr(start, end - start);
    if (segment == "." || segment == "..") std::abort();
    start = end + 1;
  }
  const auto again = parse_target(as_target(path));
  if (!again || again->path != path || !again->query.empty()) std::abort();
  const auto question = input.find('?');
  if (question != std::string_view::npos && target->query != input.substr(question + 1)) {
    std::abort();
  }
}

void check_cookies(std::string_view input) {
  for (const auto& [name, value] : parse_cookies(input)) {
    if (name.empty() || name.find(';') != std::string::npos ||
        value.find(';') != std::string::npos) {
      std::abort();
    }
  }
}

void check_form(std::string_view input) {
  for (const auto& [name, value] : parse_form(input)) {
    if (name.empty()) std::abort();
  }
  const auto decoded = percent_decode(input, true);
  if (decoded && decoded->size() > input.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      check_target(input);
      break;
    case 1:
      check_cookies(input);
      break;
    default:
      check_form(input);
      break;
  }
  return 0;
}
