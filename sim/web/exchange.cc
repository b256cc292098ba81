#include "sim/web/exchange.h"

#include <fmt/format.h>

namespace mepsim::web {

namespace http = boost::beast::http;

std::string_view Exchange::header(http::field field) const {
  const auto found = request.find(field);
  return found == request.end() ? std::string_view()
                                : std::string_view(found->value().data(), found->value().size());
}

std::string_view Exchange::header(std::string_view name) const {
  const auto found = request.find(boost::beast::string_view(name.data(), name.size()));
  return found == request.end() ? std::string_view()
                                : std::string_view(found->value().data(), found->value().size());
}

bool Exchange::is_json_request() const {
  return header(http::field::content_type).starts_with("application/json");
}

void Exchange::text(int status, std::string content_type, std::string body) {
  response.result(static_cast<unsigned>(status));
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
}

void Exchange::html(int status, std::string body) {
  text(status, "text/html; charset=UTF-8", std::move(body));
}

void Exchange::json(int status, std::string body) {
  text(status, "application/json", std::move(body));
}

void Exchange::redirect(std::string location) {
  response.result(http::status::found);
  response.set(http::field::location, location);
  response.set(http::field::content_type, "text/html; charset=UTF-8");
  response.body() = fmt::format(
      "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0;url='{0}'\" />"
      "<title>Redirecting to {0}</title></head><body>Redirecting to "
      "<a href=\"{0}\">{0}</a>.</body></html>",
      html_escape(location));
}

void Exchange::add_header(std::string_view name, std::string_view value) {
  response.insert(boost::beast::string_view(name.data(), name.size()),
                  boost::beast::string_view(value.data(), value.size()));
}

void Exchange::set_cookie(std::string_view name, std::string_view value, int max_age_s) {
  std::string cookie = fmt::format("{}={}; path=/", name, value);
  if (max_age_s >= 0) cookie += fmt::format("; max-age={}", max_age_s);
  cookie += "; httponly; samesite=lax";
  response.insert(http::field::set_cookie, cookie);
}

void Exchange::clear_cookie(std::string_view name) {
  response.insert(http::field::set_cookie,
                  fmt::format("{}=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; max-age=0; "
                              "path=/; httponly; samesite=lax",
                              name));
}

void Exchange::note_app_cache(bool hit) {
  app_cache_consulted = true;
  app_cache_hit = app_cache_hit && hit;
}

}  // namespace mepsim::web
