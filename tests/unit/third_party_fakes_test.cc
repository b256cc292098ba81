// Unit tests of harness/topology/third_party_fakes.h: the wiring `mepsim up` uses — env
// keys, each app's variables (which the web container's own clients accept), endpoints
// without secrets, and the admin API seeing the fakes' journals and listings.

#include "harness/topology/third_party_fakes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "fakes/brevo/brevo_fake.h"
#include "harness/profile/default_profile.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/web/geocoder.h"
#include "sim/web/mailer.h"

namespace mepsim {
namespace {

using nlohmann::json;

std::map<std::string, std::string> as_map(const EnvEntries& entries) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : entries) {
    EXPECT_FALSE(out.contains(key)) << "duplicate " << key;
    out[key] = value;
  }
  return out;
}

class ThirdPartyFakesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = platform::parse_platform_profile(std::string(default_profile_yaml()),
                                                    std::string(kDefaultProfileName));
    ASSERT_TRUE(profile.ok()) << profile.error().message;
    Rng rng(77);
    auto started = ThirdPartyFakes::start(profile.value(), clock_, clock_, rng);
    ASSERT_TRUE(started.ok()) << started.error().message;
    fakes_ = std::move(started.value());
  }

  RealClock clock_;
  std::unique_ptr<ThirdPartyFakes> fakes_;
};

// Every key the env file promises is there, pointing at loopback.
TEST_F(ThirdPartyFakesTest, EnvHasEveryKey) {
  const auto env = as_map(fakes_->env());
  for (const char* key : {"BREVO_API_URL", "BREVO_API_KEY", "GEOCODING_API_URL", "MEPSIM_ADMIN_URL",
                          "SENTRY_DSN", "SENTRY_DSN_HISTOLOGE_STAGING", "SENTRY_DSN_HISTOLOGE_DEMO",
                          "SENTRY_API_URL", "SENTRY_AUTH_TOKEN", "SENTRY_ORG"}) {
    ASSERT_TRUE(env.contains(key)) << key;
    EXPECT_FALSE(env.at(key).empty()) << key;
  }
  EXPECT_EQ(env.at("SENTRY_ORG"), "mtes-mct");
  EXPECT_TRUE(env.at("SENTRY_DSN").ends_with("/1")) << env.at("SENTRY_DSN");
  EXPECT_NE(env.at("SENTRY_DSN"), env.at("SENTRY_DSN_HISTOLOGE_STAGING"));
  for (const char* key :
       {"BREVO_API_URL", "GEOCODING_API_URL", "MEPSIM_ADMIN_URL", "SENTRY_API_URL"}) {
    EXPECT_TRUE(env.at(key).starts_with("http://127.0.0.1:")) << key << "=" << env.at(key);
  }
  EXPECT_EQ(sentry_dsn_key("histologe-staging"), "SENTRY_DSN_HISTOLOGE_STAGING");
}

// An app's variables are what the web container's mailer and geocoder accept.
TEST_F(ThirdPartyFakesTest, AppVariablesWorkWithTheWebClients) {
  const auto vars = fakes_->app_variables("histologe-staging");
  const auto env = as_map(fakes_->env());
  EXPECT_EQ(vars.at("SENTRY_DSN"), env.at("SENTRY_DSN_HISTOLOGE_STAGING"));
  auto dsn = web::parse_mailer_dsn(vars.at("MAILER_DSN"));
  ASSERT_TRUE(dsn.ok()) << dsn.error().message;
  auto sent = web::Mailer(dsn.value(), std::chrono::seconds(5))
                  .send({"noreply@signal-logement.fr", "x@example.org", "Objet", "<p>ok</p>"});
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  auto found = web::Geocoder(vars.at("GEOCODING_API_URL"), std::chrono::seconds(5))
                   .search("8 avenue Jean Jaurès 33000 Bordeaux");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->citycode, "33063");

  httplib::Client admin(
      "127.0.0.1", static_cast<std::uint16_t>(std::stoi(env.at("MEPSIM_ADMIN_URL").substr(17))));
  auto messages = admin.Get("/fakes/brevo/messages");
  ASSERT_TRUE(messages);
  const json listed = json::parse(messages->body);
  ASSERT_EQ(listed["messages"].size(), 1u);
  EXPECT_EQ(listed["messages"][0]["subject"], "Objet");
  auto fakes = admin.Get("/fakes");
  ASSERT_TRUE(fakes);
  std::vector<std::string> names;
  const json registered = json::parse(fakes->body);
  for (const auto& f : registered["fakes"]) names.push_back(f["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"brevo", "geocoding", "sentry"}));
  auto geocoding = admin.Get("/fakes/geocoding/journal");
  ASSERT_TRUE(geocoding);
  EXPECT_EQ(json::parse(geocoding->body)["entries"].size(), 1u);
}

// The printout never shows a key: Brevo's DSN is redacted, the others carry none.
TEST_F(ThirdPartyFakesTest, EndpointsCarryNoSecrets) {
  const auto env = as_map(fakes_->env());
  const auto endpoints = fakes_->endpoints();
  ASSERT_EQ(endpoints.size(), 4u);
  for (const auto& e : endpoints) {
    EXPECT_EQ(e.url_display.find(env.at("BREVO_API_KEY")), std::string::npos) << e.name;
    EXPECT_EQ(e.url_display.find(env.at("SENTRY_AUTH_TOKEN")), std::string::npos) << e.name;
  }
  EXPECT_EQ(endpoints[2].name, "brevo");
  EXPECT_TRUE(endpoints[2].url_display.starts_with("brevo+api://[redacted]@127.0.0.1:"));
}

}  // namespace
}  // namespace mepsim
