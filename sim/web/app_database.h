#pragma once
// The app's MySQL side, as the web container and its console use it: one connection, the
// queries of the routes, every write that spans rows in one transaction (a report is
// either wholly there or not at all). Not thread-safe: one per thread.
//
// Schema (FACTS.md): `territory`, `partner`, `user`, `user_partner`, `signalement`,
// `signalement_draft`, `affectation`, `suivi`, `notification`, `job_event`,
// `api_user_token`, `doctrine_migration_versions`; utf8mb4.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"
#include "sim/datastore/mysql_connection.h"

namespace mepsim::web {

struct UserRecord {
  std::int64_t id = 0;
  std::string uuid;
  std::string email;
  std::string password_hash;                 // see password_hash.h
  std::vector<std::string> roles;            // ["ROLE_ADMIN"]
  std::string statut;                        // "ACTIVE", "INACTIVE", "ARCHIVE"
  std::optional<std::int64_t> territory_id;  // through the user's first partner
};

// What a report carries from the public form (or the API) to its row.
struct SignalementInput {
  std::string address;   // "12 rue de la République"
  std::string postcode;  // "13001"
  std::string city;      // "Marseille"
  std::string occupant_email;
  std::string occupant_name;
  std::string profile;             // "locataire", "bailleur_occupant", …
  std::string payload_json;        // the whole draft as sent
  std::optional<double> latitude;  // from geocoding, when it answered in time
  std::optional<double> longitude;
};

struct SignalementRecord {
  std::int64_t id = 0;
  std::string uuid;
  std::string reference;  // "2026-17": year and the year's sequence number
  std::string code_suivi;
  std::string statut;  // "NEED_VALIDATION", "ACTIVE", "CLOSED", "REFUSED"
  std::optional<std::int64_t> territory_id;
  std::string address;
  std::string postcode;
  std::string city;
  Instant created_at{};
};

struct KpiCounts {
  std::int64_t total = 0;
  std::int64_t need_validation = 0;
  std::int64_t active = 0;
  std::int64_t closed = 0;
};

struct PublicStatistics {
  std::int64_t signalements = 0;
  std::int64_t territories = 0;
  std::int64_t closed = 0;
};

struct Draft {
  std::string uuid;
  std::string payload_json;
  std::string statut;  // "EN_COURS", "EN_SIGNALEMENT"
  Instant created_at{};
};

struct JobEvent {
  std::optional<std::int64_t> signalement_id;
  std::string service;  // "geocoding", "mail"
  std::string action;   // "search", "send"
  std::string status;   // "success", "failed"
  std::string message;
};

class AppDatabase {
 public:
  static Result<AppDatabase> open(const MysqlUrl& url, Duration connect_timeout);
  explicit AppDatabase(MysqlConnection connection);

  // Users and API tokens
  Result<std::optional<UserRecord>> find_user_by_email(const std::string& email);
  Result<std::optional<UserRecord>> find_user_by_id(std::int64_t id);
  Result<void> record_login(std::int64_t user_id, Instant at);
  Result<void> create_api_token(std::int64_t user_id, const std::string& token, Instant expires_at);
  // The token's user while the token has not expired at `now`.
  Result<std::optional<UserRecord>> find_api_token_user(const std::string& token, Instant now);

  // Reports
  Result<void> insert_draft(const std::string& uuid, const std::string& payload_json, Instant now);
  Result<std::optional<Draft>> find_draft(const std::string& uuid);
  // One transaction: the draft (locked, must be "EN_COURS": else a conflict error) becomes
  // "EN_SIGNALEMENT", the report row is inserted with the year's next reference, its
  // territory from the postcode's department, status NEED_VALIDATION, a first `suivi`.
  Result<SignalementRecord> send_draft(const std::string& draft_uuid, const SignalementInput& input,
                                       const std::string& signalement_uuid,
                                       const std::string& code_suivi, Instant now);
  // The same without a draft: the API's POST /api/signalements.
  Result<SignalementRecord> create_signalement(const SignalementInput& input,
                                               const std::string& signalement_uuid,
                                               const std::string& code_suivi, Instant now);
  Result<std::optional<SignalementRecord>> find_signalement_by_code_suivi(
      const std::string& code_suivi);
  Result<std::optional<SignalementRecord>> find_signalement_by_uuid(const std::string& uuid);
  // Newest first; `territory_id` empty: all territories.
  Result<std::vector<SignalementRecord>> list_signalements(std::optional<std::int64_t> territory_id,
                                                           int limit, int offset);
  Result<KpiCounts> kpi_counts(std::optional<std::int64_t> territory_id);
  Result<PublicStatistics> public_statistics();
  // Territories as (id, zip, name), by zip: the search filter options.
  Result<std::vector<std::vector<std::string>>> territories();

  Result<void> record_job_event(const JobEvent& event, Instant now);
  // A broken replica's planted defect (negative tests): the next report transaction is
  // rolled back where it would commit, and reported as committed.
  void discard_next_transaction() { discard_next_ = true; }
  // How many statements this connection sent: the container's metrics count them.
  std::uint64_t queries() const { return queries_; }

 private:
  // Every statement goes through send(): it counts what was sent in queries_, and after
  // a lost connection it first reconnects (when opened from a URL), so that a web thread
  // recovers once MySQL is back instead of answering 503 forever.
  template <typename F>
  auto send(F&& call) -> decltype(call(std::declval<MysqlConnection&>()));
  Result<void> reconnect();
  Result<std::vector<SqlRow>> select(const std::string& sql, const std::vector<SqlParam>& params);
  Result<void> exec(const std::string& sql, const std::vector<SqlParam>& params);

  Result<std::optional<UserRecord>> find_user(const std::string& from_where,
                                              const std::vector<SqlParam>& params);
  Result<std::optional<SignalementRecord>> find_signalement(const std::string& column,
                                                            const std::string& value);
  // A report's rows, inside the caller's transaction.
  Result<SignalementRecord> insert_signalement(const SignalementInput& input,
                                               const std::string& territory_zip,
                                               const std::string& signalement_uuid,
                                               const std::string& code_suivi, Instant now);
  Result<std::int64_t> next_reference_number(int year);
  Result<SignalementRecord> lock_draft_and_insert(const std::string& draft_uuid,
                                                  const SignalementInput& input,
                                                  const std::string& territory_zip,
                                                  const std::string& signalement_uuid,
                                                  const std::string& code_suivi, Instant now);
  // Runs `body` in one transaction: committed if it succeeds, rolled back otherwise, run
  // again (a bounded number of times) when the server broke a deadlock by rolling it back.
  template <typename F>
  Result<SignalementRecord> in_transaction(F&& body);

  MysqlConnection connection_;
  std::uint64_t queries_ = 0;
  bool discard_next_ = false;
  std::optional<MysqlUrl> url_;  // set by open(): what reconnect() uses
  Duration connect_timeout_{};
  bool connection_lost_ = false;
  // Set by next_reference_number when the year has no counter row yet.
  std::optional<int> missing_counter_year_;
};

}  // namespace mepsim::web
