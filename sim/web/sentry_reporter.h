#pragma once
// Unhandled errors to Sentry, as the PHP SDK sends them: one envelope per event, on a
// thread of its own so that a request never waits for Sentry (FACTS.md "Sentry ingestion").

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::web {

// DSN "http://<key>@<host>:<port>/<project_id>" (FACTS.md "Sentry ingestion"): key \w+,
// project id digits, port 80 when absent; errors name the part at fault, never the key.
struct SentryDsn {
  std::string public_key;
  std::string host;
  std::uint16_t port = 0;
  std::string project_id;
};
Result<SentryDsn> parse_sentry_dsn(const std::string& dsn);

struct SentryFrame {
  std::string filename;  // "src/Controller/Back/BackOfficeController.php"
  std::string function;  // "App\\Controller\\Back\\BackOfficeController::index"
};

struct SentryEvent {
  std::string event_id;  // 32 hex digits
  std::string level = "error";
  std::string exception_type;  // "Doctrine\\DBAL\\Exception\\ConnectionException"
  std::string exception_value;
  std::string transaction;  // the route, "/bo"
  std::string release;      // APP_VERSION
  std::string environment;  // SENTRY_ENVIRONMENT
  Instant timestamp{};
  std::map<std::string, std::string> tags;
  // Innermost last, as Sentry orders them; none: one frame for the front controller.
  std::vector<SentryFrame> frames;
  std::string server_name = "mepsim-web";
};

// Builds the envelope of one event item: header line with event_id, dsn and sent_at, an
// item header with type and length, the event JSON (platform "php", sdk
// sentry.php.symfony).
std::string sentry_envelope(const SentryEvent& event, const SentryDsn& dsn);

// Sends events on a thread of its own so that a request never waits for Sentry. The queue
// is bounded: past `queue_max` events an event is dropped and counted, as the SDK does.
// Sent means a 2xx; any other answer, or none, counts as failed and is not retried.
class SentryReporter {
 public:
  SentryReporter(std::optional<SentryDsn> dsn, Duration timeout, std::size_t queue_max = 256);
  ~SentryReporter();  // sends what is queued (each bounded by the timeout), then stops
  SentryReporter(const SentryReporter&) = delete;
  SentryReporter& operator=(const SentryReporter&) = delete;
  bool enabled() const { return dsn_.has_value(); }
  void capture(SentryEvent event);
  std::uint64_t sent() const;
  std::uint64_t failed() const;   // refused, unanswered or answered other than 2xx
  std::uint64_t dropped() const;  // queue full
  // Why the latest failed send failed (no key in it); empty while none has.
  std::string last_error() const;
  // Blocks until the queue is empty or `timeout` passes; true when it emptied.
  bool flush(Duration timeout);

 private:
  void run();
  bool post(const SentryEvent& event);  // true on 2xx; records last_error_ otherwise
  std::optional<SentryDsn> dsn_;
  Duration timeout_;
  std::size_t queue_max_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<SentryEvent> queue_;
  bool in_flight_ = false;
  bool stopping_ = false;
  std::uint64_t sent_ = 0, failed_ = 0, dropped_ = 0;
  std::string last_error_;
  std::thread thread_;  // last: started once everything above is built
};

}  // namespace mepsim::web
