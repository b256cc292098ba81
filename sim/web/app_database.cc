#include "sim/web/app_database.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "sim/web/signalement_fields.h"
#include "sim/web/sql_datetime.h"

namespace mepsim::web {
namespace {

// Attempts of one report transaction: one more when the year's counter row had to be
// created, a few more for deadlocks, which the server resolves by rolling one back. A
// transaction that keeps losing is reported rather than tried forever.
constexpr int kTransactionAttemptsMax = 5;
constexpr int kListLimitMax = 500;
constexpr int kListOffsetMax = 1'000'000;

const std::string kUserColumns =
    "u.id, u.uuid, u.email, COALESCE(u.password, ''), CAST(u.roles AS CHAR), u.statut, "
    "(SELECT p.territory_id FROM user_partner up JOIN partner p ON p.id = up.partner_id "
    "WHERE up.user_id = u.id ORDER BY up.id LIMIT 1)";

const std::string kSignalementColumns =
    "id, uuid, reference, code_suivi, statut, territory_id, adresse_occupant, cp_occupant, "
    "ville_occupant, " +
    sql_datetime_column("created_at");

std::optional<std::int64_t> to_int64(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Error bad_row(std::string_view table, std::string_view what) {
  return make_error(ErrorCode::internal, fmt::format("{}: unreadable row ({})", table, what));
}

// What the database sends back is checked like any outside input: a bad row is an
// error value, not an assertion.
Result<UserRecord> read_user(const SqlRow& row) {
  if (row.size() != 7) return bad_row("user", "column count");
  UserRecord user;
  const auto id = to_int64(row[0]);
  if (!id) return bad_row("user", "id");
  user.id = *id;
  user.uuid = row[1];
  user.email = row[2];
  user.password_hash = row[3];
  const auto roles = nlohmann::json::parse(row[4], nullptr, /*allow_exceptions=*/false);
  if (!roles.is_array()) return bad_row("user", "roles is not a JSON array");
  for (const auto& role : roles) {
    if (!role.is_string()) return bad_row("user", "a role is not a string");
    user.roles.push_back(role.get<std::string>());
  }
  user.statut = row[5];
  if (!row[6].empty()) {
    user.territory_id = to_int64(row[6]);
    if (!user.territory_id) return bad_row("user", "territory_id");
  }
  return user;
}

Result<SignalementRecord> read_signalement(const SqlRow& row) {
  if (row.size() != 10) return bad_row("signalement", "column count");
  SignalementRecord record;
  const auto id = to_int64(row[0]);
  if (!id) return bad_row("signalement", "id");
  record.id = *id;
  record.uuid = row[1];
  record.reference = row[2];
  record.code_suivi = row[3];
  record.statut = row[4];
  if (!row[5].empty()) {
    record.territory_id = to_int64(row[5]);
    if (!record.territory_id) return bad_row("signalement", "territory_id");
  }
  record.address = row[6];
  record.postcode = row[7];
  record.city = row[8];
  auto created_at = parse_sql_datetime(row[9]);
  if (!created_at) return bad_row("signalement", created_at.error().message);
  record.created_at = created_at.value();
  return record;
}

// One number of a one-row result, such as COUNT(*).
Result<std::int64_t> single_number(const Result<std::vector<SqlRow>>& rows, std::string_view what) {
  if (!rows) return rows.error();
  if (rows->size() != 1 || rows.value()[0].empty()) return bad_row(what, "no row");
  const auto value = to_int64(rows.value()[0][0]);
  if (!value) return bad_row(what, "not a number");
  return *value;
}

// Text columns that are optional in the schema: empty is stored as NULL.
SqlParam nullable(const std::string& text) {
  return text.empty() ? SqlParam(nullptr) : SqlParam(text);
}

SqlParam geoloc_of(const SignalementInput& input) {
  if (!input.latitude || !input.longitude) return nullptr;
  return nlohmann::json{{"lat", *input.latitude}, {"lng", *input.longitude}}.dump();
}

// The territory zip of a report's postcode, checked before any transaction starts.
Result<std::string> territory_zip_of(const SignalementInput& input) {
  auto zip = territory_zip_for_postcode(input.postcode);
  if (!zip) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("postcode: \"{}\" is not a French postcode", input.postcode));
  }
  return std::move(*zip);
}

Instant to_ms(Instant t) {
  return std::chrono::floor<std::chrono::milliseconds>(t);
}

}  // namespace

