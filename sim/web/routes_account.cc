// Logging in and out of the back-office. A login always opens a session under a new id
// (no fixation) and may set the remember-me cookie; failures count against the login
// throttle before the password is even checked once the limit is reached.

#include <fmt/format.h>

#include "sim/web/page_layout.h"
#include "sim/web/password_hash.h"
#include "sim/web/remember_me.h"
#include "sim/web/routes.h"

namespace mepsim::web {
namespace {

SessionUser session_user_of(const UserRecord& record) {
  return SessionUser{record.id, record.email, record.roles, record.territory_id};
}

// The user if the credentials are right and the account may log in.
Result<std::optional<UserRecord>> check_credentials(AppContext& app, const std::string& email,
                                                    const std::string& password) {
  auto db = app.database();
  if (!db) return db.error();
  auto user = db.value()->find_user_by_email(email);
  if (!user) return user.error();
  if (!user.value() || user.value()->statut != "ACTIVE" ||
      !verify_password(password, user.value()->password_hash)) {
    return std::optional<UserRecord>();
  }
  return user;
}

}  // namespace

Result<void> login_form(AppContext& app, Exchange& ex) {
  const bool failed = ex.target.query.find("error") != std::string::npos;
  render_page(app, ex, "security/login.html.twig", "Connexion",
              fmt::format("<h1>Connexion</h1>{}<form method=\"post\" action=\"/connexion\">"
                          "<label for=\"email\">Adresse e-mail</label>"
                          "<input type=\"email\" id=\"email\" name=\"email\" required>"
                          "<label for=\"password\">Mot de passe</label>"
                          "<input type=\"password\" id=\"password\" name=\"password\" required>"
                          "<input type=\"checkbox\" id=\"remember_me\" name=\"_remember_me\">"
                          "<label for=\"remember_me\">Rester connecté</label>"
                          "<button type=\"submit\" class=\"fr-btn\">Se connecter</button></form>",
                          failed ? "<p class=\"fr-alert fr-alert--error\" id=\"login-error\">"
                                   "Identifiants invalides.</p>"
                                 : ""));
  return {};
}

Result<void> login_check(AppContext& app, Exchange& ex) {
  const auto fields = parse_form(ex.request.body());
  const auto field = [&](const char* name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string() : found->second;
  };
  const std::string email = field("email");
  auto redis = app.redis();
  if (!redis) return redis.error();
  const std::string throttle_subject = ex.client_ip + "|" + email;
  auto throttle = app.rate_limiter().peek(*redis.value(), kLoginLimit, throttle_subject, app.now());
  if (!throttle) return throttle.error();
  if (!throttle->accepted) {
    for (const auto& [name, value] : throttle->headers()) ex.add_header(name, value);
    ex.redirect("/connexion?error=throttled");
    return {};
  }
  auto user = check_credentials(app, email, field("password"));
  if (!user) return user.error();
  if (!user.value()) {
    auto counted =
        app.rate_limiter().consume(*redis.value(), kLoginLimit, throttle_subject, app.now());
    if (!counted) return counted.error();
    ex.redirect("/connexion?error=1");
    return {};
  }
  const UserRecord& record = *user.value();
  auto id = app.sessions().open(*redis.value(), session_user_of(record), app.now(), ex.session_id);
  if (!id) return id.error();
  ex.set_cookie(kSessionCookie, id.value());
  const std::string remember = field("_remember_me");
  if (remember == "on" || remember == "1" || remember == "true") {
    const Instant expires = app.now() + std::chrono::seconds(kRememberMeLifetimeS);
    ex.set_cookie(
        kRememberMeCookie,
        remember_me_value(app.config().app_secret, record.email, record.password_hash, expires),
        kRememberMeLifetimeS);
  }
  auto db = app.database();
  if (!db) return db.error();
  if (auto recorded = db.value()->record_login(record.id, app.now()); !recorded) {
    return recorded.error();
  }
  ex.redirect(can_use_back_office(session_user_of(record)) ? "/bo" : "/");
  return {};
}

Result<void> logout(AppContext& app, Exchange& ex) {
  if (!ex.session_id.empty()) {
    auto redis = app.redis();
    // Logging out must work while Redis is down: the cookies go either way.
    if (redis) (void)app.sessions().destroy(*redis.value(), ex.session_id);
  }
  ex.clear_cookie(kSessionCookie);
  ex.clear_cookie(kRememberMeCookie);
  ex.redirect("/connexion");
  return {};
}

}  // namespace mepsim::web
