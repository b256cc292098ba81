#include "tests/integration/security_secrets_support.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fakes/common/hmac.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kSecretBytesMin = 6;

// "http://host:port/path?q" → ("http://host:port", "/path?q").
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

// The URL without its userinfo, for a client to reach.
std::string without_userinfo(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return url;
  return url.substr(0, scheme_end + 3) + url.substr(at + 1);
}

std::string set_cookie(const httplib::Result& r, const std::string& name) {
  if (!r) return "";
  for (const auto& [key, value] : r->headers) {
    if ((key == "Set-Cookie" || key == "set-cookie") && value.rfind(name + "=", 0) == 0) {
      return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
    }
  }
  return "";
}

std::string get(const std::string& url, const httplib::Headers& headers = {}) {
  const auto [base, path] = split_url(url);
  httplib::Client client(base);
  client.set_read_timeout(30);
  auto r = client.Get(path, headers);
  EXPECT_TRUE(r && r->status == 200)
      << url << ": " << (r ? std::to_string(r->status) : "no answer");
  return r ? r->body : "";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void SecretList::add(const std::string& what, const std::string& value) {
  if (value.size() < kSecretBytesMin || contains(value)) return;
  items_.emplace_back(what, value);
}

bool SecretList::contains(const std::string& value) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const auto& i) { return i.second == value; });
}

