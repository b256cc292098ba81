#include "harness/report/markup_escape.h"

#include <fmt/format.h>

#include <cstdint>

namespace mepsim::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// The length of the well-formed UTF-8 sequence at the start of `s` and its code point, or
// a length of 0 when it is not one (overlong forms, surrogates, beyond U+10FFFF, truncated).
struct Decoded {
  std::size_t length = 0;
  char32_t code_point = 0;
};

Decoded decode_utf8(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const std::uint8_t lead = byte(0);
  if (lead < 0x80) return {1, lead};
  std::size_t length = 0;
  char32_t cp = 0, min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (s.size() < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {length, cp};
}

bool forbidden_in_xml(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
}

std::string escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    const Decoded d = decode_utf8(text);
    if (d.length == 0) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    const char32_t cp = d.code_point;
    if (forbidden_in_xml(cp)) {
      out += cp < 0x20 ? fmt::format("\\x{:02X}", static_cast<unsigned>(cp))
                       : fmt::format("\\u{:04X}", static_cast<unsigned>(cp));
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";
    } else if (cp == '"') {
      out += "&quot;";
    } else if (cp == '\'') {
      out += "&#39;";
    } else if (attribute && (cp == '\t' || cp == '\n' || cp == '\r')) {
      out += fmt::format("&#{};", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(0, d.length));
    }
    text.remove_prefix(d.length);
  }
  return out;
}

}  // namespace

std::string escape_markup(std::string_view text) {
  return escape(text, false);
}

std::string escape_attribute(std::string_view text) {
  return escape(text, true);
}

}  // namespace mepsim::report
