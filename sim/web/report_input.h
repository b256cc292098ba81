#pragma once
// The public report form's payload (the draft's JSON, as the real front sends it) read
// into a report: every problem is listed at once, by field, as the app's validator does.

#include <map>
#include <string>
#include <vector>

#include "sim/web/app_database.h"

namespace mepsim::web {

struct ReportInputErrors {
  std::map<std::string, std::vector<std::string>> by_field;
  std::string to_json() const;  // {"errors":{"field":["message"]}}
};

// Fields: adresse_logement_adresse, adresse_logement_adresse_detail_code_postal (5
// digits), adresse_logement_adresse_detail_commune, vos_coordonnees_occupant_email,
// vos_coordonnees_occupant_nom, profil. Other fields are kept in the payload.
struct ReportInputRead {
  SignalementInput input;
  ReportInputErrors errors;
  bool ok() const { return errors.by_field.empty(); }
};
ReportInputRead read_report_input(const std::string& json_text);

}  // namespace mepsim::web
