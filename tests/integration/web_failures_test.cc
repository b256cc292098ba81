// How the web container fails, as the real app does: an unhandled error answers 500 and
// reaches Sentry; MySQL down answers 503; a slow third party costs a
// report at most its timeout and the report is still accepted, the failure recorded in
// job_event; the acknowledgement mail goes through Brevo's API.

#include <nlohmann/json.hpp>

#include "tests/integration/stub_peer.h"
#include "tests/integration/web_app_fixture.h"

using namespace mepsim;
using namespace mepsim::testing;
using namespace std::chrono_literals;

namespace {

std::string send_draft_path(WebContainer& web) {
  auto c = web.client();
  auto draft = c.Post("/signalement-draft/new", kDraft, "application/json");
  EXPECT_TRUE(draft && draft->status == 201);
  if (!draft || draft->status != 201) return "";
  return "/signalement-draft/" + nlohmann::json::parse(draft->body)["uuid"].get<std::string>() +
         "/send";
}

}  // namespace

TEST_F(WebAppTest, UnhandledErrorReachesSentry) {
  // A planted fault answers 500 and sends one envelope, authenticated with the DSN's key,
  // naming the release and the route.
  StubPeer sentry(200, R"({"id":"0"})");
  WebEnv env = base_env();
  env["SENTRY_DSN"] = "http://publickey1@127.0.0.1:" + std::to_string(sentry.port()) + "/42";
  env["SENTRY_ENVIRONMENT"] = "production";
  env["MEPSIM_RELEASE"] = "version: \"1.7.4\"\nfaults:\n  - route: /\n    error_rate: 1\n";
  env.erase("APP_VERSION");
  WebContainer web(env);
  auto home = get(web, "/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 500);
  ASSERT_TRUE(sentry.wait_for(1, 5s));
  auto request = sentry.seen().front();
  EXPECT_EQ(request.target, "/api/42/envelope/");
  EXPECT_NE(request.headers["x-sentry-auth"].find("sentry_key=publickey1"), std::string::npos);
  EXPECT_NE(request.body.find("\"release\":\"1.7.4\""), std::string::npos) << request.body;
  EXPECT_NE(request.body.find("\"environment\":\"production\""), std::string::npos);
}

TEST_F(WebAppTest, SlowGeocoderIsBoundedAndTheReportKept) {
  // A geocoder that never answers in time costs the report its timeout only: the report
  // is accepted and the failure is a job_event row.
  StubPeer geocoder(200, R"({"type":"FeatureCollection","features":[]})", 3s);
  WebEnv env = base_env();
  env["GEOCODING_API_URL"] = geocoder.url();
  env["MEPSIM_THIRD_PARTY_TIMEOUT_MS"] = "200";
  WebContainer web(env);
  const std::string path = send_draft_path(web);
  auto c = web.client();
  auto sent = c.Post(path, "", "application/json");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 201) << sent->body;
  const auto uuid = nlohmann::json::parse(sent->body)["uuid"].get<std::string>();
  auto db = MysqlConnection::open(mysql_->url(), 5s);
  ASSERT_TRUE(db);
  auto rows = db->query(
      "SELECT j.status FROM job_event j JOIN signalement s ON s.id = j.signalement_id "
      "WHERE s.uuid = '" +
      uuid + "' AND j.service = 'geocoding'");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0][0], "failed");
}

TEST_F(WebAppTest, AcknowledgementMailGoesThroughBrevo) {
  // The report's mail is a POST /v3/smtp/email with the api-key of MAILER_DSN, to the
  // occupant; Brevo's messageId is kept in job_event.
  StubPeer brevo(201, R"({"messageId":"<202611261800.1@smtp-relay.mailin.fr>"})");
  WebEnv env = base_env();
  env["MAILER_DSN"] = "brevo+api://brevo-key-1@127.0.0.1:" + std::to_string(brevo.port());
  WebContainer web(env);
  auto c = web.client();
  auto sent = c.Post(send_draft_path(web), "", "application/json");
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 201);
  ASSERT_TRUE(brevo.wait_for(1, 5s));
  auto mail = brevo.seen().front();
  EXPECT_EQ(mail.method, "POST");
  EXPECT_EQ(mail.target, "/v3/smtp/email");
  EXPECT_EQ(mail.headers["api-key"], "brevo-key-1");
  const auto body = nlohmann::json::parse(mail.body);
  EXPECT_EQ(body["to"][0]["email"], "occupant@example.org");
}

TEST_F(WebAppTest, MysqlDownAnswers503AndReachesSentry) {
  // With MySQL gone, sending a report answers 503 and Sentry hears of the connection
  // error; the pages that need no database are still served.
  Rng rng(12);
  auto own = MariadbServer::start({}, clock_, rng);
  ASSERT_TRUE(own);
  StubPeer sentry(200, R"({"id":"0"})");
  WebEnv env = base_env();
  env["DATABASE_URL"] = own.value()->url().str();
  env["SENTRY_DSN"] = "http://publickey2@127.0.0.1:" + std::to_string(sentry.port()) + "/7";
  migrate_and_load(env);
  WebContainer web(env);
  const std::string path = send_draft_path(web);
  own.value()->stop();
  auto c = web.client();
  auto refused = c.Post(path, "", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  ASSERT_TRUE(sentry.wait_for(1, 5s));
  EXPECT_NE(sentry.seen().front().body.find("ConnectionException"), std::string::npos);
  auto form = get(web, "/signalement");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
}
