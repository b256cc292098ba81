// Unit tests of the Mattermost fake (fakes/mattermost/mattermost_fake.h): the incoming
// webhook's answers as the real server gives them, and the messages it keeps. The fake
// serves on a loopback port of its own; nothing else is started.

#include "fakes/mattermost/mattermost_fake.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/rng.h"

namespace mepsim::fakes::mattermost {
namespace {

using nlohmann::json;

class MattermostHook : public ::testing::Test {
 protected:
  void SetUp() override {
    MattermostFakeOptions options;
    options.control_clock = &clock_;
    options.messages_max = 3;
    fake_ = std::make_unique<MattermostFake>(Rng(7).fork("mattermost"), options);
    auto started = fake_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    client_ = std::make_unique<httplib::Client>(fake_->base_url());
  }

  std::string hook_path() const { return "/hooks/" + fake_->hook_id(); }
  httplib::Result post_json(const std::string& path, const std::string& body) {
    return client_->Post(path, body, "application/json");
  }
  // The AppError's id, or "" when the body is not one.
  static std::string error_id(const httplib::Result& res) {
    auto body = json::parse(res->body, nullptr, false);
    if (!body.is_object() || !body.contains("id")) return "";
    return body["id"].get<std::string>();
  }

  VirtualClock clock_{default_scenario_start()};
  std::unique_ptr<MattermostFake> fake_;
  std::unique_ptr<httplib::Client> client_;
};

TEST(MattermostIds, TwentySixLowercaseAlnum) {
  // Hook and request ids look like Mattermost's NewId(), and a seed gives the same one.
  Rng a(1), b(1);
  const auto id = new_mattermost_id(a);
  EXPECT_EQ(id.size(), 26u);
  EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
  EXPECT_EQ(id, new_mattermost_id(b));
}

TEST_F(MattermostHook, JsonPostIsOkAndKept) {
  // {"text",…} is answered 200 text/plain "ok"; the message keeps channel and username.
  auto res = post_json(hook_path(),
                       R"({"text":"# :rocket:  1.7.4","username":"mep-bot","channel":"dev"})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok");
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  const auto messages = fake_->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].text, "# :rocket:  1.7.4");
  EXPECT_EQ(messages[0].username, "mep-bot");
  EXPECT_EQ(messages[0].channel, "dev");
  EXPECT_EQ(messages[0].at, clock_.now());
}

TEST_F(MattermostHook, FormPayloadField) {
  // application/x-www-form-urlencoded with `payload` is read the same way; the default
  // channel applies when none is given.
  auto res = client_->Post(hook_path(), "payload=%7B%22text%22%3A%22hello+team%22%7D",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  ASSERT_EQ(fake_->messages().size(), 1u);
  EXPECT_EQ(fake_->messages()[0].text, "hello team");
  EXPECT_EQ(fake_->messages()[0].channel, "histologe-equipe");
}

TEST_F(MattermostHook, UnknownHookIsInvalidWebhook) {
  // Another id (well-formed or not) gets the real 400 AppError shape, and nothing is kept.
  auto res = post_json("/hooks/" + std::string(26, 'x'), R"({"text":"hi"})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  const auto body = json::parse(res->body);
  EXPECT_EQ(body["id"], "web.incoming_webhook.invalid.app_error");
  EXPECT_EQ(body["message"], "Invalid webhook.");
  EXPECT_EQ(body["detailed_error"], "");
  EXPECT_EQ(body["status_code"], 400);
  EXPECT_EQ(body["request_id"].get<std::string>().size(), 26u);
  auto short_id = post_json("/hooks/abc", R"({"text":"hi"})");
  ASSERT_TRUE(short_id);
  EXPECT_EQ(error_id(short_id), "web.incoming_webhook.invalid.app_error");
  EXPECT_TRUE(fake_->messages().empty());
}

TEST_F(MattermostHook, EmptyTextAndBadBodies) {
  // No text nor attachments, a body that is not JSON, a text of the wrong type: 400s.
  auto empty = post_json(hook_path(), R"({"text":""})");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_EQ(error_id(empty), "web.incoming_webhook.text.app_error");
  auto garbage = post_json(hook_path(), "{text:");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_EQ(error_id(garbage), "web.incoming_webhook.decode.app_error");
  auto wrong_type = post_json(hook_path(), R"({"text":42})");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 400);
  auto no_payload = client_->Post(hook_path(), "text=hi", "application/x-www-form-urlencoded");
  ASSERT_TRUE(no_payload);
  EXPECT_EQ(no_payload->status, 400);
  EXPECT_TRUE(fake_->messages().empty());
  // Attachments alone are a post.
  auto attachments = post_json(hook_path(), R"({"attachments":[{"text":"note"}]})");
  ASSERT_TRUE(attachments);
  EXPECT_EQ(attachments->status, 200);
  ASSERT_EQ(fake_->messages().size(), 1u);
  EXPECT_EQ(fake_->messages()[0].attachments, 1u);
}

TEST_F(MattermostHook, MessagesAreBounded) {
  // Past messages_max (3 here) the oldest go first and are counted.
  for (int i = 1; i <= 5; ++i) {
    auto res = post_json(hook_path(), json{{"text", "note " + std::to_string(i)}}.dump());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
  }
  const auto messages = fake_->messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages.front().text, "note 3");
  EXPECT_EQ(messages.front().seq, 3u);
  EXPECT_EQ(fake_->dropped_count(), 2u);
}

TEST_F(MattermostHook, AdminListingAndRedactedJournal) {
  // /_mepsim/messages lists the posts; the journal never shows the hook id (a capability).
  ASSERT_EQ(post_json(hook_path(), R"({"text":"release 1.7.4","props":{"a":1},"x":1})")->status,
            200);
  auto listing = client_->Get("/_mepsim/messages");
  ASSERT_TRUE(listing);
  ASSERT_EQ(listing->status, 200);
  const auto body = json::parse(listing->body);
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["text"], "release 1.7.4");
  bool noted_unknown = false;
  for (const auto& entry : fake_->journal().entries()) {
    EXPECT_EQ(entry.path.find(fake_->hook_id()), std::string::npos) << entry.path;
    for (const auto& note : entry.notes) noted_unknown = noted_unknown || note == "unknown field x";
  }
  EXPECT_TRUE(noted_unknown);
  EXPECT_EQ(fake_->webhook_url(), fake_->base_url() + "/hooks/" + fake_->hook_id());
}

}  // namespace
}  // namespace mepsim::fakes::mattermost
