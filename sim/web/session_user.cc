#include "sim/web/session_user.h"

#include <algorithm>
#include <array>
#include <utility>

namespace mepsim::web {
namespace {

// Each role and the roles it includes directly.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kIncludes = {{
    {"ROLE_ADMIN", "ROLE_ADMIN_TERRITORY"},
    {"ROLE_ADMIN_TERRITORY", "ROLE_ADMIN_PARTNER"},
    {"ROLE_ADMIN_PARTNER", "ROLE_USER_PARTNER"},
    {"ROLE_USER_PARTNER", "ROLE_USER"},
    {"ROLE_USAGER", "ROLE_USER"},
    {"ROLE_API_USER", "ROLE_API_USER"},
}};

bool includes(std::string_view held, std::string_view wanted, int depth) {
  if (held == wanted) return true;
  if (depth > 8) return false;  // the hierarchy is 5 deep: a loop would be a bug
  for (const auto& [role, included] : kIncludes) {
    if (role == held && included != held && includes(included, wanted, depth + 1)) return true;
  }
  return false;
}

}  // namespace

bool is_granted(const std::vector<std::string>& roles, std::string_view role) {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const std::string& held) { return includes(held, role, 0); });
}

bool can_use_back_office(const SessionUser& user) {
  return is_granted(user.roles, "ROLE_USER_PARTNER");
}

std::optional<std::int64_t> scope_of(const SessionUser& user) {
  if (is_granted(user.roles, "ROLE_ADMIN")) return std::nullopt;
  return user.territory_id.value_or(0);
}

std::string scope_key(const SessionUser& user) {
  const auto scope = scope_of(user);
  return scope ? std::to_string(*scope) : "all";
}

}  // namespace mepsim::web
