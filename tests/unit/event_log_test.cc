// Unit tests of sim/core/event_log.h: sequence numbers, the retained bound, the
// control-plane fingerprint and the redaction of secret-looking fields.

#include "sim/core/event_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim {
namespace {

using std::chrono::seconds;

// SHA-256 of zero bytes.
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Instant at_s(int s) {
  return default_scenario_start() + seconds(s);
}

void publish_step(EventLog& log, int i) {
  log.publish(at_s(i), Plane::control, "platform", "deployment.status",
              {{"step", std::to_string(i)}, {"status", "building"}});
}

void publish_noise(EventLog& log, int i, std::string_view port) {
  log.publish(at_s(i), Plane::data, "web", "request",
              {{"port", std::string(port)}, {"latency_ms", std::to_string(i * 7)}});
}

TEST(EventLog, EmptyLogFingerprintIsSha256OfNothing) {
  // A log with no events has the fingerprint sha256("").
  const EventLog log;
  EXPECT_EQ(log.fingerprint(), kEmptySha256);
  EXPECT_EQ(log.published_count(), 0u);
  EXPECT_EQ(log.dropped_count(), 0u);
  EXPECT_TRUE(log.retained().empty());
}

TEST(EventLog, SeqNumbersStartAtOneAndIncrease) {
  // Events get seq 1, 2, 3… in publication order, over both planes.
  EventLog log;
  publish_step(log, 0);
  publish_noise(log, 1, "8080");
  publish_step(log, 2);
  const auto events = log.retained();
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, i + 1);
  EXPECT_EQ(events[1].plane, Plane::data);
  EXPECT_EQ(events[1].component, "web");
  EXPECT_EQ(events[1].name, "request");
  EXPECT_EQ(events[1].at, at_s(1));
  EXPECT_EQ(log.published_count(), 3u);
}

TEST(EventLog, EventFieldReturnsValueOrEmpty) {
  // Event::field finds a field by key and gives "" for a key the event lacks.
  EventLog log;
  log.publish(at_s(0), Plane::control, "datastore", "mariadb.ready",
              {{"port", "33061"}, {"version", "10.11"}});
  const auto events = log.retained();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].field("port"), "33061");
  EXPECT_EQ(events[0].field("version"), "10.11");
  EXPECT_EQ(events[0].field("missing"), "");
}

TEST(EventLog, RetainedBoundDropsOldestAndCounts) {
  // Past the retained bound the oldest events go, and dropped_count says how many.
  EventLog log(3);
  for (int i = 0; i < 5; ++i) publish_step(log, i);
  const auto events = log.retained();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].seq, 3u);
  EXPECT_EQ(events[1].seq, 4u);
  EXPECT_EQ(events[2].seq, 5u);
  EXPECT_EQ(events[0].field("step"), "2");
  EXPECT_EQ(log.published_count(), 5u);
  EXPECT_EQ(log.dropped_count(), 2u);
}

TEST(EventLog, RetainedAfterGivesWhatFollowsASeqBounded) {
  // A reader following the log gets the events after the last seq it saw, at most the
  // count it asks for, and only what is still retained.
  EventLog log(3);
  for (int i = 0; i < 5; ++i) publish_step(log, i);  // seqs 1..5; 3, 4, 5 retained
  const auto all = log.retained_after(0, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().seq, 3u);
  const auto after_three = log.retained_after(3, 10);
  ASSERT_EQ(after_three.size(), 2u);
  EXPECT_EQ(after_three.front().seq, 4u);
  const auto one = log.retained_after(3, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.front().seq, 4u);
  EXPECT_TRUE(log.retained_after(5, 10).empty());
  EXPECT_TRUE(log.retained_after(9, 10).empty());
}

TEST(EventLog, FingerprintCoversDroppedEvents) {
  // The fingerprint covers every control-plane event, including those no longer retained.
  EventLog small(2);
  EventLog large;
  for (int i = 0; i < 6; ++i) {
    publish_step(small, i);
    publish_step(large, i);
  }
  EXPECT_EQ(small.dropped_count(), 4u);
  EXPECT_EQ(small.fingerprint(), large.fingerprint());

  // Same retained tail, different dropped head: the fingerprints differ.
  EventLog other(2);
  for (int i = 1; i < 6; ++i) publish_step(other, i);
  EXPECT_NE(other.fingerprint(), small.fingerprint());
}

