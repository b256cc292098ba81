// The public pages: home with the public statistics (cached two hours), the static pages
// of the public site, the contact form.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/web/page_layout.h"
#include "sim/web/routes.h"

namespace mepsim::web {
namespace {

constexpr int kPublicStatisticsTtlS = 7200;

std::string_view title_of(std::string_view path) {
  if (path == "/signalement") return "Signaler un problème de logement";
  if (path == "/suivre-mon-signalement") return "Suivre mon signalement";
  if (path == "/contact") return "Contact";
  if (path == "/mot-de-pass-perdu") return "Mot de passe perdu";
  if (path == "/demande-lien-signalement") return "Demande de lien de suivi";
  if (path == "/activation") return "Activation de compte";
  return "Signal Logement";
}

}  // namespace

Result<void> home(AppContext& app, Exchange& ex) {
  auto redis = app.redis();
  auto stats =
      app.app_cache().get(redis ? redis.value() : nullptr, "frontGlobalStatistics",
                          kPublicStatisticsTtlS, {"signalement"}, [&]() -> Result<std::string> {
                            auto db = app.database();
                            if (!db) return db.error();
                            auto s = db.value()->public_statistics();
                            if (!s) return s.error();
                            return nlohmann::json{{"signalements", s->signalements},
                                                  {"territories", s->territories},
                                                  {"closed", s->closed}}
                                .dump();
                          });
  if (!stats) return stats.error();
  ex.note_app_cache(stats->hit);
  const auto s = nlohmann::json::parse(stats->value, nullptr, false);
  const auto count = [&](const char* key) {
    return s.is_object() ? s.value(key, std::int64_t{0}) : std::int64_t{0};
  };
  render_page(app, ex, "front/index.html.twig", "Accueil",
              fmt::format("<h1>Signal Logement</h1><p>Un problème de logement ? "
                          "<a href=\"/signalement\">Signalez-le</a>.</p>"
                          "<section id=\"statistiques\"><p><strong id=\"stat-signalements\">{}"
                          "</strong> signalements</p><p><strong id=\"stat-territoires\">{}"
                          "</strong> territoires</p><p><strong id=\"stat-clotures\">{}</strong> "
                          "signalements clôturés</p></section>",
                          count("signalements"), count("territories"), count("closed")));
  return {};
}

Result<void> static_page(AppContext& app, Exchange& ex) {
  const std::string_view title = title_of(ex.target.path);
  render_page(app, ex, fmt::format("front{}.html.twig", ex.target.path), title,
              fmt::format("<h1>{}</h1>", html_escape(title)));
  return {};
}

Result<void> contact_send(AppContext& app, Exchange& ex) {
  auto within = within_rate_limit(app, ex, kFormLimit);
  if (!within) return within.error();
  if (!within.value()) {
    render_page(app, ex, "front/contact.html.twig", "Contact",
                "<p class=\"fr-alert\">Trop de demandes, réessayez plus tard.</p>", 429);
    return {};
  }
  const auto fields = parse_form(ex.request.body());
  const auto email = fields.find("email");
  const auto message = fields.find("message");
  if (email == fields.end() || email->second.find('@') == std::string::npos ||
      message == fields.end() || message->second.empty()) {
    render_page(app, ex, "front/contact.html.twig", "Contact",
                "<p class=\"fr-alert\">Adresse e-mail et message requis.</p>", 400);
    return {};
  }
  ex.redirect("/contact");
  return {};
}

}  // namespace mepsim::web
