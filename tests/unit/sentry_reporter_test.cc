// Unit tests of sim/web/sentry_reporter.h: SENTRY_DSN parsing, the envelope read back
// line by line, and the reporter's thread against an in-process ingestion imitation —
// delivery, drops when its bounded queue is full, failures, draining on destruction, and
// a missing DSN doing nothing.

#include "sim/web/sentry_reporter.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/unit/stub_http_peer.h"

namespace mepsim::web {
namespace {

using nlohmann::json;
using stub::header_of;
using stub::make_response;
using stub::StubHttpPeer;
namespace http = boost::beast::http;

constexpr const char* kDsnKey = "0123456789abcdef0123456789abcdef";
constexpr Duration kSentryTimeout = std::chrono::seconds(10);
constexpr Duration kWait = std::chrono::seconds(30);  // a bound on hangs, not a measurement

SentryDsn dsn_for(std::uint16_t port) {
  return SentryDsn{kDsnKey, "127.0.0.1", port, "42"};
}

SentryEvent sample_event(std::uint64_t n = 0) {
  SentryEvent event;
  event.event_id = fmt::format("{:032x}", 0xfeedu + n);
  event.exception_type = "Doctrine\\DBAL\\Exception\\ConnectionException";
  // Multi-byte and a newline: the length is in bytes and the payload stays on one line.
  event.exception_value = "SQLSTATE[HY000] [2002] Connexion refusée\nà 127.0.0.1:3306";
  event.transaction = "/bo";
  event.release = "1.7.4";
  event.environment = "prod";
  event.timestamp = default_scenario_start() + std::chrono::milliseconds(250);
  event.tags = {{"route", "back_index"}, {"maintenance", "0"}};
  event.frames = {{"public/index.php", "{main}"},
                  {"src/Controller/Back/BackOfficeController.php",
                   "App\\Controller\\Back\\BackOfficeController::index"}};
  return event;
}

// Envelope header, item header and payload: the lines of a one-item envelope.
struct Envelope {
  json header, item_header;
  std::string payload;
};

Envelope split_envelope(const std::string& text) {
  const auto first = text.find('\n');
  const auto second = text.find('\n', first + 1);
  EXPECT_NE(second, std::string::npos) << text;
  if (second == std::string::npos) return {};
  return {json::parse(text.substr(0, first), nullptr, false),
          json::parse(text.substr(first + 1, second - first - 1), nullptr, false),
          text.substr(second + 1)};
}

web::Response accepted(const Request& request) {
  const Envelope envelope = split_envelope(request.body());
  return make_response(http::status::ok,
                       json{{"id", envelope.header.value("event_id", "")}}.dump());
}

TEST(SentryDsn, ReadsKeyHostPortAndProject) {
  // The DSN the fake hands out, and the defaults of a DSN without a port.
  auto dsn = parse_sentry_dsn(std::string("http://") + kDsnKey + "@127.0.0.1:4013/42");
  ASSERT_TRUE(dsn.ok()) << dsn.error().message;
  EXPECT_EQ(dsn->public_key, kDsnKey);
  EXPECT_EQ(dsn->host, "127.0.0.1");
  EXPECT_EQ(dsn->port, 4013);
  EXPECT_EQ(dsn->project_id, "42");
  dsn = parse_sentry_dsn("http://abc_1@sentry.local/7");
  ASSERT_TRUE(dsn.ok()) << dsn.error().message;
  EXPECT_EQ(dsn->port, 80);
  EXPECT_EQ(dsn->project_id, "7");
}

TEST(SentryDsn, ErrorsNameThePartAndNeverTheKey) {
  // Each malformed DSN is invalid_input naming the scheme, key, host, port or project id.
  const std::string key = kDsnKey;
  const std::pair<std::string, const char*> cases[] = {
      {"https://" + key + "@o1.ingest.sentry.io/42", "scheme \"https\""},
      {"http://" + key + "-x@127.0.0.1:4013/42", "public key"},
      {"http://127.0.0.1:4013/42", "no public key"},
      {"http://" + key + "@:4013/42", "no host"},
      {"http://" + key + "@127.0.0.1:port/42", "port"},
      {"http://" + key + "@127.0.0.1:4013/project", "project id"},
      {"http://" + key + "@127.0.0.1:4013", "project id"},
      {"sentry", "not a DSN"},
  };
  for (const auto& [dsn, part] : cases) {
    const auto parsed = parse_sentry_dsn(dsn);
    ASSERT_FALSE(parsed.ok()) << dsn;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_NE(parsed.error().message.find(part), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.find(kDsnKey), std::string::npos) << parsed.error().message;
  }
}

TEST(SentryEnvelope, ReadsBackAsHeaderItemHeaderAndPayload) {
  // Three lines; the item's length is the payload's byte count; the event is PHP-shaped.
  const SentryEvent event = sample_event();
  const Envelope envelope = split_envelope(sentry_envelope(event, dsn_for(4013)));
  ASSERT_TRUE(envelope.header.is_object());
  EXPECT_EQ(envelope.header["event_id"], event.event_id);
  EXPECT_EQ(envelope.header["dsn"], std::string("http://") + kDsnKey + "@127.0.0.1:4013/42");
  EXPECT_EQ(envelope.header["sent_at"], "2026-01-05T08:00:00.250Z");
  EXPECT_EQ(envelope.header["sdk"]["name"], "sentry.php.symfony");

  ASSERT_TRUE(envelope.item_header.is_object());
  EXPECT_EQ(envelope.item_header["type"], "event");
  EXPECT_EQ(envelope.item_header["length"], envelope.payload.size());
  EXPECT_EQ(envelope.payload.find('\n'), std::string::npos);

  const json payload = json::parse(envelope.payload, nullptr, false);
  ASSERT_TRUE(payload.is_object()) << envelope.payload;
  EXPECT_EQ(payload["event_id"], event.event_id);
  EXPECT_DOUBLE_EQ(payload["timestamp"].get<double>(), 1767600000.25);
  EXPECT_EQ(payload["platform"], "php");
  EXPECT_EQ(payload["level"], "error");
  EXPECT_EQ(payload["release"], "1.7.4");
  EXPECT_EQ(payload["environment"], "prod");
  EXPECT_EQ(payload["transaction"], "/bo");
  EXPECT_EQ(payload["server_name"], "mepsim-web");
  EXPECT_EQ(payload["tags"], json({{"route", "back_index"}, {"maintenance", "0"}}));
  const json& exception = payload["exception"]["values"][0];
  EXPECT_EQ(exception["type"], event.exception_type);
  EXPECT_EQ(exception["value"], event.exception_value);
  const json& frames = exception["stacktrace"]["frames"];
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1]["filename"], "src/Controller/Back/BackOfficeController.php");
  EXPECT_EQ(frames[1]["function"], "App\\Controller\\Back\\BackOfficeController::index");
  EXPECT_EQ(frames[1]["in_app"], true);
}

