#pragma once
// Who a request is from, as Symfony's firewalls decide it: the `main` firewall reads the
// PHPSESSID session, or failing that a valid remember-me cookie (which opens a new
// session); the `api` firewall is stateless and reads a Bearer token.

#include "sim/core/result.h"
#include "sim/web/app_context.h"
#include "sim/web/exchange.h"
#include "sim/web/routes.h"

namespace mepsim::web {

// Sets ex.user (and ex.session_id) when the request carries valid credentials. A datastore
// failure is an error only where the route cannot do without the user (`needs_user`):
// public pages are served to a visitor whose session cannot be read.
// `route` (may be null) names Redis keys to read along with the session.
Result<void> authenticate_session(AppContext& app, Exchange& ex, bool needs_user,
                                  const Route* route);
Result<void> authenticate_token(AppContext& app, Exchange& ex);

}  // namespace mepsim::web
