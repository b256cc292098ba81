#include "sim/web/firewall.h"

#include "sim/web/remember_me.h"

namespace mepsim::web {
namespace {

Result<void> remember_user(AppContext& app, Exchange& ex, RedisConnection& redis) {
  const auto cookie = ex.cookies.find(kRememberMeCookie);
  if (cookie == ex.cookies.end()) return {};
  const auto email = remember_me_email(cookie->second, app.now());
  if (!email) return {};
  auto db = app.database();
  if (!db) return db.error();
  auto user = db.value()->find_user_by_email(*email);
  if (!user) return user.error();
  if (!user.value() || user.value()->statut != "ACTIVE" ||
      !remember_me_valid(app.config().app_secret, cookie->second, user.value()->password_hash,
                         app.now())) {
    ex.clear_cookie(kRememberMeCookie);
    return {};
  }
  const auto& record = *user.value();
  SessionUser session_user{record.id, record.email, record.roles, record.territory_id};
  auto id = app.sessions().open(redis, session_user, app.now(), ex.session_id);
  if (!id) return id.error();
  ex.set_cookie(kSessionCookie, id.value());
  ex.session_id = id.value();
  ex.user = std::move(session_user);
  return {};
}

}  // namespace

Result<void> authenticate_session(AppContext& app, Exchange& ex, bool needs_user,
                                  const Route* route) {
  const auto cookie = ex.cookies.find(kSessionCookie);
  const bool has_session =
      cookie != ex.cookies.end() && SessionStore::is_session_id(cookie->second);
  const bool has_remember_me = ex.cookies.contains(kRememberMeCookie);
  if (!has_session && !has_remember_me) return {};
  auto redis = app.redis();
  if (!redis) return needs_user ? Result<void>(redis.error()) : Result<void>();
  if (has_session) {
    ex.session_id = cookie->second;
    const bool prefetching = route != nullptr && route->prefetch != nullptr;
    std::vector<std::string> also_get;
    if (prefetching) {
      if (auto scope = app.scope_of_session(ex.session_id)) also_get = route->prefetch(app, *scope);
    }
    auto user = app.sessions().load(*redis.value(), ex.session_id, also_get, &ex.prefetched);
    if (!user) return needs_user ? Result<void>(user.error()) : Result<void>();
    if (user.value()) {
      ex.user = std::move(user.value());
      if (prefetching) app.remember_scope(ex.session_id, scope_key(*ex.user));
      return {};
    }
  }
  auto remembered = remember_user(app, ex, *redis.value());
  if (!remembered && needs_user) return remembered.error();
  return {};
}

Result<void> authenticate_token(AppContext& app, Exchange& ex) {
  const std::string_view header = ex.header(boost::beast::http::field::authorization);
  constexpr std::string_view kBearer = "Bearer ";
  if (!header.starts_with(kBearer)) return {};
  const std::string token(header.substr(kBearer.size()));
  if (token.size() != 64) return {};
  auto db = app.database();
  if (!db) return db.error();
  auto user = db.value()->find_api_token_user(token, app.now());
  if (!user) return user.error();
  if (user.value() && user.value()->statut == "ACTIVE" &&
      is_granted(user.value()->roles, "ROLE_API_USER")) {
    const auto& r = *user.value();
    ex.user = SessionUser{r.id, r.email, r.roles, r.territory_id};
  }
  return {};
}

}  // namespace mepsim::web
