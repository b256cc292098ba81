#include "sim/web/page_layout.h"

#include <fmt/format.h>

namespace mepsim::web {
namespace {

constexpr std::string_view kBannerMarker = "<!--banner-->";
constexpr std::string_view kMenuMarker = "<!--menu-->";
constexpr std::string_view kContentMarker = "<!--content-->";

std::string compile_layout(std::string_view template_name) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"fr\" data-template=\"{}\">\n<head>\n<meta charset=\"UTF-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title><!--title--> - Signal Logement</title>\n"
      "<link rel=\"stylesheet\" href=\"/build/dsfr/dsfr.min.css\">\n</head>\n<body>\n{}\n"
      "<header class=\"fr-header\" role=\"banner\"><div class=\"fr-header__brand\">"
      "<a href=\"/\" title=\"Accueil - Signal Logement\">Signal Logement</a></div>\n"
      "<nav class=\"fr-header__tools\">{}</nav></header>\n"
      "<main id=\"content\" class=\"fr-container\" role=\"main\">\n{}\n</main>\n"
      "<footer class=\"fr-footer\" role=\"contentinfo\"><p>Signal Logement — "
      "Ministère de la Transition écologique</p></footer>\n</body>\n</html>\n",
      template_name, kBannerMarker, kMenuMarker, kContentMarker);
}

void replace(std::string& text, std::string_view marker, std::string_view value) {
  const auto at = text.find(marker);
  if (at != std::string::npos) text.replace(at, marker.size(), value);
}

std::string menu(const Exchange& ex) {
  if (!ex.user) return "<a class=\"fr-btn\" href=\"/connexion\">Se connecter</a>";
  std::string out =
      fmt::format("<span class=\"user-email\">{}</span>", html_escape(ex.user->email));
  if (can_use_back_office(*ex.user)) out += " <a class=\"fr-btn\" href=\"/bo\">Tableau de bord</a>";
  out += " <a class=\"fr-btn\" href=\"/logout\">Se déconnecter</a>";
  return out;
}

}  // namespace

std::string maintenance_banner(const WebConfig& config, const Exchange& ex) {
  if (!config.banner) return "";
  const auto dismissed = ex.cookies.find("maintenanceBannerShow");
  if (!config.maintenance && dismissed != ex.cookies.end() && dismissed->second == "false") {
    return "";
  }
  std::string close;
  if (!config.maintenance) {
    // The real banner's close button sets the cookie for a day.
    close =
        "<button class=\"fr-btn--close fr-btn\" title=\"Masquer le message\" "
        "onclick=\"document.cookie='maintenanceBannerShow=false; max-age=86400; path=/'; "
        "document.getElementById('maintenance-banner').remove()\">Masquer le message</button>";
  }
  return fmt::format(
      "<div id=\"maintenance-banner\" class=\"fr-notice fr-notice--warning\" role=\"alert\">"
      "<div class=\"fr-container\"><p class=\"fr-notice__title\">{}</p>{}</div></div>",
      html_escape(config.banner_message), close);
}

void render_page(AppContext& app, Exchange& ex, std::string_view template_name,
                 std::string_view title, const std::string& content, int status) {
  auto layout = app.system_cache().get(std::string(template_name),
                                       [&] { return compile_layout(template_name); });
  ex.system_cache_hit = ex.system_cache_hit.value_or(true) && layout.hit;
  std::string page = std::move(layout.value);
  replace(page, "<!--title-->", html_escape(title));
  replace(page, kBannerMarker, maintenance_banner(app.config(), ex));
  replace(page, kMenuMarker, menu(ex));
  replace(page, kContentMarker, content);
  ex.html(status, std::move(page));
}

}  // namespace mepsim::web
