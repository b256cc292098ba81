// The public report form: a draft, then its sending — geocoding (bounded), the report row
// in one transaction, the KPI caches invalidated, the acknowledgement mail — and the
// follow-up page of a report by its code. A third party failing never loses the report:
// the failure is recorded in `job_event` as the real app records its interconnections.

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "sim/web/page_layout.h"
#include "sim/web/report_input.h"
#include "sim/web/routes.h"
#include "sim/web/secure_token.h"

namespace mepsim::web {
namespace {

bool is_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

JobEvent geocode(AppContext& app, SignalementInput& input) {
  JobEvent event{std::nullopt, "geocoding", "search", "success", ""};
  auto found = app.geocoder().search(input.address + " " + input.postcode + " " + input.city);
  if (found) {
    input.latitude = found->latitude;
    input.longitude = found->longitude;
    event.message = found->label;
  } else {
    event.status = "failed";
    event.message = found.error().message;
  }
  return event;
}

JobEvent acknowledge(AppContext& app, const SignalementRecord& report,
                     const SignalementInput& input) {
  JobEvent event{report.id, "mail", "send", "success", ""};
  auto sent = app.mailer().send(
      {app.config().mailer_from, input.occupant_email,
       fmt::format("Votre signalement {} a bien été reçu", report.reference),
       fmt::format("<p>Votre signalement {} a bien été enregistré. Suivez-le avec le code {}.</p>",
                   report.reference, report.code_suivi)});
  if (sent) {
    event.message = sent.value();
  } else {
    event.status = "failed";
    event.message = sent.error().message;
  }
  return event;
}

// After the report is written: nothing here may undo it.
void after_report_written(AppContext& app, const SignalementRecord& report,
                          const SignalementInput& input, JobEvent geocoding) {
  if (auto redis = app.redis()) (void)app.app_cache().invalidate(*redis.value(), {"signalement"});
  std::vector<JobEvent> events;
  if (app.geocoder().enabled()) {
    geocoding.signalement_id = report.id;
    events.push_back(std::move(geocoding));
  }
  if (app.mailer().enabled()) events.push_back(acknowledge(app, report, input));
  if (auto db = app.database()) {
    for (const auto& e : events) (void)db.value()->record_job_event(e, app.now());
  }
}

// A broken replica's planted defect (negative tests): a share of the reports answered 201
// are never committed.
void maybe_drop_write(AppContext& app, AppDatabase& db) {
  const double rate = app.config().release.defects.drop_write_rate;
  if (rate > 0 && app.rng().uniform_real(0, 1) < rate) db.discard_next_transaction();
}

}  // namespace

// What the database refuses of a report is the sender's mistake, not the app's failure.
Result<void> refuse_report(Exchange& ex, const Error& error) {
  switch (error.code) {
    case ErrorCode::conflict:
      ex.json(409, R"({"message":"Ce brouillon a déjà été envoyé."})");
      return {};
    case ErrorCode::not_found:
      ex.json(404, R"({"message":"Brouillon introuvable."})");
      return {};
    case ErrorCode::invalid_input:
      ex.json(400,
              nlohmann::json{
                  {"errors", {{"adresse_logement_adresse_detail_code_postal", {error.message}}}}}
                  .dump());
      return {};
    default:
      return error;
  }
}

namespace {

std::string report_json(const SignalementRecord& report) {
  return nlohmann::json{
      {"uuid", report.uuid}, {"reference", report.reference}, {"code_suivi", report.code_suivi}}
      .dump();
}

}  // namespace

Result<void> draft_new(AppContext& app, Exchange& ex) {
  auto within = within_rate_limit(app, ex, kFormLimit);
  if (!within) return within.error();
  if (!within.value()) {
    ex.json(429, R"({"message":"Trop de demandes, réessayez plus tard."})");
    return {};
  }
  const auto read = read_report_input(ex.request.body());
  if (!read.ok()) {
    ex.json(400, read.errors.to_json());
    return {};
  }
  auto db = app.database();
  if (!db) return db.error();
  const std::string uuid = random_uuid_v4();
  if (auto inserted = db.value()->insert_draft(uuid, read.input.payload_json, app.now());
      !inserted) {
    return inserted.error();
  }
  ex.json(201, nlohmann::json{{"uuid", uuid}}.dump());
  return {};
}

Result<void> draft_send(AppContext& app, Exchange& ex) {
  const std::string& uuid = ex.params.at("uuid");
  auto db = app.database();
  if (!db) return db.error();
  auto draft = is_uuid(uuid) ? db.value()->find_draft(uuid)
                             : Result<std::optional<Draft>>(std::optional<Draft>());
  if (!draft) return draft.error();
  if (!draft.value()) {
    ex.json(404, R"({"message":"Brouillon introuvable."})");
    return {};
  }
  auto read = read_report_input(draft.value()->payload_json);
  if (!read.ok()) {
    ex.json(400, read.errors.to_json());
    return {};
  }
  JobEvent geocoding = geocode(app, read.input);
  maybe_drop_write(app, *db.value());
  auto sent = db.value()->send_draft(uuid, read.input, random_uuid_v4(), random_hex(16), app.now());
  if (!sent) return refuse_report(ex, sent.error());
  after_report_written(app, sent.value(), read.input, std::move(geocoding));
  ex.json(201, report_json(sent.value()));
  return {};
}

Result<void> follow_report(AppContext& app, Exchange& ex) {
  auto db = app.database();
  if (!db) return db.error();
  auto report = db.value()->find_signalement_by_code_suivi(ex.params.at("code"));
  if (!report) return report.error();
  if (!report.value()) {
    render_page(app, ex, "front/suivi_signalement.html.twig", "Signalement introuvable",
                "<h1>Signalement introuvable</h1>", 404);
    return {};
  }
  const auto& r = *report.value();
  render_page(app, ex, "front/suivi_signalement.html.twig", "Suivre mon signalement",
              fmt::format("<h1>Signalement {}</h1><p id=\"statut\">{}</p><p>{} {} {}</p>",
                          html_escape(r.reference), html_escape(r.statut), html_escape(r.address),
                          html_escape(r.postcode), html_escape(r.city)));
  return {};
}

// Exposed for the API: the same creation path without a draft.
Result<SignalementRecord> create_report(AppContext& app, SignalementInput input) {
  auto db = app.database();
  if (!db) return db.error();
  JobEvent geocoding = geocode(app, input);
  maybe_drop_write(app, *db.value());
  auto created = db.value()->create_signalement(input, random_uuid_v4(), random_hex(16), app.now());
  if (!created) return created.error();
  after_report_written(app, created.value(), input, std::move(geocoding));
  return created;
}

}  // namespace mepsim::web
