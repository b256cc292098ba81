// Unit tests of fakes/common/admin_api.h: journals, listings and chaos of registered fakes
// over real HTTP on loopback, with 404/422/400 on bad input.

#include "fakes/common/admin_api.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "fakes/brevo/brevo_fake.h"
#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace mepsim::fakes {
namespace {

using nlohmann::json;

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    brevo::BrevoFakeOptions options;
    options.api_key = "xkeysib-admin-test";
    options.chaos = &chaos_;
    brevo_ = std::make_unique<brevo::BrevoFake>(Rng(1), options);
    ASSERT_TRUE(brevo_->start().ok());
    admin_ = std::make_unique<AdminApi>(chaos_);
    auto* fake = brevo_.get();
    admin_->register_fake("brevo", brevo_->journal(),
                          {{"messages",
                            {[fake] {
                               json out = json::array();
                               for (const auto& m : fake->messages())
                                 out.push_back(brevo::to_json(m));
                               return out;
                             },
                             [fake] { fake->clear_messages(); }}}});
    ASSERT_TRUE(admin_->start().ok());
    admin_client_ = std::make_unique<httplib::Client>("127.0.0.1", admin_->port());
    brevo_client_ = std::make_unique<httplib::Client>("127.0.0.1", brevo_->port());
  }

  int send_mail() {
    const json body = {{"sender", {{"email", "a@b.fr"}}},
                       {"to", {{{"email", "c@d.fr"}}}},
                       {"subject", "s"},
                       {"textContent", "t"}};
    auto res = brevo_client_->Post("/v3/smtp/email", {{"api-key", "xkeysib-admin-test"}},
                                   body.dump(), "application/json");
    return res ? res->status : 0;
  }

  json get(const std::string& path, int expected_status = 200) {
    auto res = admin_client_->Get(path);
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  int status_of(httplib::Result res) { return res ? res->status : 0; }

  VirtualClock clock_{default_scenario_start()};
  Chaos chaos_{Rng(5).fork("chaos"), clock_};
  std::unique_ptr<brevo::BrevoFake> brevo_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<httplib::Client> admin_client_;
  std::unique_ptr<httplib::Client> brevo_client_;
};

// Registered fakes are listed with their journal counts; journals page by seq and clear.
TEST_F(AdminApiTest, JournalsPageAndClear) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(send_mail(), 201);
  const json fakes = get("/fakes");
  ASSERT_EQ(fakes["fakes"].size(), 1u);
  EXPECT_EQ(fakes["fakes"][0]["name"], "brevo");
  EXPECT_EQ(fakes["fakes"][0]["journal"]["recorded"], 3);
  EXPECT_EQ(fakes["fakes"][0]["listings"], json::array({"messages"}));
  const json page = get("/fakes/brevo/journal?since=1&limit=1");
  ASSERT_EQ(page["entries"].size(), 1u);
  EXPECT_EQ(page["entries"][0]["seq"], 2);
  EXPECT_EQ(page["entries"][0]["operation"], "send_email");
  EXPECT_EQ(page["entries"][0]["headers"]["api-key"], "[redacted]");
  EXPECT_EQ(page["next_since"], 2);
  EXPECT_EQ(status_of(admin_client_->Delete("/fakes/brevo/journal")), 204);
  EXPECT_TRUE(get("/fakes/brevo/journal")["entries"].empty());
  EXPECT_EQ(get("/fakes/brevo/journal?limit=0", 400)["error"], "limit must be 1-1000");
  EXPECT_EQ(get("/fakes/brevo/journal?sinse=1", 400)["error"], "unknown parameter sinse");
  EXPECT_EQ(get("/fakes/sentry/journal", 404)["error"], "no fake named sentry");
}

// A listing reads the fake's store and clears it.
TEST_F(AdminApiTest, ListingsReadAndClear) {
  ASSERT_EQ(send_mail(), 201);
  const json messages = get("/fakes/brevo/messages");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["to"][0]["email"], "c@d.fr");
  EXPECT_EQ(status_of(admin_client_->Delete("/fakes/brevo/messages")), 204);
  EXPECT_TRUE(get("/fakes/brevo/messages").empty());
  EXPECT_EQ(get("/fakes/brevo/issues", 404)["error"], "brevo has no listing named issues");
}

// A policy PUT through the API changes what the fake answers; faults are counted.
TEST_F(AdminApiTest, ChaosIsSwitchedAtRuntime) {
  const json policy = {{"rate_limit", {{"probability", 1}, {"retry_after_s", 5}}}};
  auto put = admin_client_->Put("/chaos/brevo/send_email", policy.dump(), "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200);
  EXPECT_EQ(json::parse(put->body), policy);
  EXPECT_EQ(send_mail(), 429);
  EXPECT_EQ(get("/chaos")["policies"]["brevo.send_email"], policy);
  EXPECT_EQ(get("/faults")["faults"]["brevo.send_email.rate_limit"], 1);
  EXPECT_EQ(status_of(admin_client_->Delete("/chaos/brevo/send_email")), 204);
  EXPECT_EQ(send_mail(), 201);
  ASSERT_EQ(status_of(admin_client_->Put("/chaos/brevo/*", policy.dump(), "application/json")),
            200);
  EXPECT_EQ(send_mail(), 429);
  EXPECT_EQ(status_of(admin_client_->Delete("/chaos")), 204);
  EXPECT_TRUE(get("/chaos")["policies"].empty());
  EXPECT_EQ(send_mail(), 201);
}

// Bad policies are 422 naming the field; bad JSON 400; an unknown fake 404.
TEST_F(AdminApiTest, RefusesBadPolicies) {
  auto bad = admin_client_->Put("/chaos/brevo/send_email", R"({"error":{"probability":2}})",
                                "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_EQ(json::parse(bad->body),
            (json{{"errors", {{"error.probability", {"must be between 0 and 1"}}}}}));
  EXPECT_EQ(status_of(admin_client_->Put("/chaos/brevo/send_email", "{", "application/json")), 400);
  EXPECT_EQ(status_of(admin_client_->Put("/chaos/brevoo/send_email", "{}", "application/json")),
            404);
  EXPECT_TRUE(chaos_.policies().empty());
  EXPECT_EQ(status_of(admin_client_->Get("/nowhere")), 404);
}

}  // namespace
}  // namespace mepsim::fakes
