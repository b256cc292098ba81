#pragma once
// Who a request is from, once the firewall has read its session, remember-me cookie or
// API token; and the app's role hierarchy (FACTS.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mepsim::web {

struct SessionUser {
  std::int64_t id = 0;
  std::string email;
  std::vector<std::string> roles;
  std::optional<std::int64_t> territory_id;
};

// Whether `roles` grant `role` through the hierarchy: ROLE_ADMIN > ROLE_ADMIN_TERRITORY >
// ROLE_ADMIN_PARTNER > ROLE_USER_PARTNER > ROLE_USER, ROLE_USAGER > ROLE_USER;
// ROLE_API_USER stands apart.
bool is_granted(const std::vector<std::string>& roles, std::string_view role);
// Whether the user may open the back-office (/bo): partners and admins.
bool can_use_back_office(const SessionUser& user);
// The territory whose reports the user sees: none for a super admin (all of them).
std::optional<std::int64_t> scope_of(const SessionUser& user);
// The same as a cache key part: "all" or the territory's id.
std::string scope_key(const SessionUser& user);

}  // namespace mepsim::web
