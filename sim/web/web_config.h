#pragma once
// How a web container is configured: like the real app, by its environment. The names
// are the real app's where it has one; MEPSIM_* ones are the replica's own.
//
//   PORT                          where to listen (the platform sets it)
//   DATABASE_URL, REDIS_URL       mysql://…, redis://…
//   APP_SECRET                    signs the remember-me cookie
//   APP_VERSION                   the release's version (else the manifest's)
//   MAINTENANCE_ENABLE            "1": maintenance mode (FACTS.md)
//   MAINTENANCE_BANNER_ENABLE     "1": the banner on every HTML page
//   MAINTENANCE_BANNER_MESSAGE    its text
//   SENTRY_DSN, SENTRY_ENVIRONMENT
//   MAILER_DSN                    brevo+api://KEY@HOST:PORT, or null://null
//   MAILER_FROM                   default noreply@signal-logement.fr
//   GEOCODING_API_URL             base URL of the BAN search API; empty: no geocoding
//   MEPSIM_RELEASE                the release manifest (app.yaml) of the deployed commit,
//                                 as YAML text: session format, cache namespace, faults
//   MEPSIM_MAINTENANCE_LISTENER   "after_firewall" (default, as intended) or
//                                 "before_firewall" (as the real app's priorities order it)
//   MEPSIM_RATE_LIMITS            "on" (default) or "off" (load tests from one address)
//   MEPSIM_THIRD_PARTY_TIMEOUT_MS default 2000
//   MEPSIM_WEB_THREADS            default: 4 (threads block on MySQL and Redis)
//   MEPSIM_FIXTURE_PASSWORD       the fixture users' password (console only)

#include <cstdint>
#include <map>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"
#include "sim/platform/release_manifest.h"

namespace mepsim::web {

using Environment = std::map<std::string, std::string>;

enum class ListenerOrder { after_firewall, before_firewall };

struct WebConfig {
  std::uint16_t port = 0;
  MysqlUrl database;
  RedisUrl redis;
  std::string app_secret;
  std::string app_version;
  std::string container;  // CONTAINER: web-1…, as the platform names it
  bool maintenance = false;
  bool banner = false;
  std::string banner_message;
  std::string sentry_dsn;
  std::string sentry_environment;
  std::string mailer_dsn;
  std::string mailer_from = "noreply@signal-logement.fr";
  std::string geocoding_url;
  platform::ReleaseManifest release;
  ListenerOrder listener_order = ListenerOrder::after_firewall;
  bool rate_limits = true;
  Duration third_party_timeout = std::chrono::milliseconds(2000);
  int threads = 4;
  std::string fixture_password;
};

// Every error names the variable: "DATABASE_URL: …", "MEPSIM_RELEASE: app.yaml:3:5: …".
// DATABASE_URL and REDIS_URL are required unless `datastores_required` is false.
Result<WebConfig> read_web_config(const Environment& env, bool datastores_required = true);
Environment process_environment();

}  // namespace mepsim::web
