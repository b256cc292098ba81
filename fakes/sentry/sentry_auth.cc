#include "fakes/sentry/sentry_auth.h"

#include <algorithm>

namespace mepsim::fakes::sentry {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_word(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> key_from_auth_header(std::string_view header) {
  header = trim(header);
  constexpr std::string_view kScheme = "Sentry ";
  if (header.size() < kScheme.size() || header.substr(0, kScheme.size()) != kScheme) {
    return std::nullopt;
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view pair = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (trim(pair.substr(0, equals)) == "sentry_key") {
      const std::string_view key = trim(pair.substr(equals + 1));
      if (key.empty()) return std::nullopt;
      return std::string(key);
    }
  }
  return std::nullopt;
}

std::optional<DsnKey> key_from_dsn(std::string_view dsn) {
  const auto scheme_end = dsn.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view rest = dsn.substr(scheme_end + 3);
  const auto at = rest.find('@');
  const auto slash = rest.find('/');
  if (at == std::string_view::npos || slash == std::string_view::npos || at > slash) {
    return std::nullopt;
  }
  std::string_view key = rest.substr(0, at);
  key = key.substr(0, key.find(':'));  // a legacy "key:secret"
  if (key.empty() || !std::all_of(key.begin(), key.end(), is_word)) return std::nullopt;
  std::string_view path = rest.substr(slash + 1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const auto last = path.rfind('/');
  const std::string_view project = last == std::string_view::npos ? path : path.substr(last + 1);
  if (!all_digits(project)) return std::nullopt;
  return DsnKey{std::string(key), std::string(project)};
}

}  // namespace mepsim::fakes::sentry
