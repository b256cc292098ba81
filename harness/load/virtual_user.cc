#include "harness/load/virtual_user.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace mepsim::load {
namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";

// Postcodes of the fixtures' territories: a report elsewhere is refused (no territory).
constexpr std::array<std::string_view, 4> kPostcodes = {"13001", "01000", "44000", "69001"};
constexpr std::array<std::string_view, 4> kCities = {"Marseille", "Bourg-en-Bresse", "Nantes",
                                                     "Lyon"};

PlannedRequest get(std::string path, std::string_view route) {
  PlannedRequest r;
  r.path = std::move(path);
  r.route = route;
  return r;
}

PlannedRequest post(std::string path, std::string_view route, RequestKind kind, std::string body,
                    std::string_view content_type) {
  PlannedRequest r;
  r.method = "POST";
  r.path = std::move(path);
  r.route = route;
  r.kind = kind;
  r.body = std::move(body);
  r.content_type = content_type;
  r.keep_body = true;
  return r;
}

std::string report_json(FlowContext& c) {
  const std::uint64_t n = ++c.reports_planned;
  const auto place = static_cast<std::size_t>(c.rng->uniform_int(0, kPostcodes.size() - 1));
  return nlohmann::json{
      {"adresse_logement_adresse", fmt::format("{} rue de la Charge", n % 200 + 1)},
      {"adresse_logement_adresse_detail_code_postal", kPostcodes[place]},
      {"adresse_logement_adresse_detail_commune", kCities[place]},
      {"vos_coordonnees_occupant_email", fmt::format("occupant-{}@load.test", n)},
      {"vos_coordonnees_occupant_nom", fmt::format("Occupant {}", n)},
      {"profil", "locataire"}}
      .dump();
}

PlannedRequest follow_code(FlowContext& c) {
  if (c.codes.empty()) return get("/suivre-mon-signalement", "GET /suivre-mon-signalement");
  const auto i = static_cast<std::size_t>(
      c.rng->uniform_int(0, static_cast<std::int64_t>(c.codes.size()) - 1));
  return get("/suivre-mon-signalement/" + c.codes[i], "GET /suivre-mon-signalement/{code}");
}

PlannedRequest login(const VirtualUser& u, FlowContext& c) {
  return post("/connexion", "POST /connexion", RequestKind::login,
              "email=" + form_encode(u.account->email) + "&password=" + form_encode(c.password),
              kForm);
}

PlannedRequest plan_anonymous(VirtualUser& u, FlowContext& c) {
  if (!u.draft_uuid.empty()) {
    return post("/signalement-draft/" + u.draft_uuid + "/send",
                "POST /signalement-draft/{uuid}/send", RequestKind::report_send, "", kJson);
  }
  const double r = c.rng->uniform_real(0, 1);
  if (r < 0.35) return get("/", "GET /");
  if (r < 0.55) return get("/signalement", "GET /signalement");
  if (r < 0.65) return get("/suivre-mon-signalement", "GET /suivre-mon-signalement");
  if (r < 0.72) return get("/contact", "GET /contact");
  if (r < 0.78) return get("/mot-de-pass-perdu", "GET /mot-de-pass-perdu");
  if (r < 0.82) return get("/api/doc", "GET /api/doc");
  if (r < 0.90) return follow_code(c);
  return post("/signalement-draft/new", "POST /signalement-draft/new", RequestKind::report_draft,
              report_json(c), kJson);
}

PlannedRequest plan_usager(VirtualUser& u, FlowContext& c) {
  if (u.logs_in() && !u.logged_in && !c.maintenance_expected) return login(u, c);
  const double r = c.rng->uniform_real(0, 1);
  if (r < 0.5) return follow_code(c);
  if (r < 0.8) return get("/suivre-mon-signalement", "GET /suivre-mon-signalement");
  return get("/", "GET /");
}

PlannedRequest plan_back_office(VirtualUser& u, FlowContext& c) {
  if (!u.logged_in) {
    // Maintenance logs non-admins out on their next request: they wait on the home page
    // until it is over, then log in again.
    if (c.maintenance_expected && !u.is_admin()) return get("/", "GET /");
    return login(u, c);
  }
  const double r = c.rng->uniform_real(0, 1);
  if (r < 0.45) return get("/bo", "GET /bo");
  if (r < 0.75) return get("/bo/signalements", "GET /bo/signalements");
  if (r < 0.90) return get("/bo/statistiques", "GET /bo/statistiques");
  return get("/", "GET /");
}

PlannedRequest plan_api(VirtualUser& u, FlowContext& c) {
  if (u.api_token.empty()) {
    if (c.maintenance_expected) return get("/api/doc", "GET /api/doc");
    return post("/api/login", "POST /api/login", RequestKind::api_login,
                nlohmann::json{{"email", u.account->email}, {"password", c.password}}.dump(),
                kJson);
  }
  if (c.rng->uniform_real(0, 1) < 0.8) {
    return get("/api/signalements", "GET /api/signalements");
  }
  return post("/api/signalements", "POST /api/signalements", RequestKind::api_report,
              report_json(c), kJson);
}

}  // namespace

void FlowContext::remember_code(std::string code) {
  if (code.empty()) return;
  if (codes.size() < kCodesMax) {
    codes.push_back(std::move(code));
    return;
  }
  codes[next_code_slot] = std::move(code);
  next_code_slot = (next_code_slot + 1) % kCodesMax;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::login_ok:
      return "login_ok";
    case Outcome::login_refused:
      return "login_refused";
    case Outcome::submission_accepted:
      return "submission_accepted";
    case Outcome::submission_refused:
      return "submission_refused";
    case Outcome::other:
      return "other";
  }
  return "other";
}

bool is_watched(RequestKind kind) {
  return kind != RequestKind::page;
}

PlannedRequest plan_next(VirtualUser& user, FlowContext& context) {
  switch (user.user_class) {
    case UserClass::anonymous:
      return plan_anonymous(user, context);
    case UserClass::usager:
      return plan_usager(user, context);
    case UserClass::partner:
    case UserClass::admin:
      return plan_back_office(user, context);
    case UserClass::api:
      return plan_api(user, context);
  }
  return plan_anonymous(user, context);
}

std::string form_encode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '*') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

}  // namespace mepsim::load