AppDatabase::AppDatabase(MysqlConnection connection) : connection_(std::move(connection)) {}

Result<AppDatabase> AppDatabase::open(const MysqlUrl& url, Duration connect_timeout) {
  auto connection = MysqlConnection::open(url, connect_timeout);
  if (!connection) return connection.error();
  AppDatabase db(std::move(connection.value()));
  db.url_ = url;
  db.connect_timeout_ = connect_timeout;
  return db;
}

template <typename F>
auto AppDatabase::send(F&& call) -> decltype(call(std::declval<MysqlConnection&>())) {
  if (connection_lost_) {
    if (auto reopened = reconnect(); !reopened) return reopened.error();
  }
  const auto sent_before = connection_.statements_sent();
  auto result = call(connection_);
  queries_ += connection_.statements_sent() - sent_before;
  if (!result && result.error().code == ErrorCode::unavailable) connection_lost_ = true;
  return result;
}

Result<void> AppDatabase::reconnect() {
  if (!url_) {
    return make_error(ErrorCode::unavailable, "the connection to MySQL was lost");
  }
  auto connection = MysqlConnection::open(*url_, connect_timeout_);
  if (!connection) return connection.error().context("reconnecting after a lost connection");
  connection_ = std::move(connection.value());
  connection_lost_ = false;
  return {};
}

Result<std::vector<SqlRow>> AppDatabase::select(const std::string& sql,
                                                const std::vector<SqlParam>& params) {
  return send([&](MysqlConnection& c) { return c.query(sql, params); });
}

Result<void> AppDatabase::exec(const std::string& sql, const std::vector<SqlParam>& params) {
  return send([&](MysqlConnection& c) { return c.execute(sql, params); });
}

// Users and API tokens

