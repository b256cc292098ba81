#include "sim/web/web_app.h"

#include <fmt/format.h>

#include "sim/web/firewall.h"
#include "sim/web/maintenance.h"
#include "sim/web/page_layout.h"
#include "sim/web/routes.h"
#include "sim/web/secure_token.h"

namespace mepsim::web {
namespace {

namespace http = boost::beast::http;

std::vector<std::string> route_labels() {
  std::vector<std::string> labels;
  for (const auto& r : app_routes()) labels.push_back(fmt::format("{} {}", r.method, r.pattern));
  labels.emplace_back("GET /_mepsim/health");
  labels.emplace_back("GET /metrics");
  return labels;
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

// The client as the router saw it: the last address of X-Forwarded-For, which the router
// appends (anything before it is what the client claimed).
std::string client_ip_of(const Request& request) {
  const auto found = request.find("X-Forwarded-For");
  if (found == request.end()) return "local";
  std::string_view value(found->value().data(), found->value().size());
  const auto comma = value.rfind(',');
  if (comma != std::string_view::npos) value.remove_prefix(comma + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value.empty() ? "local" : std::string(value);
}

// The maintenance listener's answer, if it stops the request.
bool apply_maintenance(AppContext& app, Exchange& ex) {
  const auto& config = app.config();
  // A broken replica's planted defect (negative tests): maintenance announced, not applied.
  if (!config.maintenance || config.release.defects.ignore_maintenance) return false;
  const SessionUser* seen =
      config.listener_order == ListenerOrder::after_firewall && ex.user ? &*ex.user : nullptr;
  switch (maintenance_decision(ex.target.path, seen)) {
    case MaintenanceAction::pass:
      return false;
    case MaintenanceAction::api_unavailable:
      ex.json(503, std::string(kMaintenanceApiBody));
      return true;
    case MaintenanceAction::redirect_home:
      ex.redirect("/");
      return true;
    case MaintenanceAction::redirect_logout:
      ex.redirect("/logout");
      return true;
  }
  return false;
}

void not_found(AppContext& app, Exchange& ex, bool method_allowed) {
  if (is_api_path(ex.target.path)) {
    ex.json(method_allowed ? 404 : 405, method_allowed
                                            ? R"({"code":404,"message":"Not Found"})"
                                            : R"({"code":405,"message":"Method Not Allowed"})");
    return;
  }
  render_page(app, ex, "bundles/TwigBundle/Exception/error404.html.twig", "Page introuvable",
              "<h1>Page introuvable</h1>", method_allowed ? 404 : 405);
}

// Refuses what the route's access rule refuses; true when it answered.
bool refuse_access(AppContext& app, Exchange& ex, Access access) {
  if (access == Access::back_office) {
    if (!ex.user) {
      ex.redirect("/connexion");
      return true;
    }
    if (!can_use_back_office(*ex.user)) {
      render_page(app, ex, "bundles/TwigBundle/Exception/error403.html.twig", "Accès refusé",
                  "<h1>Accès refusé</h1>", 403);
      return true;
    }
  }
  if (access == Access::api && !ex.user) {
    ex.json(401, R"({"code":401,"message":"Invalid JWT Token"})");
    return true;
  }
  return false;
}

// The API's 60 requests a minute per client; true when it refused.
Result<bool> api_rate_limited(AppContext& app, Exchange& ex) {
  if (!is_api_path(ex.target.path) || ex.target.path.starts_with("/api/doc")) return false;
  auto within = within_rate_limit(app, ex, kApiLimit);
  if (!within) return within.error();
  if (within.value()) return false;
  ex.json(429, R"({"code":429,"message":"Too Many Requests"})");
  return true;
}

Result<void> planted_fault(AppContext& app, const Exchange& ex) {
  for (const auto& fault : app.config().release.faults) {
    // The fault names a route by its pattern ("/signalement-draft/{uuid}/send") or a path.
    if (fault.route != ex.route_label && fault.route != ex.target.path) continue;
    if (app.rng().uniform_real(0, 1) < fault.error_rate) {
      return make_error(ErrorCode::internal, fmt::format("planted fault on {} (error_rate {})",
                                                         fault.route, fault.error_rate));
    }
  }
  return {};
}

void fail(AppContext& app, Exchange& ex, const Error& error) {
  const bool unavailable = error.code == ErrorCode::unavailable || error.code == ErrorCode::timeout;
  if (unavailable) app.forget_database();
  const int status = unavailable ? 503 : 500;
  SentryEvent event;
  event.event_id = random_hex(16);
  event.exception_type =
      unavailable ? "Doctrine\\DBAL\\Exception\\ConnectionException" : "ErrorException";
  if (error.message.find("redis") != std::string::npos) {
    event.exception_type = "RedisException";
  }
  event.exception_value = error.message;
  event.transaction = ex.route_label;
  event.release = app.config().app_version;
  event.environment = app.config().sentry_environment;
  event.timestamp = app.now();
  if (app.sentry().enabled()) {
    app.sentry().capture(std::move(event));
    app.metrics().count_sentry_event();
  }
  ex.response = Response(http::status::ok, 11);
  if (is_api_path(ex.target.path)) {
    ex.json(status, fmt::format(R"({{"code":{},"message":"{}"}})", status,
                                unavailable ? "Service Unavailable" : "Internal Server Error"));
  } else {
    ex.html(status, fmt::format("<!DOCTYPE html><html><head><title>Erreur {}</title></head>"
                                "<body><h1>Une erreur est survenue</h1></body></html>",
                                status));
  }
}

}  // namespace

WebApp::WebApp(WebConfig config, Clock& clock)
    : context_(std::make_unique<AppContext>(std::move(config), clock, route_labels())) {}

Response WebApp::handle(const Request& request) {
  AppContext& app = *context_;
  const auto raw_target = request.target();
  auto target = parse_target(std::string_view(raw_target.data(), raw_target.size()));
  const std::size_t routes = app_routes().size();
  if (!target) {
    Response bad(http::status::bad_request, request.version());
    bad.set(http::field::content_type, "text/plain");
    bad.body() = "Bad Request";
    app.metrics().count_request(app.metrics().unmatched_route(), 400);
    return bad;
  }
  if (target->path == "/_mepsim/health" || target->path == "/metrics") {
    const bool health = target->path == "/_mepsim/health";
    Response r(http::status::ok, request.version());
    r.set(http::field::content_type, health ? "application/json" : "text/plain; version=0.0.4");
    // The mode it serves is what a load test's probe times a toggle's effect by.
    const WebConfig& config = app.config();
    r.body() = health ? fmt::format(R"({{"status":"ok","version":"{}","container":"{}",)"
                                    R"("maintenance":{},"banner":{}}})",
                                    config.app_version, config.container, config.maintenance,
                                    config.banner)
                      : app.metrics().render(config.app_version);
    app.metrics().count_request(routes + (health ? 0 : 1), 200);
    return r;
  }
  const auto method = request.method_string();
  const auto match = match_route(std::string_view(method.data(), method.size()), target->path);
  Exchange ex(request, std::move(*target), client_ip_of(request));
  ex.response.version(request.version());
  if (match) {
    ex.route_label = std::string(app_routes()[match->index].pattern);
    ex.params = match->params;
  }
  ex.cookies = parse_cookies(ex.header(http::field::cookie));
  const Access access =
      match && match->method_allowed ? app_routes()[match->index].access : Access::open;

  auto handled = [&]() -> Result<void> {
    if (access == Access::api) {
      if (auto a = authenticate_token(app, ex); !a) return a;
    } else if (!is_api_path(ex.target.path)) {
      const Route* route = match && match->method_allowed ? &app_routes()[match->index] : nullptr;
      if (auto a = authenticate_session(app, ex, access == Access::back_office, route); !a) {
        return a;
      }
    }
    if (apply_maintenance(app, ex)) return {};
    if (!match || !match->method_allowed) {
      not_found(app, ex, !match || match->method_allowed);
      return {};
    }
    auto limited = api_rate_limited(app, ex);
    if (!limited) return limited.error();
    if (limited.value() || refuse_access(app, ex, access)) return {};
    if (auto fault = planted_fault(app, ex); !fault) return fault;
    return app_routes()[match->index].handler(app, ex);
  }();
  if (!handled) fail(app, ex, handled.error());
  if (ex.app_cache_consulted) ex.response.set("X-Cache", ex.app_cache_hit ? "hit" : "miss");
  if (ex.system_cache_hit) ex.response.set("X-Cache-System", *ex.system_cache_hit ? "hit" : "miss");
  app.account_database_queries();
  app.metrics().count_request(match ? match->index : app.metrics().unmatched_route(),
                              static_cast<int>(ex.response.result_int()));
  return std::move(ex.response);
}

}  // namespace mepsim::web
