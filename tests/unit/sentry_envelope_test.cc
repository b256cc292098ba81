// Unit tests of the Sentry fake's pure readers: the envelope parser (items with and
// without length, every malformed shape refused with its reason and byte), request body
// inflation (gzip, deflate, bombs, corruption), the three auth forms' key extraction, and
// how an event payload becomes an issue's title, culprit and grouping key.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "fakes/sentry/body_encoding.h"
#include "fakes/sentry/envelope.h"
#include "fakes/sentry/event_summary.h"
#include "fakes/sentry/sentry_auth.h"
#include "tests/unit/zlib_compress.h"

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

using mepsim::testing::gzip;

TEST(SentryEnvelope, ItemsWithoutLengthEndAtNewlineOrEnd) {
  // What @sentry/node writes: no length on JSON items, no trailing newline.
  const std::string bytes =
      R"({"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2026-11-26T10:00:00Z"})"
      "\n"
      R"({"type":"event"})"
      "\n"
      R"({"message":"hello"})"
      "\n"
      R"({"type":"client_report"})"
      "\n"
      R"({"discarded_events":[]})";
  const auto envelope = parse_envelope(bytes);
  ASSERT_TRUE(envelope.ok()) << envelope.error().message;
  ASSERT_EQ(envelope->items.size(), 2u);
  EXPECT_EQ(envelope->items[0].type, "event");
  EXPECT_EQ(envelope->items[0].payload, R"({"message":"hello"})");
  EXPECT_EQ(envelope->items[1].type, "client_report");
  EXPECT_EQ(envelope->items[1].payload, R"({"discarded_events":[]})");
  EXPECT_EQ(envelope->header["event_id"], "9ec79c33ec9942ab8353589fcb2e04dc");
}

TEST(SentryEnvelope, ItemsWithLengthTakeExactlyThatManyBytes) {
  // An attachment may hold newlines; its length says where it ends.
  const std::string bytes =
      "{}\n"
      R"({"type":"attachment","length":7,"filename":"a.txt"})"
      "\nab\ncd\n\n\n"
      R"({"type":"event","length":2})"
      "\n{}\n";
  const auto envelope = parse_envelope(bytes);
  ASSERT_TRUE(envelope.ok()) << envelope.error().message;
  ASSERT_EQ(envelope->items.size(), 2u);
  EXPECT_EQ(envelope->items[0].payload, "ab\ncd\n\n");
  EXPECT_EQ(envelope->items[1].payload, "{}");
}

TEST(SentryEnvelope, HeaderOnlyAndEmptyPayloadsAreValid) {
  // An envelope with no items, and an item with an empty payload, are both in the spec.
  ASSERT_TRUE(parse_envelope("{}").ok());
  ASSERT_TRUE(parse_envelope("{}\n").ok());
  const auto envelope = parse_envelope("{}\n{\"type\":\"attachment\",\"length\":0}");
  ASSERT_TRUE(envelope.ok()) << envelope.error().message;
  ASSERT_EQ(envelope->items.size(), 1u);
  EXPECT_EQ(envelope->items[0].payload, "");
}

struct MalformedCase {
  const char* name;
  std::string bytes;
  std::string reason;  // a part of the message
};

class SentryEnvelopeMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(SentryEnvelopeMalformed, IsRefusedWithReasonAndOffset) {
  const auto& c = GetParam();
  const auto envelope = parse_envelope(c.bytes);
  ASSERT_FALSE(envelope.ok());
  EXPECT_EQ(envelope.error().code, ErrorCode::invalid_input);
  EXPECT_NE(envelope.error().message.find(c.reason), std::string::npos) << envelope.error().message;
  EXPECT_EQ(envelope.error().message.rfind("at byte ", 0), 0u) << envelope.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SentryEnvelopeMalformed,
    ::testing::Values(
        MalformedCase{"Empty", "", "empty envelope"},
        MalformedCase{"HeaderNotJson", "{nope\n", "envelope header is not valid JSON"},
        MalformedCase{"HeaderNotObject", "[1]\n", "envelope header is not an object"},
        MalformedCase{"ItemHeaderNotJson", "{}\n{\"type\":\n{}", "item header is not valid JSON"},
        MalformedCase{"ItemWithoutType", "{}\n{\"length\":2}\n{}", "no \"type\""},
        MalformedCase{"TypeNotString", "{}\n{\"type\":3}\n{}", "no \"type\""},
        MalformedCase{"NegativeLength", "{}\n{\"type\":\"event\",\"length\":-1}\n{}",
                      "not a non-negative integer"},
        MalformedCase{"LengthNotNumber", "{}\n{\"type\":\"event\",\"length\":\"2\"}\n{}",
                      "not a non-negative integer"},
        MalformedCase{"TruncatedItem", "{}\n{\"type\":\"event\",\"length\":100}\n{}",
                      "at byte 33: the event item's payload is truncated: length 100 but 2"},
        MalformedCase{"LengthTooShort", "{}\n{\"type\":\"event\",\"length\":1}\n{}",
                      "longer than its length 1"},
        MalformedCase{"BlankLineBetweenItems", "{}\n{\"type\":\"event\"}\n{}\n\n{\"type\":\"x\"}",
                      "at byte 23: empty item header"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(SentryEnvelope, LimitsOnItemsAndBytesAreCapacityErrors) {
  // Bounds are stated: more items or bytes than allowed is a 413, not a 400.
  std::string bytes = "{}";
  for (int i = 0; i < 5; ++i) bytes += "\n{\"type\":\"event\"}\n{}";
  EnvelopeLimits limits;
  limits.items_max = 4;
  const auto too_many = parse_envelope(bytes, limits);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::capacity);
  limits = {};
  limits.bytes_max = 10;
  const auto too_big = parse_envelope(bytes, limits);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, ErrorCode::capacity);
}

TEST(SentryEnvelope, CategoriesFollowRelay) {
  // Rate limits and client reports count items by these names.
  EXPECT_EQ(item_category("event"), "error");
  EXPECT_EQ(item_category("transaction"), "transaction");
  EXPECT_EQ(item_category("session"), "session");
  EXPECT_EQ(item_category("sessions"), "session");
  EXPECT_EQ(item_category("attachment"), "attachment");
  EXPECT_EQ(item_category("client_report"), "internal");
  EXPECT_EQ(item_category("profile"), "default");
}

TEST(SentryBody, GzipAndDeflateInflate) {
  // Both encodings SDKs use, from zlib's own encoder.
  const std::string text(100'000, 'x');
  const auto from_gzip = decode_body(gzip(text), "gzip", 1 << 20);
  ASSERT_TRUE(from_gzip.ok()) << from_gzip.error().message;
  EXPECT_EQ(*from_gzip, text);
  const auto from_deflate =
      decode_body(mepsim::testing::zlib_compress(text, 15), "deflate", 1 << 20);
  ASSERT_TRUE(from_deflate.ok()) << from_deflate.error().message;
  EXPECT_EQ(*from_deflate, text);
  EXPECT_TRUE(looks_gzip(gzip(text)));
  EXPECT_TRUE(looks_zlib(mepsim::testing::zlib_compress(text, 15)));
  EXPECT_FALSE(looks_gzip(text));
  EXPECT_FALSE(looks_zlib("{\"a\":1}"));
}

TEST(SentryBody, ZipBombStopsAtTheBound) {
  // 64 MiB of zeros compress to ~64 KiB; inflation stops at the bound, a capacity error.
  const std::string bomb = gzip(std::string(64 << 20, '\0'));
  ASSERT_LT(bomb.size(), 1u << 20);
  const auto inflated = decode_body(bomb, "gzip", 1 << 20);
  ASSERT_FALSE(inflated.ok());
  EXPECT_EQ(inflated.error().code, ErrorCode::capacity);
}

TEST(SentryBody, CorruptTruncatedAndUnknownAreRefused) {
  // Bad gzip is the client's error, named; never a crash.
  std::string good = gzip(std::string(1000, 'a'));
  const auto truncated = decode_body(good.substr(0, good.size() / 2), "gzip", 1 << 20);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos);
  std::string corrupt = good;
  corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
  corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
  EXPECT_FALSE(decode_body(corrupt, "gzip", 1 << 20).ok());
  EXPECT_FALSE(decode_body("not gzip at all", "gzip", 1 << 20).ok());
  EXPECT_FALSE(decode_body(good + "trailing", "gzip", 1 << 20).ok());
  const auto unknown = decode_body("x", "compress", 1 << 20);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("not supported"), std::string::npos);
  EXPECT_EQ(*decode_body("plain", "identity", 10), "plain");
  EXPECT_FALSE(decode_body("too long for it", "", 4).ok());
}

