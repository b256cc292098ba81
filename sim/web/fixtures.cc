#include "sim/web/fixtures.h"

#include <fmt/format.h>
#include <openssl/sha.h>

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/web/password_hash.h"
#include "sim/web/schema_migrations.h"
#include "sim/web/signalement_fields.h"
#include "sim/web/sql_datetime.h"

namespace mepsim::web {
namespace {

struct TerritoryFixture {
  const char* zip;
  const char* name;
  const char* city;
  const char* postcode;
  double lat;
  double lng;
};

// By zip: territory ids are 1, 2, … in this order.
constexpr std::array<TerritoryFixture, 12> kTerritories = {{
    {"01", "Ain", "Bourg-en-Bresse", "01000", 46.2052, 5.2255},
    {"13", "Bouches-du-Rhône", "Marseille", "13001", 43.2965, 5.3698},
    {"2A", "Corse-du-Sud", "Ajaccio", "20000", 41.9192, 8.7386},
    {"2B", "Haute-Corse", "Bastia", "20200", 42.6973, 9.4509},
    {"33", "Gironde", "Bordeaux", "33000", 44.8378, -0.5792},
    {"34", "Hérault", "Montpellier", "34000", 43.6108, 3.8767},
    {"44", "Loire-Atlantique", "Nantes", "44000", 47.2184, -1.5536},
    {"59", "Nord", "Lille", "59000", 50.6292, 3.0573},
    {"62", "Pas-de-Calais", "Arras", "62000", 50.2910, 2.7775},
    {"69", "Rhône", "Lyon", "69001", 45.7640, 4.8357},
    {"75", "Paris", "Paris", "75001", 48.8566, 2.3522},
    {"93", "Seine-Saint-Denis", "Saint-Denis", "93200", 48.9362, 2.3574},
}};
constexpr int kPartnersPerTerritory = 3;
constexpr int kSignalementsPerTerritory = 4;  // one of each statut below
constexpr std::array<const char*, 4> kStatuts = {"NEED_VALIDATION", "ACTIVE", "CLOSED", "REFUSED"};
constexpr std::array<const char*, 5> kProfiles = {
    "locataire", "bailleur_occupant", "tiers_particulier", "tiers_pro", "service_secours"};
constexpr std::array<const char*, 6> kStreets = {"rue de la République",  "avenue Jean Jaurès",
                                                 "boulevard Victor Hugo", "rue Pasteur",
                                                 "place de la Mairie",    "chemin des Vignes"};
constexpr std::array<const char*, 8> kOccupants = {"Martin", "Bernard", "Dubois", "Thomas",
                                                   "Robert", "Richard", "Petit",  "Durand"};

int territory_id(std::string_view zip) {
  for (std::size_t i = 0; i < kTerritories.size(); ++i) {
    if (kTerritories[i].zip == zip) return static_cast<int>(i) + 1;
  }
  return 0;  // not reached for the zips below
}

// Partner `k` (0: the city, 1: ADIL, 2: CAF) of a territory.
int partner_id(std::string_view zip, int k) {
  return (territory_id(zip) - 1) * kPartnersPerTerritory + k + 1;
}

struct UserFixture {
  std::string email;
  std::string role;
  std::string statut;
  std::optional<int> partner;
};

std::vector<UserFixture> fixture_users() {
  const auto mail = [](const std::string& local) { return local + "@signal-logement.fr"; };
  std::vector<UserFixture> users = {{mail("admin-01"), "ROLE_ADMIN", "ACTIVE", std::nullopt}};
  for (const char* tt : {"13", "01", "44", "69"}) {
    const std::string t(tt);
    users.push_back({mail("admin-territoire-" + t + "-01"), "ROLE_ADMIN_TERRITORY", "ACTIVE",
                     partner_id(t, 0)});
    users.push_back(
        {mail("admin-partenaire-" + t + "-01"), "ROLE_ADMIN_PARTNER", "ACTIVE", partner_id(t, 1)});
    users.push_back({mail("user-" + t + "-01"), "ROLE_USER_PARTNER", "ACTIVE", partner_id(t, 1)});
  }
  users.push_back({mail("user-13-06"), "ROLE_USER_PARTNER", "INACTIVE", partner_id("13", 0)});
  users.push_back({mail("usager-01"), "ROLE_USAGER", "ACTIVE", std::nullopt});
  users.push_back({mail("api-01"), "ROLE_API_USER", "ACTIVE", partner_id("13", 0)});
  return users;
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(const std::string& seed) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest.data());
  return digest;
}

// A version-4-shaped UUID that is a pure function of `seed`.
std::string fixture_uuid(const std::string& seed) {
  auto digest = sha256(seed);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x40);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  std::string hex;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

// Runs statements until the first error, which it keeps: the loaders below read as a
// list of rows rather than a ladder of checks.
class Writer {
 public:
  explicit Writer(MysqlConnection& db) : db_(db) {}
  void run(const std::string& sql, const std::vector<SqlParam>& params) {
    if (error_) return;
    if (auto done = db_.execute(sql, params); !done) error_ = done.error();
  }
  Result<void> result() const {
    if (error_) return *error_;
    return {};
  }

