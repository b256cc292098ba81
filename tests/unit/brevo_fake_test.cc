// Unit tests of fakes/brevo/brevo_fake.h: Brevo's transactional email endpoint over real
// HTTP on loopback, as the web container's mailer sends to it (sim/web/mailer), with
// Brevo's error shapes, deterministic message ids and the bounded message store.

#include "fakes/brevo/brevo_fake.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/web/mailer.h"

namespace mepsim::fakes::brevo {
namespace {

using nlohmann::json;

class BrevoFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BrevoFakeOptions options;
    options.api_key = "xkeysib-unit-test";
    options.messages_max = 3;
    options.control_clock = &clock_;
    fake_ = std::make_unique<BrevoFake>(Rng(9).fork("brevo"), options);
    ASSERT_TRUE(fake_->start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", fake_->port());
  }

  httplib::Result send(const json& body, const std::string& key = "xkeysib-unit-test") {
    httplib::Headers headers;
    if (!key.empty()) headers.emplace("api-key", key);
    return client_->Post("/v3/smtp/email", headers, body.dump(), "application/json");
  }

  static json valid_body() {
    return {{"sender", {{"email", "noreply@signal-logement.fr"}, {"name", "Signal Logement"}}},
            {"to", {{{"email", "occupant@example.org"}}}},
            {"subject", "Votre signalement"},
            {"htmlContent", "<p>Bonjour</p>"},
            {"params", {{"reference", "2026-12"}}}};
  }

  VirtualClock clock_{default_scenario_start()};
  std::unique_ptr<BrevoFake> fake_;
  std::unique_ptr<httplib::Client> client_;
};

// The web container's own mailer sends through the fake and gets its messageId back.
TEST_F(BrevoFakeTest, AcceptsWhatTheWebMailerSends) {
  auto dsn = web::parse_mailer_dsn(fake_->mailer_dsn());
  ASSERT_TRUE(dsn.ok()) << dsn.error().message;
  web::Mailer mailer(dsn.value(), std::chrono::seconds(5));
  auto id =
      mailer.send({"noreply@signal-logement.fr", "occupant@example.org", "Sujet", "<p>x</p>"});
  ASSERT_TRUE(id.ok()) << id.error().message;
  const auto messages = fake_->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].message_id, id.value());
  EXPECT_EQ(messages[0].sender.email, "noreply@signal-logement.fr");
  EXPECT_EQ(messages[0].to.at(0).email, "occupant@example.org");
  EXPECT_EQ(messages[0].subject, "Sujet");
  EXPECT_EQ(messages[0].at, default_scenario_start());
  EXPECT_TRUE(id.value().ends_with("@smtp-relay.mailin.fr>")) << id.value();
}