TEST(EventLog, DataPlaneEventsLeaveFingerprintUnchanged) {
  // Data-plane events (ports, latencies) never change the fingerprint, wherever they fall.
  EventLog quiet;
  publish_step(quiet, 0);
  publish_step(quiet, 1);

  EventLog noisy;
  publish_noise(noisy, 0, "40001");
  publish_step(noisy, 0);
  publish_noise(noisy, 1, "40002");
  publish_noise(noisy, 2, "40003");
  publish_step(noisy, 1);
  publish_noise(noisy, 3, "40004");

  EXPECT_EQ(noisy.fingerprint(), quiet.fingerprint());

  EventLog only_noise;
  publish_noise(only_noise, 0, "1");
  EXPECT_EQ(only_noise.fingerprint(), kEmptySha256);
}

TEST(EventLog, ControlPlaneEventChangesFingerprint) {
  // Each control-plane event changes the fingerprint.
  EventLog log;
  const std::string empty = log.fingerprint();
  publish_step(log, 0);
  const std::string one = log.fingerprint();
  publish_step(log, 1);
  const std::string two = log.fingerprint();
  EXPECT_NE(one, empty);
  EXPECT_NE(two, one);
  EXPECT_NE(two, empty);
  EXPECT_EQ(two.size(), 64u);
}

TEST(EventLog, FingerprintReadDoesNotDisturbDigest) {
  // Reading the fingerprint midway leaves the final fingerprint unchanged.
  EventLog read_midway;
  EventLog read_at_end;
  publish_step(read_midway, 0);
  EXPECT_EQ(read_midway.fingerprint(), read_midway.fingerprint());
  publish_step(read_midway, 1);
  publish_step(read_at_end, 0);
  publish_step(read_at_end, 1);
  EXPECT_EQ(read_midway.fingerprint(), read_at_end.fingerprint());
}

TEST(EventLog, FingerprintCoversEveryPart) {
  // Time, component, name, field key and field value each take part in the fingerprint.
  const auto fingerprint_of = [](Instant at, std::string component, std::string name,
                                 std::vector<Field> fields) {
    EventLog log;
    log.publish(at, Plane::control, std::move(component), std::move(name), std::move(fields));
    return log.fingerprint();
  };
  const std::string base = fingerprint_of(at_s(0), "platform", "deploy", {{"app", "shop"}});
  EXPECT_EQ(fingerprint_of(at_s(0), "platform", "deploy", {{"app", "shop"}}), base);
  EXPECT_NE(fingerprint_of(at_s(1), "platform", "deploy", {{"app", "shop"}}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "github", "deploy", {{"app", "shop"}}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "platform", "restart", {{"app", "shop"}}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "platform", "deploy", {{"name", "shop"}}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "platform", "deploy", {{"app", "blog"}}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "platform", "deploy", {}), base);
  EXPECT_NE(fingerprint_of(at_s(0), "platform", "deploy", {{"app", "shop"}, {"x", ""}}), base);
}

TEST(EventLog, OrderMatters) {
  // The same control-plane events in another order give another fingerprint.
  EventLog forward;
  publish_step(forward, 0);
  forward.publish(at_s(0), Plane::control, "github", "push", {{"sha", "abc"}});
  EventLog backward;
  backward.publish(at_s(0), Plane::control, "github", "push", {{"sha", "abc"}});
  publish_step(backward, 0);
  EXPECT_NE(forward.fingerprint(), backward.fingerprint());
}

TEST(EventLog, FieldBoundariesMatter) {
  // Moving bytes across a boundary (("ab","c") vs ("a","bc")) changes the fingerprint.
  const auto fingerprint_of = [](std::string component, std::string name,
                                 std::vector<Field> fields) {
    EventLog log;
    log.publish(at_s(0), Plane::control, std::move(component), std::move(name), std::move(fields));
    return log.fingerprint();
  };
  EXPECT_NE(fingerprint_of("ab", "c", {}), fingerprint_of("a", "bc", {}));
  EXPECT_NE(fingerprint_of("x", "y", {{"ab", "c"}}), fingerprint_of("x", "y", {{"a", "bc"}}));
  EXPECT_NE(fingerprint_of("x", "y", {{"k", "ab"}, {"l", "c"}}),
            fingerprint_of("x", "y", {{"k", "a"}, {"l", "bc"}}));
  // One field "a"="" vs a name that swallowed it.
  EXPECT_NE(fingerprint_of("x", "ya", {}), fingerprint_of("x", "y", {{"a", ""}}));
}

