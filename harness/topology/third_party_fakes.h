#pragma once
// The app's third parties, faked, for `mepsim up`: the chaos layer they share, the admin
// API (journals, listings, chaos), Sentry, Brevo and the BAN geocoding search. Started
// before the platform, so that each app's containers get their variables from here
// (SENTRY_DSN of their own project, MAILER_DSN, GEOCODING_API_URL), as
// give_apps_their_datastores gives them DATABASE_URL and REDIS_URL.
//
// With a log, what they receive (Sentry issues, mails) is in the run's timeline.
// Every fake listens on loopback, on a port the kernel picks. Control-plane time (outage
// windows, message times) is the platform's clock in a scenario run and the real clock under
// `mepsim up`; handler latency is always real time.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/env/env_file.h"
#include "harness/topology/topology.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/platform_profile.h"

namespace mepsim {

namespace fakes {
class AdminApi;
class Chaos;
namespace brevo {
class BrevoFake;
}  // namespace brevo
namespace geocoding {
class GeocodingFake;
}  // namespace geocoding
namespace sentry {
class SentryFake;
}  // namespace sentry
}  // namespace fakes

class ThirdPartyFakes {
 public:
  // One Sentry project per app of `profile`, named after it; the geocoding fake knows the
  // profile's addresses. On failure, what was started is stopped again.
  static Result<std::unique_ptr<ThirdPartyFakes>> start(const platform::PlatformProfile& profile,
                                                        Clock& control_clock, Clock& latency_clock,
                                                        Rng& rng, EventLog* log = nullptr);
  ~ThirdPartyFakes();  // stops
  ThirdPartyFakes(const ThirdPartyFakes&) = delete;
  ThirdPartyFakes& operator=(const ThirdPartyFakes&) = delete;

  // BREVO_API_URL, BREVO_API_KEY, GEOCODING_API_URL, MEPSIM_ADMIN_URL, SENTRY_DSN (the
  // first app's project), SENTRY_DSN_<APP> for the others, SENTRY_API_URL,
  // SENTRY_AUTH_TOKEN, SENTRY_ORG.
  EnvEntries env() const;
  // What `app`'s containers get: SENTRY_DSN, MAILER_DSN, GEOCODING_API_URL.
  std::map<std::string, std::string> app_variables(const std::string& app) const;
  std::vector<Endpoint> endpoints() const;  // secrets redacted

  fakes::Chaos& chaos();
  fakes::AdminApi& admin();
  fakes::sentry::SentryFake& sentry();
  fakes::brevo::BrevoFake& brevo();
  fakes::geocoding::GeocodingFake& geocoding();

  void stop();  // idempotent; the admin API last

 private:
  ThirdPartyFakes() = default;
  Result<void> start_all(const platform::PlatformProfile& profile, Clock& control_clock,
                         Clock& latency_clock, Rng& rng, EventLog* log);
  void register_with_admin();

  std::vector<std::string> apps_;  // in profile order: the first is SENTRY_DSN's project
  std::unique_ptr<fakes::Chaos> chaos_;
  std::unique_ptr<fakes::AdminApi> admin_;
  std::unique_ptr<fakes::sentry::SentryFake> sentry_;
  std::unique_ptr<fakes::brevo::BrevoFake> brevo_;
  std::unique_ptr<fakes::geocoding::GeocodingFake> geocoding_;
};

// "SENTRY_DSN_HISTOLOGE_STAGING" for "histologe-staging".
std::string sentry_dsn_key(const std::string& app);

}  // namespace mepsim
