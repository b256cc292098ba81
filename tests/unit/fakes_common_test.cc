// Unit tests of the fakes' shared pieces: base64 and HMAC (fakes/common/hmac.h), HS256
// JWTs (fakes/scalingo/jwt.h), strict JSON bodies (fakes/common/json_fields.h) and the
// bounded, secret-free request journal (fakes/common/request_journal.h).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "fakes/common/hmac.h"
#include "fakes/common/json_fields.h"
#include "fakes/common/request_journal.h"
#include "fakes/scalingo/jwt.h"
#include "sim/core/clock.h"

namespace mepsim::fakes {
namespace {

TEST(FakesHmac, Base64RoundTripsInBothAlphabets) {
  // Every length mod 3, bytes that hit '+' and '/' (or '-' and '_').
  for (const std::string& bytes :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\xfb\xff\xfe", 3)}) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
    EXPECT_EQ(base64_decode(base64url_encode(bytes)), bytes);
  }
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64_decode("Zm9v!"), std::nullopt);
  EXPECT_EQ(base64_decode("Z"), std::nullopt);
}

TEST(FakesHmac, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

TEST(ScalingoJwt, VerifiesWhatItSignsUntilExp) {
  // A token is good before `exp`, refused at and after it, and under another secret.
  const Instant now = default_scenario_start();
  const std::int64_t exp = scalingo::unix_seconds(now) + 3600;
  const std::string token = scalingo::sign_jwt_hs256({{"uuid", "us-1"}, {"exp", exp}}, "k");
  const auto claims = scalingo::verify_jwt_hs256(token, "k", now);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims.value()["uuid"], "us-1");
  EXPECT_EQ(scalingo::verify_jwt_hs256(token, "other", now).error().message,
            "invalid token signature");
  EXPECT_EQ(scalingo::verify_jwt_hs256(token, "k", now + std::chrono::hours(1)).error().message,
            "token expired");
  EXPECT_FALSE(scalingo::verify_jwt_hs256("a.b", "k", now).ok());
  const std::string unsigned_token = scalingo::sign_jwt_hs256({{"uuid", "us-1"}}, "k");
  EXPECT_EQ(scalingo::verify_jwt_hs256(unsigned_token, "k", now).error().message,
            "token has no exp");
}

TEST(FakesJsonFields, ParsesObjectsAndRefusesTheRest) {
  // Empty is {}, malformed names its position, a non-object is refused.
  EXPECT_EQ(parse_json_object("  ").value(), nlohmann::json::object());
  const auto bad = parse_json_object("{\"a\":");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("line 1, column"), std::string::npos);
  EXPECT_FALSE(parse_json_object("[1]").ok());
}

TEST(FakesJsonFields, ReaderChecksTypesAndNotesUnknownFields) {
  // Each wrong type is one error under the field's name; unread keys become notes.
  const auto body = nlohmann::json::parse(
      R"({"name":"A","amount":"3","flag":true,"env":{"K":"v"},"gone":null,"x":1,"y":2})");
  FieldErrors errors;
  std::vector<std::string> notes;
  JsonObjectReader reader(body, "variable", errors);
  EXPECT_EQ(reader.string("name", Presence::required), "A");
  EXPECT_EQ(reader.integer("amount", Presence::optional), std::nullopt);
  EXPECT_EQ(reader.boolean("flag", Presence::optional), true);
  EXPECT_EQ(reader.string_map("env", Presence::optional)->at("K"), "v");
  EXPECT_EQ(reader.string("gone", Presence::required), std::nullopt);
  EXPECT_EQ(reader.string("value", Presence::optional), std::nullopt);
  reader.ignore("x", notes);
  reader.note_unknown(notes);
  EXPECT_EQ(errors.to_json(), nlohmann::json::parse(R"({"errors":{"amount":["must be an integer"],)"
                                                    R"("gone":["can't be blank"]}})"));
  EXPECT_EQ(notes, (std::vector<std::string>{"field variable.x accepted but not modelled",
                                             "unknown field variable.y"}));
}

TEST(FakesRequestJournal, KeepsTheLastEntriesUpToItsCapacity) {
  // The ring drops the oldest first and counts what it dropped.
  RequestJournal journal(2);
  for (int i = 0; i < 3; ++i) journal.record({0, {}, "GET", "/" + std::to_string(i), 200, 0, {}});
  const auto entries = journal.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, "/1");
  EXPECT_EQ(entries[0].seq, 2u);
  EXPECT_EQ(journal.dropped_count(), 1u);
  EXPECT_EQ(journal.recorded_count(), 3u);
}

TEST(FakesRequestJournal, BoundsNotesAndRedactsSecretQueryValues) {
  // Many or long notes are cut; a query value under a secret-looking key never gets in.
  RequestJournal journal;
  std::vector<std::string> notes(RequestJournal::kNotesPerEntryMax + 5, std::string(500, 'n'));
  journal.record({0, {}, "GET", "/", 200, 0, notes});
  const auto entry = journal.entries().at(0);
  EXPECT_EQ(entry.notes.size(), RequestJournal::kNotesPerEntryMax);
  EXPECT_EQ(entry.notes[0].size(), RequestJournal::kNoteBytesMax);
  EXPECT_EQ(entry.notes.back(), "6 more notes left out");
  EXPECT_EQ(journal_target("/x", {{"page", "2"}, {"api_token", "s"}, {"sentry_key", "k"}}),
            "/x?page=2&api_token=[redacted]&sentry_key=[redacted]");
}

}  // namespace
}  // namespace mepsim::fakes