TEST(SentryEnvelope, EventWithoutFramesOrReleaseStaysValid) {
  // One front-controller frame stands in for none; an empty release is left out.
  SentryEvent event = sample_event();
  event.frames.clear();
  event.release.clear();
  const Envelope envelope = split_envelope(sentry_envelope(event, dsn_for(4013)));
  const json payload = json::parse(envelope.payload, nullptr, false);
  ASSERT_TRUE(payload.is_object());
  EXPECT_FALSE(payload.contains("release"));
  EXPECT_EQ(payload["exception"]["values"][0]["stacktrace"]["frames"].size(), 1u);
}

TEST(SentryReporter, DeliversEveryEventToTheEnvelopeEndpoint) {
  // N captures are N POSTs to /api/42/envelope/, authenticated, one event each.
  StubHttpPeer sentry(accepted);
  constexpr std::uint64_t kEvents = 5;
  SentryReporter reporter(dsn_for(sentry.port()), kSentryTimeout);
  ASSERT_TRUE(reporter.enabled());
  for (std::uint64_t i = 0; i < kEvents; ++i) reporter.capture(sample_event(i));
  ASSERT_TRUE(reporter.flush(kWait));
  EXPECT_EQ(reporter.sent(), kEvents);
  EXPECT_EQ(reporter.failed(), 0u);
  EXPECT_EQ(reporter.dropped(), 0u);

  const auto requests = sentry.requests();
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kEvents));
  std::set<std::string> ids;
  for (const auto& request : requests) {
    EXPECT_EQ(request.method(), http::verb::post);
    EXPECT_EQ(request.target(), "/api/42/envelope/");
    EXPECT_EQ(header_of(request, "X-Sentry-Auth"),
              std::string("Sentry sentry_version=7, sentry_key=") + kDsnKey +
                  ", sentry_client=sentry.php/4.0");
    EXPECT_EQ(header_of(request, "Content-Type"), "application/x-sentry-envelope");
    ids.insert(split_envelope(request.body()).header.value("event_id", ""));
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents));
}

