#pragma once
// One request as the app's handlers see it, and the response they build: the canonical
// target, cookies, the client's address, the user the firewall found, and helpers for
// the answers the app gives (pages, JSON, redirects, cookies).

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/web/app_cache.h"
#include "sim/web/http_server.h"
#include "sim/web/request_parts.h"
#include "sim/web/session_user.h"

namespace mepsim::web {

struct RouteParams {
  std::map<std::string, std::string> values;  // {uuid} → "…"
  const std::string& at(const std::string& name) const { return values.at(name); }
};

struct Exchange {
  Exchange(const Request& r, Target t, std::string ip)
      : request(r), target(std::move(t)), client_ip(std::move(ip)) {}

  const Request& request;
  Target target;
  std::string route_label;  // "/signalement-draft/{uuid}/send"
  RouteParams params;
  std::map<std::string, std::string> cookies;
  std::string client_ip;  // the router's X-Forwarded-For, else "local"

  std::optional<SessionUser> user;  // found by the firewall
  std::string session_id;           // the PHPSESSID the request came with, if valid
  bool app_cache_consulted = false;
  bool app_cache_hit = true;  // all lookups hit (X-Cache: hit)
  std::optional<bool> system_cache_hit;
  Prefetched prefetched;  // GETs the firewall sent along with the session

  Response response{boost::beast::http::status::ok, 11};

  std::string_view header(boost::beast::http::field field) const;
  std::string_view header(std::string_view name) const;
  bool is_json_request() const;

  void html(int status, std::string body);
  void json(int status, std::string body);
  void text(int status, std::string content_type, std::string body);
  void redirect(std::string location);
  void add_header(std::string_view name, std::string_view value);
  void set_cookie(std::string_view name, std::string_view value, int max_age_s = -1);
  void clear_cookie(std::string_view name);
  void note_app_cache(bool hit);
};

}  // namespace mepsim::web
