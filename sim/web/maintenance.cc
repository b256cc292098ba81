#include "sim/web/maintenance.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace mepsim::web {
namespace {

// Compared without case: a path differing only in case reaches no route anyway, and
// refusing it here too keeps the rule obviously safe.
bool starts_with_nocase(std::string_view path, std::string_view prefix) {
  if (path.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), path.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

bool is_segment_prefix(std::string_view path, std::string_view prefix) {
  return starts_with_nocase(path, prefix) &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

constexpr std::array<std::string_view, 6> kBlockedPrefixes = {
    "/signalement", "/suivre-mon-signalement",   "/mot-de-pass-perdu",
    "/contact",     "/demande-lien-signalement", "/activation"};

}  // namespace

MaintenanceAction maintenance_decision(std::string_view path, const SessionUser* user) {
  if (is_segment_prefix(path, "/api") && !is_segment_prefix(path, "/api/doc")) {
    return MaintenanceAction::api_unavailable;
  }
  const bool admin = user != nullptr && is_granted(user->roles, "ROLE_ADMIN");
  if (user != nullptr && !admin && !is_segment_prefix(path, "/logout")) {
    return MaintenanceAction::redirect_logout;
  }
  if (!admin) {
    for (const auto prefix : kBlockedPrefixes) {
      // `/signalement*` in FACTS.md: /signalement-draft/… is the same form.
      if (starts_with_nocase(path, prefix)) return MaintenanceAction::redirect_home;
    }
  }
  return MaintenanceAction::pass;
}

}  // namespace mepsim::web
