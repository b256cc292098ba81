#pragma once
// Maintenance mode as the real app's listener applies it (FACTS.md), as a pure decision
// on the canonical path and the user the firewall found. The listener's order against the
// firewall is the caller's: before the firewall it sees no user at all, which is why the
// forced logout may never fire in production.

#include <string_view>

#include "sim/web/session_user.h"

namespace mepsim::web {

enum class MaintenanceAction {
  pass,
  api_unavailable,  // 503 {"error":"Service indisponible","message":"Maintenance en cours"}
  redirect_home,    // 302 /
  redirect_logout,  // 302 /logout
};

inline constexpr std::string_view kMaintenanceApiBody =
    R"({"error":"Service indisponible","message":"Maintenance en cours"})";

// `user` is null for an anonymous visitor, or when the listener runs before the firewall.
MaintenanceAction maintenance_decision(std::string_view path, const SessionUser* user);

}  // namespace mepsim::web