 private:
  MysqlConnection& db_;
  std::optional<Error> error_;
};

void load_territories(Writer& w) {
  for (std::size_t i = 0; i < kTerritories.size(); ++i) {
    const auto& t = kTerritories[i];
    const int id = static_cast<int>(i) + 1;
    w.run("INSERT INTO territory (id, zip, name, is_active) VALUES (?, ?, ?, 1)",
          {id, t.zip, t.name});
    const std::array<std::pair<std::string, std::string>, kPartnersPerTerritory> partners = {{
        {fmt::format("Mairie de {}", t.city), "COMMUNE_SCHS"},
        {fmt::format("ADIL {}", t.name), "ADIL"},
        {fmt::format("CAF {}", t.name), "CAF"},
    }};
    for (int k = 0; k < kPartnersPerTerritory; ++k) {
      const auto& [nom, type] = partners[static_cast<std::size_t>(k)];
      w.run("INSERT INTO partner (id, territory_id, nom, email, type) VALUES (?, ?, ?, ?, ?)",
            {partner_id(t.zip, k), id, nom,
             fmt::format("partenaire-{}-{:02}@signal-logement.fr", t.zip, k + 1), type});
    }
  }
}

void load_users(Writer& w, const std::vector<UserFixture>& users, const std::string& password,
                Instant now) {
  const std::string created_at = format_sql_datetime(now - std::chrono::hours(24 * 365));
  for (std::size_t i = 0; i < users.size(); ++i) {
    const auto& u = users[i];
    const int id = static_cast<int>(i) + 1;
    const std::string local = u.email.substr(0, u.email.find('@'));
    // The salt comes from the email: loading twice writes the same hashes.
    w.run(
        "INSERT INTO `user` (id, uuid, email, roles, password, statut, nom, prenom, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, fixture_uuid("user:" + u.email), u.email, nlohmann::json::array({u.role}).dump(),
         hash_password(password, "fixture:" + u.email), u.statut, local, "Fixture", created_at});
    if (u.partner) {
      w.run("INSERT INTO user_partner (user_id, partner_id) VALUES (?, ?)", {id, *u.partner});
    }
  }
}

// The follow-ups and assignment a report of this statut has by now.
void load_report_history(Writer& w, int id, const TerritoryFixture& t, const std::string& statut,
                         Instant created, int notified_user) {
  const std::string at = format_sql_datetime(created);
  const std::string later = format_sql_datetime(created + std::chrono::hours(2));
  w.run(
      "INSERT INTO suivi (signalement_id, description, type, is_public, created_at) "
      "VALUES (?, 'Signalement déposé, en attente de validation', 1, 1, ?)",
      {id, at});
  if (statut == "ACTIVE" || statut == "CLOSED") {
    w.run(
        "INSERT INTO affectation (signalement_id, partner_id, territory_id, statut, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {id, partner_id(t.zip, 0), territory_id(t.zip), statut == "ACTIVE" ? "EN_COURS" : "FERME",
         later});
  }
  if (statut != "NEED_VALIDATION") {
    const char* text = statut == "ACTIVE"   ? "Signalement validé et affecté"
                       : statut == "CLOSED" ? "Signalement clôturé"
                                            : "Signalement refusé";
    w.run(
        "INSERT INTO suivi (signalement_id, description, type, is_public, created_at) "
        "VALUES (?, ?, 1, 1, ?)",
        {id, text, later});
  }
  if (notified_user > 0) {
    w.run(
        "INSERT INTO notification (user_id, signalement_id, type, is_seen, created_at) "
        "VALUES (?, ?, 'NOUVEAU_SIGNALEMENT', 0, ?)",
        {notified_user, id, at});
  }
}