// 201 {"messageId"}; the message keeps sender, to, subject, template and params.
TEST_F(BrevoFakeTest, KeepsMessagesForExpectations) {
  json body = valid_body();
  body.erase("htmlContent");
  body["templateId"] = 12;
  auto res = send(body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  const json answer = json::parse(res->body);
  const auto messages = fake_->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(answer["messageId"], messages[0].message_id);
  EXPECT_EQ(messages[0].template_id, 12);
  EXPECT_EQ(messages[0].params["reference"], "2026-12");
  EXPECT_EQ(messages[0].sender.name, "Signal Logement");
  const json listed = to_json(messages[0]);
  EXPECT_EQ(listed["templateId"], 12);
  EXPECT_EQ(listed["to"][0]["email"], "occupant@example.org");
}

// Without the right api-key: 401 in Brevo's shape, and nothing kept.
TEST_F(BrevoFakeTest, RefusesAMissingOrWrongKey) {
  for (const std::string key : {"", "xkeysib-wrong"}) {
    auto res = send(valid_body(), key);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(json::parse(res->body),
              (json{{"code", "unauthorized"}, {"message", "Key not found"}}));
  }
  EXPECT_TRUE(fake_->messages().empty());
  // The key never reaches the journal.
  for (const auto& entry : fake_->journal().entries()) {
    EXPECT_EQ(to_json(entry).dump().find("xkeysib"), std::string::npos);
  }
}

// Each invalid body is a 400 with Brevo's code and a message naming the field.
TEST_F(BrevoFakeTest, ValidatesTheBodyStrictly) {
  struct Case {
    std::function<void(json&)> edit;
    std::string code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](json& b) { b.erase("sender"); }, "missing_parameter", "sender is missing"},
      {[](json& b) {
         b["sender"] = {{"name", "x"}};
       },
       "missing_parameter", "sender.email is missing"},
      {[](json& b) { b["to"] = json::array(); }, "missing_parameter", "to is missing"},
      {[](json& b) {
         b["to"] = {{{"email", "not-an-address"}}};
       },
       "invalid_parameter", "email is not valid in to[0]"},
      {[](json& b) { b["to"] = "occupant@example.org"; }, "invalid_parameter",
       "to must be an array"},
      {[](json& b) { b.erase("subject"); }, "missing_parameter", "subject is missing"},
      {[](json& b) { b.erase("htmlContent"); }, "missing_parameter",
       "htmlContent, textContent or templateId is missing"},
      {[](json& b) { b["params"] = json::array(); }, "invalid_parameter",
       "params must be an object"},
      {[](json& b) { b["templateId"] = "12"; }, "invalid_parameter",
       "templateId must be a positive integer"},
  };
  for (const auto& c : cases) {
    json body = valid_body();
    c.edit(body);
    auto res = send(body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << c.message;
    EXPECT_EQ(json::parse(res->body), (json{{"code", c.code}, {"message", c.message}}));
  }
  auto garbage = client_->Post("/v3/smtp/email", {{"api-key", "xkeysib-unit-test"}}, "{nope",
                               "application/json");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_TRUE(fake_->messages().empty());
}

// Fields nobody reads are accepted but noted in the journal.
TEST_F(BrevoFakeTest, NotesFieldsItDoesNotModel) {
  json body = valid_body();
  body["replyTo"] = {{"email", "a@b.fr"}};
  body["priority"] = "high";
  ASSERT_EQ(send(body)->status, 201);
  const auto notes = fake_->journal().entries().back().notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(), "ignored field replyTo"), notes.end());
  EXPECT_NE(std::find(notes.begin(), notes.end(), "unknown field priority"), notes.end());
}

// The store keeps the last messages_max; message ids come from the seed.
TEST_F(BrevoFakeTest, BoundedStoreAndDeterministicIds) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto res = send(valid_body());
    ASSERT_TRUE(res);
    ids.push_back(json::parse(res->body)["messageId"]);
  }
  EXPECT_EQ(fake_->messages().size(), 3u);
  EXPECT_EQ(fake_->messages().front().seq, 3u);
  EXPECT_EQ(fake_->dropped_count(), 2u);
  fake_->clear_messages();
  EXPECT_TRUE(fake_->messages().empty());

  BrevoFakeOptions options;
  options.api_key = "xkeysib-unit-test";
  options.control_clock = &clock_;
  BrevoFake twin(Rng(9).fork("brevo"), options);
  ASSERT_TRUE(twin.start().ok());
  httplib::Client client("127.0.0.1", twin.port());
  auto first = client.Post("/v3/smtp/email", {{"api-key", "xkeysib-unit-test"}},
                           valid_body().dump(), "application/json");
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->body)["messageId"], ids[0]);
}

// A key drawn from the Rng when none is given, and a DSN the mailer parses.
TEST(BrevoFake, DrawsItsKey) {
  BrevoFake fake(Rng(4), {});
  EXPECT_TRUE(fake.api_key().starts_with("xkeysib-"));
  EXPECT_EQ(fake.api_key(), BrevoFake(Rng(4), {}).api_key());
}

}  // namespace
}  // namespace mepsim::fakes::brevo
