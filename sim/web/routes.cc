#include "sim/web/routes.h"

namespace mepsim::web {

const std::vector<Route>& app_routes() {
  static const std::vector<Route> routes = {
      {"GET", "/", Access::open, home, nullptr},
      {"GET", "/connexion", Access::open, login_form, nullptr},
      {"POST", "/connexion", Access::open, login_check, nullptr},
      {"GET", "/logout", Access::open, logout, nullptr},
      {"GET", "/bo", Access::back_office, dashboard, dashboard_keys},
      {"GET", "/bo/signalements", Access::back_office, signalement_list, nullptr},
      {"GET", "/bo/statistiques", Access::back_office, statistics, nullptr},
      {"GET", "/signalement", Access::open, static_page, nullptr},
      {"POST", "/signalement-draft/new", Access::open, draft_new, nullptr},
      {"POST", "/signalement-draft/{uuid}/send", Access::open, draft_send, nullptr},
      {"GET", "/suivre-mon-signalement", Access::open, static_page, nullptr},
      {"GET", "/suivre-mon-signalement/{code}", Access::open, follow_report, nullptr},
      {"GET", "/contact", Access::open, static_page, nullptr},
      {"POST", "/contact", Access::open, contact_send, nullptr},
      {"GET", "/mot-de-pass-perdu", Access::open, static_page, nullptr},
      {"GET", "/demande-lien-signalement", Access::open, static_page, nullptr},
      {"GET", "/activation", Access::open, static_page, nullptr},
      {"POST", "/api/login", Access::open, api_login, nullptr},
      {"GET", "/api/signalements", Access::api, api_signalements_list, nullptr},
      {"POST", "/api/signalements", Access::api, api_signalements_create, nullptr},
      {"GET", "/api/doc", Access::open, api_doc, nullptr},
  };
  return routes;
}

namespace {

// Segment by segment; "{name}" takes one non-empty segment.
bool match_pattern(std::string_view pattern, std::string_view path, RouteParams& params) {
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto p_end = std::min(pattern.find('/'), pattern.size());
    const auto s_end = std::min(path.find('/'), path.size());
    const std::string_view p = pattern.substr(0, p_end);
    const std::string_view s = path.substr(0, s_end);
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (s.empty()) return false;
      params.values[std::string(p.substr(1, p.size() - 2))] = std::string(s);
    } else if (p != s) {
      return false;
    }
    pattern.remove_prefix(p_end);
    path.remove_prefix(s_end);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

std::optional<RouteMatch> match_route(std::string_view method, std::string_view path) {
  const auto& routes = app_routes();
  std::optional<RouteMatch> other_method;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    RouteParams params;
    if (!match_pattern(routes[i].pattern, path, params)) continue;
    const bool same = routes[i].method == method || (routes[i].method == "GET" && method == "HEAD");
    if (same) return RouteMatch{i, std::move(params), true};
    if (!other_method) other_method = RouteMatch{i, std::move(params), false};
  }
  return other_method;
}

Result<bool> within_rate_limit(AppContext& app, Exchange& ex, const RateLimitPolicy& policy) {
  auto redis = app.redis();
  if (!redis) return redis.error();
  auto limit = app.rate_limiter().consume(*redis.value(), policy, ex.client_ip, app.now());
  if (!limit) return limit.error();
  for (const auto& [name, value] : limit->headers()) ex.add_header(name, value);
  return limit->accepted;
}

}  // namespace mepsim::web