void load_signalements(Writer& w, Instant now, int notified_user_13) {
  std::map<int, std::int64_t> last_number;  // per year: where the counters continue
  const int count = fixture_signalement_count();
  for (int i = 0; i < count; ++i) {
    const auto& t = kTerritories[static_cast<std::size_t>(i) % kTerritories.size()];
    const std::string statut =
        kStatuts[static_cast<std::size_t>(i) / kTerritories.size() % kStatuts.size()];
    const Instant created = now - std::chrono::hours(26) * (count - i);
    const int year = utc_year(created);
    const std::string reference = format_reference(year, ++last_number[year]);
    const std::string address =
        fmt::format("{} {}", 1 + (i * 7) % 120, kStreets[static_cast<std::size_t>(i) % 6]);
    const std::string profile = kProfiles[static_cast<std::size_t>(i) % kProfiles.size()];
    const int id = i + 1;
    w.run(
        "INSERT INTO signalement (id, uuid, reference, code_suivi, statut, territory_id, "
        "created_at, closed_at, adresse_occupant, cp_occupant, ville_occupant, mail_occupant, "
        "nom_occupant, profile_declarant, geoloc, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, fixture_uuid(fmt::format("signalement:{}", i)), reference, fixture_code_suivi(i),
         statut, territory_id(t.zip), format_sql_datetime(created),
         statut == "CLOSED" ? SqlParam(format_sql_datetime(created + std::chrono::hours(3)))
                            : SqlParam(nullptr),
         address, t.postcode, t.city, fmt::format("occupant-{:02}@example.org", id),
         kOccupants[static_cast<std::size_t>(i) % kOccupants.size()], profile,
         nlohmann::json{{"lat", t.lat}, {"lng", t.lng}}.dump(),
         nlohmann::json{{"adresse", address}, {"codePostal", t.postcode}, {"profil", profile}}
             .dump()});
    load_report_history(w, id, t, statut, created,
                        std::string_view(t.zip) == "13" ? notified_user_13 : 0);
  }
  for (const auto& [year, number] : last_number) {
    w.run("INSERT INTO signalement_reference_counter (`year`, last_number) VALUES (?, ?)",
          {year, number});
  }
}

// TRUNCATE rather than DELETE: the ids start again at 1, so that a reload is identical.
Result<void> wipe(MysqlConnection& db) {
  if (auto off = db.execute("SET FOREIGN_KEY_CHECKS = 0"); !off) return off.error();
  Result<void> wiped;
  for (const auto& table : app_tables()) {
    wiped = db.execute("TRUNCATE TABLE " + table);
    if (!wiped) break;
  }
  // Restored whatever happened: the connection may be used again.
  auto on = db.execute("SET FOREIGN_KEY_CHECKS = 1");
  if (!wiped) return wiped;
  return on;
}

}  // namespace

int fixture_signalement_count() {
  return static_cast<int>(kTerritories.size()) * kSignalementsPerTerritory;
}

std::string fixture_code_suivi(int index) {
  // 32 hex digits, like the app's own codes, and the same on every load.
  const auto digest = sha256(fmt::format("code_suivi:{}", index));
  std::string hex;
  for (std::size_t i = 0; i < 16; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<FixtureCounts> load_fixtures(MysqlConnection& db, const std::string& password, Instant now) {
  if (auto wiped = wipe(db); !wiped) return wiped.error().context("wiping the app tables");
  auto tx = SqlTransaction::begin(db);
  if (!tx) return tx.error();
  const auto users = fixture_users();
  int user_13_01 = 0;
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (users[i].email == "user-13-01@signal-logement.fr") user_13_01 = static_cast<int>(i) + 1;
  }
  Writer w(db);
  load_territories(w);
  load_users(w, users, password, now);
  load_signalements(w, now, user_13_01);
  if (auto written = w.result(); !written) return written.error().context("loading fixtures");
  if (auto committed = tx->commit(); !committed) return committed.error();
  return FixtureCounts{static_cast<std::int64_t>(kTerritories.size()),
                       static_cast<std::int64_t>(kTerritories.size()) * kPartnersPerTerritory,
                       static_cast<std::int64_t>(users.size()), fixture_signalement_count()};
}

}  // namespace mepsim::web
