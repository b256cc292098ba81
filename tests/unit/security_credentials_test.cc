// Credentials of the third-party fakes that take a key: Sentry (DSN key in three places,
// the web API's bearer token), Brevo (`api-key`) and Mattermost (the hook id in the path).
// Each fake refuses a missing, wrong or misplaced credential with the real service's
// status and error shape, keeps nothing of the refused request, and never journals the
// right credential, even when a client sends it where it does not belong.

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fakes/brevo/brevo_fake.h"
#include "fakes/mattermost/mattermost_fake.h"
#include "fakes/sentry/sentry_fake.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "tests/unit/security_refusals.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;
using testing::expect_journal_lacks;
using testing::expect_refusals;
using testing::Refusal;

constexpr const char* kSentryToken = "sntrys_security_test_token";
constexpr const char* kBrevoKey = "xkeysib-security-test-key";

// An envelope whose header names a DSN, as an SDK may send it.
std::string envelope(const std::string& dsn) {
  return json{{"dsn", dsn}}.dump() + "\n" + json{{"type", "event"}}.dump() + "\n" +
         json{{"message", "boom"}, {"level", "error"}}.dump();
}

TEST(SecurityCredentials, SentryRefusesMissingWrongAndMisplacedKeys) {
  // Ingestion: 403 without a key, 401 for an unknown one, 403 for another project's;
  // the web API: 401 without its bearer token; nothing stored, no key journaled.
  VirtualClock clock(default_scenario_start());
  sentry::SentryFakeOptions options;
  options.auth_token = kSentryToken;
  options.control_clock = &clock;
  sentry::SentryFake fake(Rng(3).fork("sentry"), options);
  ASSERT_TRUE(fake.start().ok());
  const std::string dsn = fake.dsn("histologe");
  const std::string key = dsn.substr(7, dsn.find('@') - 7);
  const std::string other_key = [&] {
    const std::string d = fake.dsn("histologe-demo");
    return d.substr(7, d.find('@') - 7);
  }();
  const std::string id = fake.project_id("histologe");
  const std::string ingest = "/api/" + id + "/envelope/";
  const std::string issues = "/api/0/projects/mtes-mct/histologe/issues/";
  const std::string wrong = std::string(key.size(), 'a');
  const std::string bad_dsn = "http://" + wrong + "@127.0.0.1/" + id;
  const json missing = {{"detail", "missing authorization information"}};
  const json unknown = {{"detail", "invalid api key"}};
  const std::string event = envelope("");
  expect_refusals(
      fake.base_url(),
      {
          {"no key anywhere", "POST", ingest, {}, event, 403, missing},
          {"store without a key",
           "POST",
           "/api/" + id + "/store/",
           {},
           R"({"message":"x"})",
           403,
           missing},
          {"header without sentry_key",
           "POST",
           ingest,
           {{"X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=x"}},
           event,
           403,
           missing},
          {"empty sentry_key",
           "POST",
           ingest,
           {{"X-Sentry-Auth", "Sentry sentry_key="}},
           event,
           403,
           missing},
          {"unknown key in the header",
           "POST",
           ingest,
           {{"X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=" + wrong}},
           event,
           401,
           unknown},
          {"unknown key in the query",
           "POST",
           ingest + "?sentry_version=7&sentry_key=" + wrong,
           {},
           event,
           401,
           unknown},
          {"unknown key in the envelope's dsn",
           "POST",
           ingest,
           {},
           envelope(bad_dsn),
           401,
           unknown},
          {"another project's key",
           "POST",
           ingest + "?sentry_key=" + other_key,
           {},
           event,
           403,
           {{"detail", "the DSN key is not valid for project " + id}}},
          {"the auth token as a DSN key",
           "POST",
           ingest + "?sentry_key=" + kSentryToken,
           {},
           event,
           401,
           unknown},
          {"issues without a token",
           "GET",
           issues,
           {},
           "",
           401,
           {{"detail", "Authentication credentials were not provided."}}},
          {"issues with a wrong token",
           "GET",
           issues,
           {{"Authorization", "Bearer wrong"}},
           "",
           401,
           {{"detail", "Invalid token"}}},
          {"issues with the DSN key as token",
           "GET",
           issues,
           {{"Authorization", "Bearer " + key}},
           "",
           401,
           {{"detail", "Invalid token"}}},
          {"issues with the token under another scheme",
           "GET",
           issues,
           {{"Authorization", std::string("Token ") + kSentryToken}},
           "",
           401,
           {{"detail", "Authentication credentials were not provided."}}},
          {"issues with a token prefix",
           "GET",
           issues,
           {{"Authorization", std::string("Bearer ") + std::string(kSentryToken).substr(0, 10)}},
           "",
           401,
           {{"detail", "Invalid token"}}},
      });
  EXPECT_TRUE(fake.issues("histologe").empty());
  EXPECT_TRUE(fake.issues("histologe-demo").empty());
  expect_journal_lacks(fake.journal(), {key, other_key, kSentryToken});
}