std::string url_key(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  const auto at = url.find('@', scheme_end);
  const auto slash = url.find('/', scheme_end + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return "";
  const std::string userinfo = url.substr(scheme_end + 3, at - scheme_end - 3);
  const auto colon = userinfo.find(':');
  return colon == std::string::npos ? userinfo : userinfo.substr(colon + 1);
}

void add_env_secrets(SecretList& list, const Env& env) {
  for (const auto& [key, value] : env) {
    if (key == "SCALINGO_API_TOKEN" || key == "GITHUB_TOKEN" || key == "SENTRY_AUTH_TOKEN" ||
        key == "BREVO_API_KEY" || key == "MEPSIM_FIXTURE_PASSWORD" || key == "APP_SECRET") {
      list.add(key, value);
    }
    if (const auto k = url_key(value); !k.empty()) list.add("the credential in " + key, k);
    if (const auto hooks = value.find("/hooks/"); hooks != std::string::npos) {
      list.add("the hook id in " + key, value.substr(hooks + 7));
    }
    if (key == "GITHUB_TOKEN") {
      list.add("git's Basic header", fakes::base64_encode("x-access-token:" + value));
    }
  }
}

SecretList secrets_of_env(const Env& env) {
  SecretList list;
  add_env_secrets(list, env);
  return list;
}

void RunObservation::observe(const std::map<pid_t, std::string>& tree) {
  for (const auto& [pid, comm] : tree) {
    if (comm != "mepsim-web" || seen_.contains(pid)) continue;
    Env env = environ_of(pid);
    if (!env.contains("REDIS_URL") || !env.contains("SENTRY_DSN")) continue;  // not yet exec'd
    seen_.insert(pid);
    redis_urls_.insert(env.at("REDIS_URL"));
    environments.push_back(std::move(env));
  }
  for (const auto& url : redis_urls_) {
    const auto keys = run_shell("redis-cli --no-auth-warning -u '" + url +
                                "' --scan --pattern 'sf_s*' 2>/dev/null");
    std::istringstream lines(keys.output);
    for (std::string key; std::getline(lines, key);) {
      if (key.rfind("sf_s", 0) == 0) session_ids.insert(key.substr(4));
    }
  }
}

void expect_no_secret(const SearchSpace& space, const SecretList& secrets) {
  ASSERT_FALSE(secrets.items().empty());
  std::size_t bytes = 0;
  for (const auto& text : space.texts) bytes += text.second.size();
  std::cout << "searched " << space.texts.size() << " texts (" << bytes << " bytes) for "
            << secrets.items().size() << " secrets\n";
  for (const auto& [where, text] : space.texts) {
    for (const auto& [what, value] : secrets.items()) {
      const auto at = text.find(value);
      if (at == std::string::npos) continue;
      const auto from = at > 120 ? at - 120 : 0;
      ADD_FAILURE() << where << " holds " << what << ":\n…" << text.substr(from, 240) << "…";
    }
  }
}

UpTraffic drive_up(const Env& env) {
  UpTraffic out;
  const std::string password = env.at("MEPSIM_FIXTURE_PASSWORD");
  httplib::Client app(env.at("APP_URL_HISTOLOGE"));
  const auto form = [&](const std::string& email, const std::string& extra) {
    return app.Post("/connexion", "email=" + email + "&password=" + password + extra,
                    "application/x-www-form-urlencoded");
  };
  auto partner = form("user-13-01@signal-logement.fr", "&_remember_me=on");
  out.credentials.emplace_back("a partner's PHPSESSID", set_cookie(partner, "PHPSESSID"));
  out.credentials.emplace_back("a partner's REMEMBERME", set_cookie(partner, "REMEMBERME"));
  auto admin = form("admin-01@signal-logement.fr", "");
  const std::string admin_id = set_cookie(admin, "PHPSESSID");
  out.credentials.emplace_back("an admin's PHPSESSID", admin_id);
  EXPECT_EQ(app.Get("/bo", {{"Cookie", "PHPSESSID=" + admin_id}})->status, 200);
  auto api = app.Post("/api/login",
                      json{{"email", "api-01@signal-logement.fr"}, {"password", password}}.dump(),
                      "application/json");
  const std::string token = api ? json::parse(api->body).value("token", "") : "";
  out.credentials.emplace_back("an API token", token);
  auto report = app.Post("/api/signalements", {{"Authorization", "Bearer " + token}},
                         json{{"adresse_logement_adresse", "12 rue de la République"},
                              {"adresse_logement_adresse_detail_code_postal", "13001"},
                              {"adresse_logement_adresse_detail_commune", "Marseille"},
                              {"vos_coordonnees_occupant_email", "occupant@example.org"},
                              {"vos_coordonnees_occupant_nom", "Martin"},
                              {"profil", "locataire"}}
                             .dump(),
                         "application/json");
  EXPECT_TRUE(report && report->status == 201) << (report ? report->body : "no answer");

  httplib::Client scalingo(env.at("SCALINGO_AUTH_URL"));
  scalingo.set_basic_auth("", env.at("SCALINGO_API_TOKEN").c_str());
  auto exchanged = scalingo.Post("/v1/tokens/exchange", "{}", "application/json");
  const std::string jwt = exchanged ? json::parse(exchanged->body).value("token", "") : "";
  out.credentials.emplace_back("a Scalingo bearer JWT", jwt);
  get(env.at("SCALINGO_API_URL") + "/v1/apps/histologe/variables",
      {{"Authorization", "Bearer " + jwt}});
  get(env.at("GITHUB_API_URL") + "/repos/MTES-MCT/histologe/pulls?state=all",
      {{"Authorization", "token " + env.at("GITHUB_TOKEN")}});

  const std::string dsn = env.at("SENTRY_DSN");
  const auto [sentry_base, project_path] = split_url(without_userinfo(dsn));
  httplib::Client sentry(sentry_base);
  const std::string envelope = json{{"sent_at", "2026-11-27T07:00:00Z"}}.dump() + "\n" +
                               json{{"type", "event"}}.dump() + "\n" +
                               json{{"message", "security check"}, {"level", "error"}}.dump();
  auto sent =
      sentry.Post("/api" + project_path + "/envelope/?sentry_version=7&sentry_key=" + url_key(dsn) +
                      "&sentry_client=sentry.javascript.node%2F11.0.0",
                  envelope, "application/x-sentry-envelope");
  EXPECT_TRUE(sent && sent->status == 200) << (sent ? sent->body : "no answer");
  get(env.at("SENTRY_API_URL") + "/api/0/projects/" + env.at("SENTRY_ORG") + "/histologe/issues/",
      {{"Authorization", "Bearer " + env.at("SENTRY_AUTH_TOKEN")}});

  httplib::Client brevo(env.at("BREVO_API_URL"));
  auto mail = brevo.Post("/v3/smtp/email", {{"api-key", env.at("BREVO_API_KEY")}},
                         json{{"sender", {{"email", "noreply@signal-logement.fr"}}},
                              {"to", {{{"email", "occupant@example.org"}}}},
                              {"subject", "Security"},
                              {"htmlContent", "<p>x</p>"}}
                             .dump(),
                         "application/json");
  EXPECT_TRUE(mail && mail->status == 201);
  const auto [hook_base, hook_path] = split_url(env.at("MATTERMOST_WEBHOOK_URL"));
  httplib::Client mattermost(hook_base);
  EXPECT_EQ(mattermost.Post(hook_path, R"({"text":"security check"})", "application/json")->status,
            200);
  // A client's mistake (a trailing slash) still must not put the hook id in the journal.
  EXPECT_EQ(mattermost.Post(hook_path + "/", R"({"text":"x"})", "application/json")->status, 404);
  return out;
}

SearchSpace gather_up_outputs(const Env& env, const fs::path& logs, const fs::path& env_file,
                              const fs::path& scratch) {
  SearchSpace space;
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(logs, ec)) {
    if (!entry.is_regular_file() || entry.file_size() > (8u << 20)) continue;
    space.add(entry.path().string(), read_file(entry.path()));
    ++files;
  }
  EXPECT_GT(files, 0u) << "nothing in the logs folder " << logs;
  const std::string admin = env.at("MEPSIM_ADMIN_URL");
  const json fakes = json::parse(get(admin + "/fakes"), nullptr, false);
  EXPECT_GE(fakes.value("fakes", json::array()).size(), 5u) << fakes.dump();
  for (const auto& fake : fakes.value("fakes", json::array())) {
    const std::string name = fake.value("name", "");
    std::uint64_t since = 0;
    for (;;) {
      const json page = json::parse(
          get(admin + "/fakes/" + name + "/journal?limit=1000&since=" + std::to_string(since)),
          nullptr, false);
      const json entries = page.value("entries", json::array());
      if (entries.empty()) break;
      space.add("the " + name + " journal", entries.dump());
      since = entries.back().value("seq", since + 1000);
    }
    for (const auto& listing : fake.value("listings", json::array())) {
      const std::string l = listing.get<std::string>();
      if (l != "journal") space.add(name + "'s " + l, get(admin + "/fakes/" + name + "/" + l));
    }
  }
  space.add("the faults", get(admin + "/faults"));
  space.add("the live rehearsal report", get(admin + "/_mepsim/rehearsal/report"));
  const std::string dashboard = env.at("MEPSIM_DASHBOARD_URL");
  space.add("the dashboard", get(dashboard));
  space.add("the dashboard's snapshot",
            get(dashboard + (dashboard.ends_with("/") ? "" : "/") + "snapshot.json"));
  const fs::path json_path = scratch / "rehearsal.json", html = scratch / "rehearsal.html";
  MepsimProcess rehearsal({"rehearsal", "report", "--env-file", env_file.string(), "--json",
                           json_path.string(), "--html", html.string()});
  const auto exit = rehearsal.wait_exit(60);
  EXPECT_TRUE(exit && exit->code == 0) << rehearsal.output();
  space.add("mepsim rehearsal report's console", rehearsal.output());
  space.add("the rehearsal report", read_file(json_path));
  space.add("the rehearsal report's page", read_file(html));
  return space;
}

}  // namespace mepsim::testing
