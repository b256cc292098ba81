#pragma once
// The app's routes (FACTS.md "Routes that matter") and the table the app dispatches on.
// A handler sets the exchange's response for every answer it means (redirects, 4xx);
// an error it returns is a failure of the app: `unavailable`/`timeout` answer 503,
// anything else 500, both reported to Sentry.

#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/web/app_context.h"
#include "sim/web/exchange.h"

namespace mepsim::web {

using RouteHandler = Result<void> (*)(AppContext&, Exchange&);
// The Redis keys a route will read for a user of this scope ("all", a territory id): the
// firewall GETs them in the session's round trip, once it knows the session's scope.
using PrefetchKeys = std::vector<std::string> (*)(const AppContext&, const std::string& scope);

enum class Access {
  open,         // anyone; the session is read when there is one
  back_office,  // a logged-in partner or admin, else 302 /connexion
  api,          // a valid Bearer token of an API user, else 401
};

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/signalement-draft/{uuid}/send"
  Access access;
  RouteHandler handler;
  PrefetchKeys prefetch;  // null: nothing to read ahead
};

const std::vector<Route>& app_routes();

struct RouteMatch {
  std::size_t index = 0;
  RouteParams params;
  bool method_allowed = true;  // false: the path exists under another method (405)
};
std::optional<RouteMatch> match_route(std::string_view method, std::string_view path);

// Handlers, by file.
Result<void> home(AppContext&, Exchange&);          // routes_public.cc
Result<void> static_page(AppContext&, Exchange&);   // routes_public.cc
Result<void> contact_send(AppContext&, Exchange&);  // routes_public.cc
Result<void> login_form(AppContext&, Exchange&);    // routes_account.cc
Result<void> login_check(AppContext&, Exchange&);   // routes_account.cc
Result<void> logout(AppContext&, Exchange&);        // routes_account.cc
Result<void> dashboard(AppContext&, Exchange&);     // routes_back_office.cc
std::vector<std::string> dashboard_keys(const AppContext&, const std::string& scope);
Result<void> signalement_list(AppContext&, Exchange&);       // routes_back_office.cc
Result<void> statistics(AppContext&, Exchange&);             // routes_back_office.cc
Result<void> draft_new(AppContext&, Exchange&);              // routes_report.cc
Result<void> draft_send(AppContext&, Exchange&);             // routes_report.cc
Result<void> follow_report(AppContext&, Exchange&);          // routes_report.cc
Result<void> api_login(AppContext&, Exchange&);              // routes_api.cc
Result<void> api_signalements_list(AppContext&, Exchange&);  // routes_api.cc
Result<void> api_signalements_create(AppContext&, Exchange&);
Result<void> api_doc(AppContext&, Exchange&);

// A report written outright (the API): geocoded, stored, caches invalidated, mail sent.
Result<SignalementRecord> create_report(AppContext& app, SignalementInput input);
// Counts one request of the client against `policy` and adds the X-RateLimit headers;
// false when the request is over the limit (the caller answers its 429).
Result<bool> within_rate_limit(AppContext& app, Exchange& ex, const RateLimitPolicy& policy);
// Answers 400/404/409 for what the database refuses of a report; other errors go back.
Result<void> refuse_report(Exchange& ex, const Error& error);

}  // namespace mepsim::web