Result<std::optional<UserRecord>> AppDatabase::find_user(const std::string& from_where,
                                                         const std::vector<SqlParam>& params) {
  auto rows = select("SELECT " + kUserColumns + " " + from_where, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<UserRecord>();
  auto user = read_user(rows.value()[0]);
  if (!user) return user.error();
  return std::optional<UserRecord>(std::move(user.value()));
}

Result<std::optional<UserRecord>> AppDatabase::find_user_by_email(const std::string& email) {
  return find_user("FROM `user` u WHERE u.email = ?", {email});
}

Result<std::optional<UserRecord>> AppDatabase::find_user_by_id(std::int64_t id) {
  return find_user("FROM `user` u WHERE u.id = ?", {id});
}

Result<void> AppDatabase::record_login(std::int64_t user_id, Instant at) {
  return exec("UPDATE `user` SET last_login_at = ? WHERE id = ?",
              {format_sql_datetime(at), user_id});
}

Result<void> AppDatabase::create_api_token(std::int64_t user_id, const std::string& token,
                                           Instant expires_at) {
  return exec("INSERT INTO api_user_token (user_id, token, expires_at) VALUES (?, ?, ?)",
              {user_id, token, format_sql_datetime(expires_at)});
}

Result<std::optional<UserRecord>> AppDatabase::find_api_token_user(const std::string& token,
                                                                   Instant now) {
  return find_user(
      "FROM api_user_token t JOIN `user` u ON u.id = t.user_id "
      "WHERE t.token = ? AND t.expires_at > ?",
      {token, format_sql_datetime(now)});
}

// Drafts and reports

Result<void> AppDatabase::insert_draft(const std::string& uuid, const std::string& payload_json,
                                       Instant now) {
  const std::string at = format_sql_datetime(now);
  return exec(
      "INSERT INTO signalement_draft (uuid, payload, statut, created_at, updated_at) "
      "VALUES (?, ?, 'EN_COURS', ?, ?)",
      {uuid, payload_json, at, at});
}

Result<std::optional<Draft>> AppDatabase::find_draft(const std::string& uuid) {
  auto rows =
      select("SELECT uuid, CAST(payload AS CHAR), statut, " + sql_datetime_column("created_at") +
                 " FROM signalement_draft WHERE uuid = ?",
             {uuid});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Draft>();
  const SqlRow& row = rows.value()[0];
  if (row.size() != 4) return bad_row("signalement_draft", "column count");
  auto created_at = parse_sql_datetime(row[3]);
  if (!created_at) return bad_row("signalement_draft", created_at.error().message);
  return std::optional<Draft>(Draft{row[0], row[1], row[2], created_at.value()});
}

template <typename F>
Result<SignalementRecord> AppDatabase::in_transaction(F&& body) {
  Result<SignalementRecord> result = make_error(ErrorCode::internal, "no attempt made");
  for (int attempt = 1; attempt <= kTransactionAttemptsMax; ++attempt) {
    // Transaction control goes as plain statements: not every server prepares them.
    if (auto begun = send([](MysqlConnection& c) { return c.begin(); }); !begun) {
      return begun.error();
    }
    missing_counter_year_.reset();
    result = body();
    if (result && std::exchange(discard_next_, false)) {
      (void)send([](MysqlConnection& c) { return c.rollback(); });
      return result;
    }
    if (result) {
      // A COMMIT that fails leaves nothing: the server rolls the transaction back.
      auto committed = send([](MysqlConnection& c) { return c.commit(); });
      if (!committed) return committed.error();
      return result;
    }
    // Over a lost connection the server has already rolled back: do not reconnect for it.
    if (!connection_lost_) (void)send([](MysqlConnection& c) { return c.rollback(); });
    if (missing_counter_year_) {
      // On its own, in autocommit: it holds no lock that another report waits for.
      // IGNORE: a concurrent first report may have created it meanwhile.
      auto created = exec(
          "INSERT IGNORE INTO signalement_reference_counter (`year`, last_number) "
          "VALUES (?, 0)",
          {*missing_counter_year_});
      if (!created) return created.error();
      continue;
    }
    if (!is_deadlock(result.error())) return result;
  }
  return result.error().context(
      fmt::format("still failing after {} attempts", kTransactionAttemptsMax));
}

Result<std::int64_t> AppDatabase::next_reference_number(int year) {
  // LAST_INSERT_ID(expr) hands the new value back to this connection alone; the UPDATE
  // keeps the year's row locked until the transaction ends, so no two reports share it.
  auto changed = send([&](MysqlConnection& c) {
    return c.execute_update(
        "UPDATE signalement_reference_counter "
        "SET last_number = LAST_INSERT_ID(last_number + 1) WHERE `year` = ?",
        {year});
  });
  if (!changed) return changed.error();
  if (changed.value() == 0) {
    // The year's first report. Creating the row here, under the gap lock this UPDATE
    // took, would deadlock with every other first report: in_transaction creates it
    // outside any transaction and runs this one again.
    missing_counter_year_ = year;
    return make_error(ErrorCode::conflict, fmt::format("no reference counter for {} yet", year));
  }
  return single_number(select("SELECT LAST_INSERT_ID()", {}), "signalement_reference_counter");
}

Result<SignalementRecord> AppDatabase::insert_signalement(const SignalementInput& input,
                                                          const std::string& territory_zip,
                                                          const std::string& signalement_uuid,
                                                          const std::string& code_suivi,
                                                          Instant now) {
  const int year = utc_year(now);
  auto number = next_reference_number(year);
  if (!number) return number.error();
  auto territory = select("SELECT id FROM territory WHERE zip = ?", {territory_zip});
  if (!territory) return territory.error();

  SignalementRecord record;
  record.uuid = signalement_uuid;
  record.reference = format_reference(year, number.value());
  record.code_suivi = code_suivi;
  record.statut = "NEED_VALIDATION";
  if (!territory->empty()) record.territory_id = to_int64(territory.value()[0].at(0));
  record.address = input.address;
  record.postcode = input.postcode;
  record.city = input.city;
  record.created_at = to_ms(now);
  const std::string at = format_sql_datetime(now);
  auto id = send([&](MysqlConnection& c) {
    return c.insert(
        "INSERT INTO signalement (uuid, reference, code_suivi, statut, territory_id, created_at, "
        "adresse_occupant, cp_occupant, ville_occupant, mail_occupant, nom_occupant, "
        "profile_declarant, geoloc, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {record.uuid, record.reference, record.code_suivi, record.statut, record.territory_id, at,
         input.address, input.postcode, input.city, nullable(input.occupant_email),
         nullable(input.occupant_name), nullable(input.profile), geoloc_of(input),
         nullable(input.payload_json)});
  });
  if (!id) return id.error();
  record.id = id.value();
  // The first follow-up, public: what the occupant sees on /suivre-mon-signalement.
  auto suivi = exec(
      "INSERT INTO suivi (signalement_id, description, type, is_public, created_at) "
      "VALUES (?, ?, 1, 1, ?)",
      {record.id, "Signalement déposé, en attente de validation", at});
  if (!suivi) return suivi.error();
  return record;
}

