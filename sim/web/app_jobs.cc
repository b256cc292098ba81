#include "sim/web/app_jobs.h"

#include <fmt/format.h>

#include "sim/web/app_database.h"

namespace mepsim::web {

const std::vector<AppJob>& app_jobs() {
  static const std::vector<AppJob> jobs = {
      {"app:retry-failed-emails", "30 * * * *", "Renvoie les e-mails en échec",
       "SELECT COUNT(*) FROM job_event WHERE service = 'mail' AND status = 'failed'",
       "e-mails en échec"},
      {"app:send-suivi-waiting-notification-and-delayed", "*/10 * * * *",
       "Notifie les suivis en attente et différés",
       "SELECT COUNT(*) FROM signalement WHERE statut = 'NEED_VALIDATION'",
       "signalements en attente"},
      {"app:monitor-messenger-queues", "*/30 * * * *", "Surveille les files de messages",
       "SELECT COUNT(*) FROM job_event WHERE status = 'failed'", "événements en échec"},
      {"app:send-daily-emails", "45 5 * * *", "Envoie les e-mails quotidiens",
       "SELECT COUNT(*) FROM `user` WHERE statut = 'ACTIVE'", "utilisateurs actifs"},
      {"app:send-summary-emails", "45 5 * * *", "Envoie les récapitulatifs",
       "SELECT COUNT(DISTINCT user_id) FROM notification WHERE is_seen = 0",
       "utilisateurs à notifier"},
      {"app:remind-inactive-user", "0 7 */10 * *", "Relance les comptes non activés",
       "SELECT COUNT(*) FROM `user` WHERE statut = 'INACTIVE'", "comptes inactifs"},
      {"app:notify-and-archive-inactive-accounts", "0 4 * * *",
       "Notifie puis archive les comptes inactifs",
       "SELECT COUNT(*) FROM `user` WHERE statut = 'INACTIVE'", "comptes inactifs"},
      {"app:clear-storage-original-file", "0 2 */5 * *", "Supprime les fichiers originaux",
       "SELECT COUNT(*) FROM signalement WHERE statut = 'CLOSED'", "signalements clôturés"},
      {"app:ask-feedback-usager", "0 6 * * *", "Demande un retour aux usagers",
       "SELECT COUNT(*) FROM signalement WHERE statut = 'ACTIVE'", "signalements en cours"},
      {"app:notify-visits", "0 5 * * *", "Notifie les visites à venir",
       "SELECT COUNT(*) FROM affectation WHERE statut = 'EN_COURS'", "affectations en cours"},
      {"app:synchronize-idoss", "0 22 * * *", "Synchronise les dossiers iDoss",
       "SELECT COUNT(*) FROM job_event WHERE service = 'idoss'", "appels iDoss"},
      {"app:retry-failed-push-esabora-sish", "0 20 * * *",
       "Renvoie les dossiers SI-SH en échec vers Esabora",
       "SELECT COUNT(*) FROM job_event WHERE service = 'esabora' AND status = 'failed'",
       "envois Esabora en échec"},
      {"app:remind-pending-drafts-bailleur-prevenu", "0 6 2 * *",
       "Relance les brouillons en attente",
       "SELECT COUNT(*) FROM signalement_draft WHERE statut = 'EN_COURS'", "brouillons en cours"},
      {"app:clear-notification", "0 0 * * 0", "Supprime les notifications lues",
       "SELECT COUNT(*) FROM notification WHERE is_seen = 1", "notifications lues"},
      {"app:sync-esabora", "", "Synchronise les affectations Esabora",
       "SELECT COUNT(*) FROM affectation", "affectations"},
      {"app:update-bailleur", "", "Met à jour le référentiel des bailleurs",
       "SELECT COUNT(*) FROM partner", "partenaires"},
  };
  return jobs;
}

const AppJob* find_app_job(std::string_view name) {
  for (const auto& job : app_jobs()) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

Result<std::string> run_app_job(const AppJob& job, MysqlConnection db, Instant now) {
  auto rows = db.query(job.count_sql);
  if (!rows) return rows.error().context(job.name);
  if (rows->size() != 1 || rows.value()[0].size() != 1) {
    return make_error(ErrorCode::internal, job.name + ": the count returned no row");
  }
  const std::string message = fmt::format("{} : {} {}", job.name, rows.value()[0][0], job.counted);
  AppDatabase app(std::move(db));
  if (auto recorded =
          app.record_job_event({std::nullopt, "cron", job.name, "success", message}, now);
      !recorded) {
    return recorded.error().context(job.name);
  }
  return message;
}

}  // namespace mepsim::web
