// The back-office: the dashboard's KPI counts (cached ten minutes per territory, dropped
// when a report is written), the report list with its search filter options (cached an
// hour), the statistics page (cached an hour).

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/web/page_layout.h"
#include "sim/web/routes.h"

namespace mepsim::web {
namespace {

constexpr int kKpiTtlS = 600;
constexpr int kSearchFiltersTtlS = 3600;
constexpr int kStatisticsTtlS = 3600;

Result<std::string> kpi_json(AppContext& app, std::optional<std::int64_t> scope) {
  auto db = app.database();
  if (!db) return db.error();
  auto kpi = db.value()->kpi_counts(scope);
  if (!kpi) return kpi.error();
  return nlohmann::json{{"total", kpi->total},
                        {"need_validation", kpi->need_validation},
                        {"active", kpi->active},
                        {"closed", kpi->closed}}
      .dump();
}

Result<nlohmann::json> cached_kpi(AppContext& app, Exchange& ex, const std::string& key,
                                  int ttl_s) {
  auto redis = app.redis();
  if (!redis) return redis.error();
  const auto scope = scope_of(*ex.user);
  auto read = app.app_cache().get(
      redis.value(), key, ttl_s, {"signalement"}, [&] { return kpi_json(app, scope); },
      &ex.prefetched);
  if (!read) return read.error();
  ex.note_app_cache(read->hit);
  return nlohmann::json::parse(read->value, nullptr, false);
}

std::string kpi_cards(const nlohmann::json& kpi) {
  std::string out = "<section id=\"kpi\" class=\"fr-grid-row\">";
  for (const auto& [key, label] :
       {std::pair{"total", "Signalements"}, std::pair{"need_validation", "Nouveaux"},
        std::pair{"active", "En cours"}, std::pair{"closed", "Fermés"}}) {
    out += fmt::format("<div class=\"fr-card\" id=\"kpi-{}\"><p>{}</p><strong>{}</strong></div>",
                       key, label, kpi.is_object() ? kpi.value(key, std::int64_t{0}) : 0);
  }
  return out + "</section>";
}

}  // namespace

std::vector<std::string> dashboard_keys(const AppContext& app, const std::string& scope) {
  return {app.app_cache().item_key("tab_kpi_" + scope), app.app_cache().tag_key("signalement")};
}

Result<void> dashboard(AppContext& app, Exchange& ex) {
  auto kpi = cached_kpi(app, ex, "tab_kpi_" + scope_key(*ex.user), kKpiTtlS);
  if (!kpi) return kpi.error();
  render_page(app, ex, "back/dashboard/index.html.twig", "Tableau de bord",
              "<h1>Tableau de bord</h1>" + kpi_cards(kpi.value()));
  return {};
}

Result<void> statistics(AppContext& app, Exchange& ex) {
  auto kpi = cached_kpi(app, ex, "bo_statistics_" + scope_key(*ex.user), kStatisticsTtlS);
  if (!kpi) return kpi.error();
  render_page(app, ex, "back/statistiques/index.html.twig", "Statistiques",
              "<h1>Statistiques</h1>" + kpi_cards(kpi.value()));
  return {};
}

Result<void> signalement_list(AppContext& app, Exchange& ex) {
  auto redis = app.redis();
  if (!redis) return redis.error();
  auto filters = app.app_cache().get(
      redis.value(), "search_filters_" + scope_key(*ex.user), kSearchFiltersTtlS, {"territory"},
      [&]() -> Result<std::string> {
        auto db = app.database();
        if (!db) return db.error();
        auto territories = db.value()->territories();
        if (!territories) return territories.error();
        std::string options;
        for (const auto& t : territories.value()) {
          if (t.size() < 3) continue;
          options += fmt::format("<option value=\"{}\">{} - {}</option>", html_escape(t[0]),
                                 html_escape(t[1]), html_escape(t[2]));
        }
        return options;
      });
  if (!filters) return filters.error();
  ex.note_app_cache(filters->hit);
  auto db = app.database();
  if (!db) return db.error();
  auto rows = db.value()->list_signalements(scope_of(*ex.user), 50, 0);
  if (!rows) return rows.error();
  std::string table =
      "<table id=\"signalements\"><thead><tr><th>Référence</th><th>Statut</th><th>Adresse</th>"
      "</tr></thead><tbody>";
  for (const auto& s : rows.value()) {
    table += fmt::format("<tr data-uuid=\"{}\"><td>{}</td><td>{}</td><td>{} {} {}</td></tr>",
                         html_escape(s.uuid), html_escape(s.reference), html_escape(s.statut),
                         html_escape(s.address), html_escape(s.postcode), html_escape(s.city));
  }
  render_page(app, ex, "back/signalement/index.html.twig", "Signalements",
              "<h1>Signalements</h1><form id=\"filters\"><select name=\"territoire\">" +
                  filters->value + "</select></form>" + table + "</tbody></table>");
  return {};
}

}  // namespace mepsim::web