Result<SignalementRecord> AppDatabase::lock_draft_and_insert(
    const std::string& draft_uuid, const SignalementInput& input, const std::string& territory_zip,
    const std::string& signalement_uuid, const std::string& code_suivi, Instant now) {
  // Locked first, always: every report transaction takes the draft's row before the
  // counter's, so two of them can never wait on each other in a cycle.
  auto draft =
      select("SELECT statut FROM signalement_draft WHERE uuid = ? FOR UPDATE", {draft_uuid});
  if (!draft) return draft.error();
  if (draft->empty()) {
    return make_error(ErrorCode::not_found, fmt::format("draft {} not found", draft_uuid));
  }
  const std::string& statut = draft.value()[0].at(0);
  if (statut != "EN_COURS") {
    return make_error(ErrorCode::conflict, fmt::format("draft {} is {}, not EN_COURS: already sent",
                                                       draft_uuid, statut));
  }
  auto record = insert_signalement(input, territory_zip, signalement_uuid, code_suivi, now);
  if (!record) return record.error();
  auto marked =
      exec("UPDATE signalement_draft SET statut = 'EN_SIGNALEMENT', updated_at = ? WHERE uuid = ?",
           {format_sql_datetime(now), draft_uuid});
  if (!marked) return marked.error();
  return record;
}

Result<SignalementRecord> AppDatabase::send_draft(const std::string& draft_uuid,
                                                  const SignalementInput& input,
                                                  const std::string& signalement_uuid,
                                                  const std::string& code_suivi, Instant now) {
  auto zip = territory_zip_of(input);
  if (!zip) return zip.error();
  return in_transaction([&] {
    return lock_draft_and_insert(draft_uuid, input, zip.value(), signalement_uuid, code_suivi, now);
  });
}

Result<SignalementRecord> AppDatabase::create_signalement(const SignalementInput& input,
                                                          const std::string& signalement_uuid,
                                                          const std::string& code_suivi,
                                                          Instant now) {
  auto zip = territory_zip_of(input);
  if (!zip) return zip.error();
  return in_transaction(
      [&] { return insert_signalement(input, zip.value(), signalement_uuid, code_suivi, now); });
}

Result<std::optional<SignalementRecord>> AppDatabase::find_signalement(const std::string& column,
                                                                       const std::string& value) {
  // `column` is one of ours, never input: only `value` is bound.
  auto rows = select("SELECT " + kSignalementColumns + " FROM signalement WHERE " + column + " = ?",
                     {value});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SignalementRecord>();
  auto record = read_signalement(rows.value()[0]);
  if (!record) return record.error();
  return std::optional<SignalementRecord>(std::move(record.value()));
}