TEST(EventLog, FingerprintGoldenValue) {
  // A fixed event has a fixed fingerprint: a change of the encoding would make the
  // fingerprints of old runs incomparable, so it must be a deliberate change of this value.
  // Cross-checked with Python: sha256 over le64(ns since epoch), then le64(length)+bytes of
  // component and name, le64(field count), and le64(length)+bytes of each key and value.
  EventLog log;
  log.publish(default_scenario_start(), Plane::control, "platform", "deployment.status",
              {{"status", "success"}});
  EXPECT_EQ(log.fingerprint(), "dea52d5e4b82f5ad4a1880ee41a59c375b069fe2375f21e890e6b683a99498c0");
}

TEST(EventLog, SecretLookingFieldsAreRedacted) {
  // Values of secret-looking fields are stored as "[redacted]"; others are kept as is.
  EventLog log;
  log.publish(at_s(0), Plane::control, "datastore", "configured",
              {{"password", "hunter2"},
               {"api_key", "ak-123"},
               {"SENTRY_DSN", "https://k@sentry.example/1"},
               {"token", "t-456"},
               {"cache_keys_count", "17"},
               {"monkey", "banana"},
               {"host", "127.0.0.1"}});
  const auto events = log.retained();
  ASSERT_EQ(events.size(), 1u);
  const Event& e = events[0];
  EXPECT_EQ(e.field("password"), "[redacted]");
  EXPECT_EQ(e.field("api_key"), "[redacted]");
  EXPECT_EQ(e.field("SENTRY_DSN"), "[redacted]");
  EXPECT_EQ(e.field("token"), "[redacted]");
  EXPECT_EQ(e.field("cache_keys_count"), "17");
  EXPECT_EQ(e.field("monkey"), "banana");
  EXPECT_EQ(e.field("host"), "127.0.0.1");
}

TEST(EventLog, RedactionHappensBeforeHashing) {
  // Two runs that differ only in a secret's value have the same fingerprint.
  EventLog a;
  a.publish(at_s(0), Plane::control, "datastore", "ready", {{"password", "first"}});
  EventLog b;
  b.publish(at_s(0), Plane::control, "datastore", "ready", {{"password", "second"}});
  EventLog c;
  c.publish(at_s(0), Plane::control, "datastore", "ready", {{"password", "[redacted]"}});
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.fingerprint(), c.fingerprint());
}

TEST(EventLog, IsSecretKeyMatchesSecretMarkers) {
  // Keys containing password, passwd, token, secret, dsn, cookie, authorization (any case)
  // and keys that are or end in "key" after '_' or '-', or end in "apikey", are secret.
  for (const char* key : {"password",
                          "PASSWORD",
                          "DB_PASSWORD",
                          "mysql_password_file",
                          "passwd",
                          "token",
                          "access_token",
                          "GITHUB_TOKEN",
                          "secret",
                          "client_secret",
                          "SECRET_KEY_BASE",
                          "dsn",
                          "SENTRY_DSN",
                          "cookie",
                          "Set-Cookie",
                          "authorization",
                          "Authorization",
                          "key",
                          "KEY",
                          "api_key",
                          "API_KEY",
                          "sentry-key",
                          "apikey",
                          "ApiKey",
                          "mapbox_apikey"}) {
    EXPECT_TRUE(EventLog::is_secret_key(key)) << key;
  }
}

TEST(EventLog, IsSecretKeyKeepsOrdinaryKeys) {
  // Ordinary keys, including ones that merely contain "key", are not secret.
  for (const char* key : {"cache_keys_count", "monkey", "keyboard", "keys", "key_count", "turkey",
                          "host", "port", "user", "status", "latency_ms", ""}) {
    EXPECT_FALSE(EventLog::is_secret_key(key)) << key;
  }
}

}  // namespace
}  // namespace mepsim