TEST(SecurityCredentials, BrevoReadsTheKeyOnlyFromItsHeader) {
  // 401 {"code":"unauthorized","message":"Key not found"} for a missing, wrong or misplaced
  // key; the right key under another header name case is still the header.
  VirtualClock clock(default_scenario_start());
  brevo::BrevoFakeOptions options;
  options.api_key = kBrevoKey;
  options.control_clock = &clock;
  brevo::BrevoFake fake(Rng(5).fork("brevo"), options);
  ASSERT_TRUE(fake.start().ok());
  const std::string body = json{
      {"sender", {{"email", "noreply@signal-logement.fr"}}},
      {"to", {{{"email", "occupant@example.org"}}}},
      {"subject", "Votre signalement"},
      {"htmlContent",
       "<p>Bonjour</p>"}}.dump();
  const json refused = {{"code", "unauthorized"}, {"message", "Key not found"}};
  const std::string path = "/v3/smtp/email";
  const std::string key = kBrevoKey;
  expect_refusals(
      fake.base_url(),
      {
          {"no key", "POST", path, {}, body, 401, refused},
          {"empty key", "POST", path, {{"api-key", ""}}, body, 401, refused},
          {"wrong key", "POST", path, {{"api-key", "xkeysib-wrong"}}, body, 401, refused},
          {"a prefix of the key",
           "POST",
           path,
           {{"api-key", key.substr(0, key.size() - 1)}},
           body,
           401,
           refused},
          {"the key and more", "POST", path, {{"api-key", key + "x"}}, body, 401, refused},
          {"the key in upper case",
           "POST",
           path,
           {{"api-key", "XKEYSIB-SECURITY-TEST-KEY"}},
           body,
           401,
           refused},
          {"the key as a bearer token",
           "POST",
           path,
           {{"Authorization", "Bearer " + key}},
           body,
           401,
           refused},
          {"the key in the query", "POST", path + "?api-key=" + key, {}, body, 401, refused},
          {"the key under another header", "POST", path, {{"x-api-key", key}}, body, 401, refused},
      });
  EXPECT_TRUE(fake.messages().empty());
  expect_refusals(
      fake.base_url(),
      {{"header names ignore case", "POST", path, {{"API-KEY", key}}, body, 201, json::object()}});
  EXPECT_EQ(fake.messages().size(), 1u);
  expect_journal_lacks(fake.journal(), {key});
}

TEST(SecurityCredentials, MattermostTakesOnlyItsHookId) {
  // Mattermost's route is /hooks/{id:[A-Za-z0-9]+}: an id of that shape that is not the
  // hook's is 400 web.incoming_webhook.invalid.app_error; any other shape reaches no route
  // (404). Nothing posted, and the real id never journaled, whatever the request.
  VirtualClock clock(default_scenario_start());
  mattermost::MattermostFakeOptions options;
  options.control_clock = &clock;
  mattermost::MattermostFake fake(Rng(8).fork("mattermost"), options);
  ASSERT_TRUE(fake.start().ok());
  const std::string id = fake.hook_id();
  const std::string text = R"({"text":"hello"})";
  const json invalid = {{"id", "web.incoming_webhook.invalid.app_error"}, {"status_code", 400}};
  const json no_route = {{"status_code", 404}};
  std::string upper = id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  expect_refusals(
      fake.base_url(),
      {
          {"an unknown id", "POST", "/hooks/" + std::string(26, 'a'), {}, text, 400, invalid},
          {"a prefix of the id", "POST", "/hooks/" + id.substr(0, 25), {}, text, 400, invalid},
          {"the id and more", "POST", "/hooks/" + id + "0", {}, text, 400, invalid},
          {"the id in upper case", "POST", "/hooks/" + upper, {}, text, 400, invalid},
          {"an id Mattermost's route does not take",
           "POST",
           "/hooks/" + id + "-x",
           {},
           text,
           404,
           no_route},
          {"no id", "POST", "/hooks/", {}, text, 404, no_route},
          {"the id then a slash", "POST", "/hooks/" + id + "/", {}, text, 404, no_route},
          {"the id under another path", "POST", "/hooks/" + id + "/extra", {}, text, 404, no_route},
      });
  EXPECT_TRUE(fake.messages().empty());
  expect_journal_lacks(fake.journal(), {id});
}

}  // namespace
}  // namespace mepsim::fakes
