// Unit tests of sim/web/mailer.h: MAILER_DSN as Symfony's Brevo bridge reads it, the
// request Brevo receives (POST /v3/smtp/email, api-key, JSON body), the messageId it
// answers, and its error bodies relayed to the caller. The API key never shows in errors.

#include "sim/web/mailer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/stub_http_peer.h"

namespace mepsim::web {
namespace {

using nlohmann::json;
using stub::header_of;
using stub::make_response;
using stub::StubHttpPeer;
namespace http = boost::beast::http;

constexpr const char* kBrevoKey = "xkeysib-0123abcd";
constexpr Duration kMailTimeout = std::chrono::seconds(5);

MailerDsn fake_dsn(std::uint16_t port) {
  auto dsn = parse_mailer_dsn(std::string("brevo+api://") + kBrevoKey +
                              "@127.0.0.1:" + std::to_string(port));
  EXPECT_TRUE(dsn.ok()) << dsn.error().message;
  return dsn.ok() ? dsn.value() : MailerDsn{};
}

Mail report_mail() {
  return {"noreply@signal-logement.fr", "usager@example.org",
          "Votre signalement #2026-12 a bien été enregistré", "<p>Merci &amp; à bientôt</p>"};
}

TEST(MailerDsn, ReadsTheBrevoAndNullForms) {
  // "default" is the real (HTTPS) Brevo, HOST:PORT the plain-HTTP fake, null:// is off.
  auto real = parse_mailer_dsn(std::string("brevo+api://") + kBrevoKey + "@default");
  ASSERT_TRUE(real.ok()) << real.error().message;
  EXPECT_TRUE(real->enabled);
  EXPECT_TRUE(real->https);
  EXPECT_EQ(real->host, "api.brevo.com");
  EXPECT_EQ(real->api_key, kBrevoKey);

  auto fake = parse_mailer_dsn("brevo+api://xkeysib%2D01%2B%3D@127.0.0.1:4012");
  ASSERT_TRUE(fake.ok()) << fake.error().message;
  EXPECT_TRUE(fake->enabled);
  EXPECT_FALSE(fake->https);
  EXPECT_EQ(fake->host, "127.0.0.1");
  EXPECT_EQ(fake->port, 4012);
  EXPECT_EQ(fake->api_key, "xkeysib-01+=");  // URL-decoded, as Symfony's Dsn does

  auto off = parse_mailer_dsn("null://null");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->enabled);
}

TEST(MailerDsn, RefusesOtherSchemesAndBrokenPartsWithoutTheKey) {
  // invalid_input naming the scheme or the part; the key never in the message.
  const std::pair<std::string, const char*> cases[] = {
      {std::string("smtp://") + kBrevoKey + "@smtp-relay.brevo.com:587", "\"smtp\""},
      {std::string("brevo+smtp://") + kBrevoKey + "@default", "\"brevo+smtp\""},
      {"brevo+api://@default", "no API key"},
      {"brevo+api://default", "no API key"},
      {std::string("brevo+api://") + kBrevoKey + "@127.0.0.1:99999", "port"},
      {std::string("brevo+api://") + kBrevoKey + "@:4012", "no host"},
      {std::string("brevo+api://") + kBrevoKey + "%zz@default", "URL-encoding"},
      {"MAILER_DSN", "not a DSN"},
  };
  for (const auto& [dsn, reason] : cases) {
    const auto parsed = parse_mailer_dsn(dsn);
    ASSERT_FALSE(parsed.ok()) << dsn;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_NE(parsed.error().message.find(reason), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.find(kBrevoKey), std::string::npos) << parsed.error().message;
  }
}

TEST(Mailer, SendsBrevosRequestShapeAndReturnsTheMessageId) {
  // POST /v3/smtp/email with api-key, JSON content-type and accept, sender/to/subject/html.
  StubHttpPeer brevo([](const Request&) {
    return make_response(http::status::created,
                         R"({"messageId":"<202601050800.12345678901@smtp-relay.mailin.fr>"})");
  });
  const Mailer mailer(fake_dsn(brevo.port()), kMailTimeout);
  ASSERT_TRUE(mailer.enabled());
  const auto id = mailer.send(report_mail());
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id.value(), "<202601050800.12345678901@smtp-relay.mailin.fr>");

  const auto requests = brevo.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method(), http::verb::post);
  EXPECT_EQ(request.target(), "/v3/smtp/email");
  EXPECT_EQ(header_of(request, "api-key"), kBrevoKey);
  EXPECT_EQ(header_of(request, "content-type"), "application/json");
  EXPECT_EQ(header_of(request, "accept"), "application/json");
  const json body = json::parse(request.body(), nullptr, false);
  ASSERT_TRUE(body.is_object()) << request.body();
  const Mail mail = report_mail();
  EXPECT_EQ(body, json({{"sender", {{"email", mail.from}}},
                        {"to", json::array({{{"email", mail.to}}})},
                        {"subject", mail.subject},
                        {"htmlContent", mail.html}}));
}

TEST(Mailer, RelaysBrevosErrorCodeAndMessage) {
  // A 400 is the caller's fault (invalid_input), a 5xx unavailable; both quote Brevo.
  StubHttpPeer bad_request([](const Request&) {
    return make_response(http::status::bad_request,
                         R"({"code":"invalid_parameter","message":"email is not valid in to"})");
  });
  const auto refused = Mailer(fake_dsn(bad_request.port()), kMailTimeout).send(report_mail());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_NE(refused.error().message.find("400"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("invalid_parameter: \"email is not valid in to\""),
            std::string::npos)
      << refused.error().message;

  StubHttpPeer down([](const Request&) {
    return make_response(http::status::service_unavailable, "upstream connect error", "text/plain");
  });
  const auto unavailable = Mailer(fake_dsn(down.port()), kMailTimeout).send(report_mail());
  ASSERT_FALSE(unavailable.ok());
  EXPECT_EQ(unavailable.error().code, ErrorCode::unavailable);
  EXPECT_NE(unavailable.error().message.find("upstream connect error"), std::string::npos);
  EXPECT_EQ(unavailable.error().message.find(kBrevoKey), std::string::npos);
}

TEST(Mailer, RealBrevoIsEnabledButEverySendFailsClearly) {
  // "@default" means HTTPS to api.brevo.com: enabled, and each send names the reason.
  auto dsn = parse_mailer_dsn(std::string("brevo+api://") + kBrevoKey + "@default");
  ASSERT_TRUE(dsn.ok());
  const Mailer mailer(dsn.value(), kMailTimeout);
  EXPECT_TRUE(mailer.enabled());
  const auto id = mailer.send(report_mail());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::unavailable);
  EXPECT_NE(id.error().message.find("https://api.brevo.com"), std::string::npos)
      << id.error().message;
  EXPECT_EQ(id.error().message.find(kBrevoKey), std::string::npos);
}

TEST(Mailer, RefusedBrevoIsUnavailable) {
  // Nobody on the fake's port: unavailable, the report stays accepted upstream.
  const auto id = Mailer(fake_dsn(stub::refused_port()), kMailTimeout).send(report_mail());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::unavailable) << id.error().message;
}

TEST(Mailer, NullTransportSendsNothing) {
  // null://null: disabled; send succeeds with no id, as Symfony's null transport does.
  auto dsn = parse_mailer_dsn("null://null");
  ASSERT_TRUE(dsn.ok());
  const Mailer mailer(dsn.value(), kMailTimeout);
  EXPECT_FALSE(mailer.enabled());
  const auto id = mailer.send(report_mail());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value(), "");
}

}  // namespace
}  // namespace mepsim::web
