#include "sim/web/report_input.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace mepsim::web {
namespace {

constexpr std::array<std::string_view, 6> kProfiles = {"locataire", "bailleur_occupant",
                                                       "bailleur",  "tiers_particulier",
                                                       "tiers_pro", "service_secours"};

std::string string_field(const nlohmann::json& body, const char* name, ReportInputErrors& errors) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) {
    errors.by_field[name].push_back("Cette valeur ne doit pas être vide.");
    return "";
  }
  if (!found->is_string()) {
    errors.by_field[name].push_back("Cette valeur doit être de type string.");
    return "";
  }
  const auto value = found->get<std::string>();
  if (value.empty()) errors.by_field[name].push_back("Cette valeur ne doit pas être vide.");
  return value;
}

}  // namespace

std::string ReportInputErrors::to_json() const {
  return nlohmann::json{{"errors", by_field}}.dump();
}

ReportInputRead read_report_input(const std::string& json_text) {
  ReportInputRead read;
  const auto body = nlohmann::json::parse(json_text, nullptr, false);
  if (!body.is_object()) {
    read.errors.by_field["body"].push_back("Le corps doit être un objet JSON.");
    return read;
  }
  auto& in = read.input;
  auto& errors = read.errors;
  in.address = string_field(body, "adresse_logement_adresse", errors);
  in.postcode = string_field(body, "adresse_logement_adresse_detail_code_postal", errors);
  in.city = string_field(body, "adresse_logement_adresse_detail_commune", errors);
  in.occupant_email = string_field(body, "vos_coordonnees_occupant_email", errors);
  in.occupant_name = string_field(body, "vos_coordonnees_occupant_nom", errors);
  in.profile = string_field(body, "profil", errors);
  if (!in.address.empty() && in.address.size() < 3) {
    errors.by_field["adresse_logement_adresse"].push_back("L'adresse est trop courte.");
  }
  if (!in.postcode.empty() &&
      (in.postcode.size() != 5 || !std::all_of(in.postcode.begin(), in.postcode.end(),
                                               [](char c) { return c >= '0' && c <= '9'; }))) {
    errors.by_field["adresse_logement_adresse_detail_code_postal"].push_back(
        "Le code postal doit contenir 5 chiffres.");
  }
  if (!in.occupant_email.empty() && in.occupant_email.find('@') == std::string::npos) {
    errors.by_field["vos_coordonnees_occupant_email"].push_back(
        "Cette valeur n'est pas une adresse email valide.");
  }
  if (!in.profile.empty() &&
      std::find(kProfiles.begin(), kProfiles.end(), in.profile) == kProfiles.end()) {
    errors.by_field["profil"].push_back("Le profil n'est pas reconnu.");
  }
  in.payload_json = body.dump();
  return read;
}

}  // namespace mepsim::web