TEST(SentryAuth, KeyFromHeaderQueryFormAndDsn) {
  // The three places a key may be, as the PHP SDK, @sentry/node and envelopes put it.
  EXPECT_EQ(key_from_auth_header(
                "Sentry sentry_version=7, sentry_key=abc123, sentry_client=sentry.php/4.0"),
            "abc123");
  EXPECT_EQ(key_from_auth_header("Sentry sentry_key=k,sentry_version=7"), "k");
  EXPECT_EQ(key_from_auth_header("Bearer abc"), std::nullopt);
  EXPECT_EQ(key_from_auth_header("Sentry sentry_version=7"), std::nullopt);
  EXPECT_EQ(key_from_auth_header("Sentry sentry_key="), std::nullopt);
  const auto dsn = key_from_dsn("http://abc_1@127.0.0.1:9000/42");
  ASSERT_TRUE(dsn.has_value());
  EXPECT_EQ(dsn->public_key, "abc_1");
  EXPECT_EQ(dsn->project_id, "42");
  EXPECT_EQ(key_from_dsn("https://k:secret@o1.ingest.sentry.io/prefix/7/")->project_id, "7");
  EXPECT_FALSE(key_from_dsn("http://127.0.0.1:9000/42").has_value());
  EXPECT_FALSE(key_from_dsn("http://k@host/notdigits").has_value());
  EXPECT_FALSE(key_from_dsn("nonsense").has_value());
}

json exception_event(const std::string& type, const std::string& value,
                     const std::string& function) {
  return {{"event_id", "9ec79c33ec9942ab8353589fcb2e04dc"},
          {"level", "error"},
          {"release", "1.7.4"},
          {"environment", "production"},
          {"platform", "node"},
          {"exception",
           {{"values",
             {{{"type", type},
               {"value", value},
               {"stacktrace",
                {{"frames",
                  {{{"function", "Module._compile"}, {"in_app", false}},
                   {{"function", function}, {"module", "app"}, {"in_app", true}},
                   {{"function", "lib"}, {"in_app", false}}}}}}}}}}}};
}

TEST(SentryEventSummary, ExceptionTitleCulpritAndGroup) {
  // "TypeError: x is undefined", culprit the innermost in-app frame; same type and frame,
  // other value: same group, as Sentry groups by stack, not by message.
  const auto a = summarize_event(exception_event("TypeError", "x is undefined", "handler"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->title, "TypeError: x is undefined");
  EXPECT_EQ(a->culprit, "handler");
  EXPECT_EQ(a->release, "1.7.4");
  EXPECT_EQ(a->environment, "production");
  const auto b = summarize_event(exception_event("TypeError", "y is undefined", "handler"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->group_key, b->group_key);
  const auto c = summarize_event(exception_event("TypeError", "x is undefined", "other"));
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->group_key, c->group_key);
  const auto d = summarize_event(exception_event("RangeError", "x is undefined", "handler"));
  ASSERT_TRUE(d.ok());
  EXPECT_NE(a->group_key, d->group_key);
}

TEST(SentryEventSummary, FingerprintWinsAndMessagesGroupByText) {
  // A fingerprint overrides the default grouping; a message event groups by its message.
  json with_fp = exception_event("TypeError", "x", "handler");
  with_fp["fingerprint"] = {"database-down"};
  json other_fp = exception_event("RangeError", "y", "elsewhere");
  other_fp["fingerprint"] = {"database-down"};
  EXPECT_EQ(summarize_event(with_fp)->group_key, summarize_event(other_fp)->group_key);
  json default_fp = exception_event("TypeError", "x", "handler");
  default_fp["fingerprint"] = {"{{ default }}"};
  EXPECT_EQ(summarize_event(default_fp)->group_key,
            summarize_event(exception_event("TypeError", "x", "handler"))->group_key);
  const auto m1 = summarize_event({{"message", "Deploy started\nmore"}, {"level", "info"}});
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(m1->title, "Deploy started");
  EXPECT_EQ(m1->level, "info");
  const auto m2 = summarize_event({{"logentry", {{"formatted", "Deploy started\nmore"}}}});
  EXPECT_EQ(m1->group_key, m2->group_key);
  EXPECT_EQ(summarize_event(json::object())->title, "<unlabeled event>");
}

TEST(SentryEventSummary, SyntheticExceptionIsTitledByItsMessage) {
  // @sentry/node's captureMessage attaches a stack as a typeless, synthetic exception:
  // Sentry shows the message, not "Error: …".
  json event = {
      {"message", "Mise en production"},
      {"exception",
       {{"values",
         {{{"value", "Mise en production"},
           {"mechanism", {{"type", "generic"}, {"synthetic", true}}},
           {"stacktrace", {{"frames", {{{"function", "deploy"}, {"in_app", true}}}}}}}}}}}};
  const auto summary = summarize_event(event);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->title, "Mise en production");
  EXPECT_EQ(summary->culprit, "deploy");
}

TEST(SentryEventSummary, WrongTypesAreNamed) {
  // A payload that is not an event, or a field of the wrong type, is refused by name.
  EXPECT_FALSE(summarize_event(json::array()).ok());
  const auto bad = summarize_event({{"release", 174}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("release"), std::string::npos);
}

}  // namespace
}  // namespace mepsim::fakes::sentry
