#include "harness/topology/third_party_fakes.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <utility>

#include "fakes/brevo/brevo_fake.h"
#include "fakes/common/admin_api.h"
#include "fakes/common/chaos.h"
#include "fakes/geocoding/geocoding_fake.h"
#include "fakes/sentry/sentry_fake.h"

namespace mepsim {
namespace {

using nlohmann::json;

json issue_json(const fakes::sentry::SentryIssue& issue) {
  return {{"id", issue.id},
          {"project", issue.project_slug},
          {"title", issue.title},
          {"culprit", issue.culprit},
          {"level", issue.level},
          {"status", issue.status},
          {"count", issue.count},
          {"firstSeen", format_iso8601(issue.first_seen)},
          {"lastSeen", format_iso8601(issue.last_seen)}};
}

// "brevo+api://[redacted]@127.0.0.1:PORT": what a printout may show of a DSN.
std::string redact_userinfo(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos || at < scheme_end) return url;
  return url.substr(0, scheme_end + 3) + "[redacted]" + url.substr(at);
}

}  // namespace

std::string sentry_dsn_key(const std::string& app) {
  std::string key = "SENTRY_DSN_";
  for (const char c : app) {
    key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

Result<std::unique_ptr<ThirdPartyFakes>> ThirdPartyFakes::start(
    const platform::PlatformProfile& profile, Clock& control_clock, Clock& latency_clock, Rng& rng,
    EventLog* log) {
  std::unique_ptr<ThirdPartyFakes> fakes(new ThirdPartyFakes());
  if (auto started = fakes->start_all(profile, control_clock, latency_clock, rng, log); !started) {
    fakes->stop();
    return started.error().context("starting the third-party fakes");
  }
  return fakes;
}

Result<void> ThirdPartyFakes::start_all(const platform::PlatformProfile& profile,
                                        Clock& control_clock, Clock& latency_clock, Rng& rng,
                                        EventLog* log) {
  for (const auto& app : profile.apps) apps_.push_back(app.name);
  chaos_ = std::make_unique<fakes::Chaos>(rng.fork("chaos"), control_clock);

  fakes::AdminApiOptions admin_options;
  admin_options.latency_clock = &latency_clock;
  admin_ = std::make_unique<fakes::AdminApi>(*chaos_, admin_options);

  fakes::sentry::SentryFakeOptions sentry_options;
  sentry_options.projects = apps_;
  sentry_options.control_clock = &control_clock;
  sentry_options.latency_clock = &latency_clock;
  sentry_options.chaos = chaos_.get();
  sentry_options.events = log;
  sentry_ = std::make_unique<fakes::sentry::SentryFake>(rng.fork("sentry"), sentry_options);

  fakes::brevo::BrevoFakeOptions brevo_options;
  brevo_options.control_clock = &control_clock;
  brevo_options.latency_clock = &latency_clock;
  brevo_options.chaos = chaos_.get();
  brevo_options.events = log;
  brevo_ = std::make_unique<fakes::brevo::BrevoFake>(rng.fork("brevo"), brevo_options);

  fakes::geocoding::GeocodingFakeOptions geocoding_options;
  geocoding_options.addresses = profile.addresses;
  geocoding_options.control_clock = &control_clock;
  geocoding_options.latency_clock = &latency_clock;
  geocoding_options.chaos = chaos_.get();
  geocoding_ = std::make_unique<fakes::geocoding::GeocodingFake>(geocoding_options);

  register_with_admin();
  if (auto s = sentry_->start(); !s) return s.error().context("Sentry fake");
  if (auto s = brevo_->start(); !s) return s.error().context("Brevo fake");
  if (auto s = geocoding_->start(); !s) return s.error().context("geocoding fake");
  if (auto s = admin_->start(); !s) return s.error().context("admin API");
  return {};
}

void ThirdPartyFakes::register_with_admin() {
  auto* brevo = brevo_.get();
  admin_->register_fake(
      "brevo", brevo->journal(),
      {{"messages",
        {[brevo] {
           json out = json::array();
           for (const auto& m : brevo->messages()) out.push_back(fakes::brevo::to_json(m));
           return json{{"messages", std::move(out)}, {"dropped", brevo->dropped_count()}};
         },
         [brevo] { brevo->clear_messages(); }}}});
  auto* sentry = sentry_.get();
  const auto apps = apps_;
  admin_->register_fake("sentry", sentry->journal(),
                        {{"issues",
                          {[sentry, apps] {
                             json out = json::array();
                             for (const auto& app : apps) {
                               for (const auto& issue : sentry->issues(app)) {
                                 out.push_back(issue_json(issue));
                               }
                             }
                             return json{{"issues", std::move(out)}};
                           },
                           nullptr}}});
  admin_->register_fake("geocoding", geocoding_->journal());
}

EnvEntries ThirdPartyFakes::env() const {
  EnvEntries entries;
  if (!admin_) return entries;
  entries.push_back({"MEPSIM_ADMIN_URL", admin_->base_url()});
  entries.push_back({"BREVO_API_URL", brevo_->base_url()});
  entries.push_back({"BREVO_API_KEY", brevo_->api_key()});
  entries.push_back({"GEOCODING_API_URL", geocoding_->base_url()});
  for (std::size_t i = 0; i < apps_.size(); ++i) {
    entries.push_back({i == 0 ? "SENTRY_DSN" : sentry_dsn_key(apps_[i]), sentry_->dsn(apps_[i])});
  }
  entries.push_back({"SENTRY_API_URL", sentry_->base_url()});
  entries.push_back({"SENTRY_AUTH_TOKEN", sentry_->auth_token()});
  entries.push_back({"SENTRY_ORG", sentry_->organization()});
  return entries;
}

std::map<std::string, std::string> ThirdPartyFakes::app_variables(const std::string& app) const {
  return {{"SENTRY_DSN", sentry_->dsn(app)},
          {"MAILER_DSN", brevo_->mailer_dsn()},
          {"GEOCODING_API_URL", geocoding_->base_url()}};
}

std::vector<Endpoint> ThirdPartyFakes::endpoints() const {
  std::vector<Endpoint> out;
  if (!admin_) return out;
  out.push_back(
      {"admin", admin_->base_url(), "journals and chaos of the fakes (MEPSIM_ADMIN_URL)"});
  out.push_back(
      {"sentry", sentry_->base_url(),
       fmt::format("Sentry fake, {} projects, org {}", apps_.size(), sentry_->organization())});
  out.push_back({"brevo", redact_userinfo(brevo_->mailer_dsn()), "Brevo fake (MAILER_DSN)"});
  out.push_back({"geocoding", geocoding_->base_url(), "BAN geocoding fake"});
  return out;
}

fakes::Chaos& ThirdPartyFakes::chaos() {
  return *chaos_;
}
fakes::AdminApi& ThirdPartyFakes::admin() {
  return *admin_;
}
fakes::sentry::SentryFake& ThirdPartyFakes::sentry() {
  return *sentry_;
}
fakes::brevo::BrevoFake& ThirdPartyFakes::brevo() {
  return *brevo_;
}
fakes::geocoding::GeocodingFake& ThirdPartyFakes::geocoding() {
  return *geocoding_;
}

ThirdPartyFakes::~ThirdPartyFakes() {
  stop();
}

void ThirdPartyFakes::stop() {
  // The fakes first, then the API that reads their journals.
  if (geocoding_) geocoding_->stop();
  if (brevo_) brevo_->stop();
  if (sentry_) sentry_->stop();
  if (admin_) admin_->stop();
}

}  // namespace mepsim