// A Sentry that holds the first request until released, so that the queue fills up.
class BlockingSentry {
 public:
  web::Response handle(const Request& request) {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait_for(lock, kWait, [this] { return released_; });
    return accepted(request);
  }
  bool wait_entered() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kWait, [this] { return entered_ > 0; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool released_ = false;
};

TEST(SentryReporter, CountsDropsWhenTheQueueIsFull) {
  // One event in flight and queue_max queued: every further capture is dropped and counted.
  BlockingSentry blocking;
  StubHttpPeer sentry([&blocking](const Request& request) { return blocking.handle(request); });
  SentryReporter reporter(dsn_for(sentry.port()), kSentryTimeout, /*queue_max=*/2);
  reporter.capture(sample_event(0));
  ASSERT_TRUE(blocking.wait_entered());
  for (std::uint64_t i = 1; i <= 5; ++i) reporter.capture(sample_event(i));
  EXPECT_EQ(reporter.dropped(), 3u);
  EXPECT_FALSE(reporter.flush(std::chrono::milliseconds(1)));  // still blocked
  blocking.release();
  ASSERT_TRUE(reporter.flush(kWait));
  EXPECT_EQ(reporter.sent(), 3u);
  EXPECT_EQ(reporter.failed(), 0u);
  EXPECT_EQ(sentry.requests().size(), 3u);
}

TEST(SentryReporter, CountsRefusalsSilenceAndErrorAnswersAsFailed) {
  // A refused port, a silent peer and a 429 are failures, with a reason that holds no key.
  SentryReporter refused(dsn_for(stub::refused_port()), kSentryTimeout);
  refused.capture(sample_event());
  ASSERT_TRUE(refused.flush(kWait));
  EXPECT_EQ(refused.failed(), 1u);
  EXPECT_EQ(refused.sent(), 0u);
  EXPECT_FALSE(refused.last_error().empty());
  EXPECT_EQ(refused.last_error().find(kDsnKey), std::string::npos) << refused.last_error();

  stub::SilentPeer silent;
  SentryReporter unanswered(dsn_for(silent.port()), std::chrono::milliseconds(200));
  unanswered.capture(sample_event());
  ASSERT_TRUE(unanswered.flush(kWait));
  EXPECT_EQ(unanswered.failed(), 1u);
  EXPECT_NE(unanswered.last_error().find("timed out"), std::string::npos)
      << unanswered.last_error();

  StubHttpPeer limited([](const Request&) {
    auto response = make_response(http::status::too_many_requests, "", "text/plain");
    response.set("Retry-After", "60");
    return response;
  });
  SentryReporter reporter(dsn_for(limited.port()), kSentryTimeout);
  reporter.capture(sample_event());
  ASSERT_TRUE(reporter.flush(kWait));
  EXPECT_EQ(reporter.failed(), 1u);
  EXPECT_NE(reporter.last_error().find("429"), std::string::npos) << reporter.last_error();
}

TEST(SentryReporter, DestructorSendsWhatIsQueued) {
  // Going away drains the queue first: nothing captured before is lost silently.
  StubHttpPeer sentry(accepted);
  {
    SentryReporter reporter(dsn_for(sentry.port()), kSentryTimeout);
    for (std::uint64_t i = 0; i < 3; ++i) reporter.capture(sample_event(i));
  }
  EXPECT_EQ(sentry.requests().size(), 3u);
}

TEST(SentryReporter, NoDsnDoesNothing) {
  // Disabled: captures are ignored, nothing is counted, flush returns at once.
  SentryReporter reporter(std::nullopt, kSentryTimeout);
  EXPECT_FALSE(reporter.enabled());
  reporter.capture(sample_event());
  EXPECT_TRUE(reporter.flush(std::chrono::milliseconds(0)));
  EXPECT_EQ(reporter.sent(), 0u);
  EXPECT_EQ(reporter.failed(), 0u);
  EXPECT_EQ(reporter.dropped(), 0u);
}

}  // namespace
}  // namespace mepsim::web