Result<std::optional<SignalementRecord>> AppDatabase::find_signalement_by_code_suivi(
    const std::string& code_suivi) {
  return find_signalement("code_suivi", code_suivi);
}

Result<std::optional<SignalementRecord>> AppDatabase::find_signalement_by_uuid(
    const std::string& uuid) {
  return find_signalement("uuid", uuid);
}

Result<std::vector<SignalementRecord>> AppDatabase::list_signalements(
    std::optional<std::int64_t> territory_id, int limit, int offset) {
  if (limit < 1 || limit > kListLimitMax || offset < 0 || offset > kListOffsetMax) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("limit {} / offset {}: limit must be in [1, {}], offset in "
                                  "[0, {}]",
                                  limit, offset, kListLimitMax, kListOffsetMax));
  }
  std::string sql = "SELECT " + kSignalementColumns + " FROM signalement";
  std::vector<SqlParam> params;
  if (territory_id) {
    sql += " WHERE territory_id = ?";
    params.emplace_back(*territory_id);
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
  params.emplace_back(limit);
  params.emplace_back(offset);
  auto rows = select(sql, params);
  if (!rows) return rows.error();
  std::vector<SignalementRecord> records;
  records.reserve(rows->size());
  for (const auto& row : rows.value()) {
    auto record = read_signalement(row);
    if (!record) return record.error();
    records.push_back(std::move(record.value()));
  }
  return records;
}

Result<KpiCounts> AppDatabase::kpi_counts(std::optional<std::int64_t> territory_id) {
  std::string sql =
      "SELECT COUNT(*), COUNT(CASE WHEN statut = 'NEED_VALIDATION' THEN 1 END), "
      "COUNT(CASE WHEN statut = 'ACTIVE' THEN 1 END), "
      "COUNT(CASE WHEN statut = 'CLOSED' THEN 1 END) FROM signalement";
  std::vector<SqlParam> params;
  if (territory_id) {
    sql += " WHERE territory_id = ?";
    params.emplace_back(*territory_id);
  }
  auto rows = select(sql, params);
  if (!rows) return rows.error();
  if (rows->size() != 1 || rows.value()[0].size() != 4) return bad_row("kpi", "no row");
  std::array<std::int64_t, 4> counts{};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto value = to_int64(rows.value()[0][i]);
    if (!value) return bad_row("kpi", "not a number");
    counts[i] = *value;
  }
  return KpiCounts{counts[0], counts[1], counts[2], counts[3]};
}

Result<PublicStatistics> AppDatabase::public_statistics() {
  auto rows = select(
      "SELECT (SELECT COUNT(*) FROM signalement), "
      "(SELECT COUNT(*) FROM territory WHERE is_active = 1), "
      "(SELECT COUNT(*) FROM signalement WHERE statut = 'CLOSED')",
      {});
  if (!rows) return rows.error();
  if (rows->size() != 1 || rows.value()[0].size() != 3) return bad_row("statistics", "no row");
  PublicStatistics stats;
  for (auto [index, target] : {std::pair{0, &stats.signalements}, std::pair{1, &stats.territories},
                               std::pair{2, &stats.closed}}) {
    const auto value = to_int64(rows.value()[0][static_cast<std::size_t>(index)]);
    if (!value) return bad_row("statistics", "not a number");
    *target = *value;
  }
  return stats;
}

Result<std::vector<std::vector<std::string>>> AppDatabase::territories() {
  return select("SELECT id, zip, name FROM territory WHERE is_active = 1 ORDER BY zip", {});
}

Result<void> AppDatabase::record_job_event(const JobEvent& event, Instant now) {
  return exec(
      "INSERT INTO job_event (signalement_id, service, action, status, message, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {event.signalement_id, event.service, event.action, event.status, nullable(event.message),
       format_sql_datetime(now)});
}

}  // namespace mepsim::web
