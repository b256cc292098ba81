#pragma once
// The run's timeline: structured events (component, name, fields) in publication order.
// Reports are built from it, never from text. The fingerprint is a SHA-256 over the
// control-plane events only, so that real-time data-plane noise (ports, pids,
// latencies) does not change it: the same seed gives the same fingerprint.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim {

enum class Plane { control, data };

struct Field {
  std::string key;
  std::string value;
};

struct Event {
  std::uint64_t seq = 0;  // 1, 2, 3… over the whole run, retained or not
  Instant at{};
  Plane plane = Plane::control;
  std::string component;  // "platform", "datastore", "github"…
  std::string name;       // "deployment.status", "mariadb.ready"…
  std::vector<Field> fields;

  // The value of `key`, or "" when the event has no such field.
  const std::string& field(std::string_view key) const;
};

// `text` cut to at most `bytes_max` bytes, on a UTF-8 character boundary: for field values
// that come from the outside (a release note, a message) and must stay bounded without
// breaking the JSON reports are written as.
std::string cut_utf8(std::string_view text, std::size_t bytes_max);

class EventLog {
 public:
  // A run keeps its last 200k events in memory (about 40 MB at worst); the fingerprint
  // still covers every control-plane event ever published.
  static constexpr std::size_t kDefaultRetained = 200'000;

  explicit EventLog(std::size_t retained_max = kDefaultRetained);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Values of secret-looking fields (password, token, secret, key, dsn…) are replaced
  // by "[redacted]" here, before anything can read, print or hash them.
  void publish(Instant at, Plane plane, std::string component, std::string name,
               std::vector<Field> fields = {});

  // Hex SHA-256 of the control-plane events published so far.
  std::string fingerprint() const;
  std::vector<Event> retained() const;
  // The retained events with seq > `after`, oldest first, at most `count_max` of them: what
  // a reader following the log (the dashboard) has not seen yet, without copying it all.
  std::vector<Event> retained_after(std::uint64_t after, std::size_t count_max) const;
  std::uint64_t published_count() const;
  std::uint64_t dropped_count() const;

  static bool is_secret_key(std::string_view key);

 private:
  struct Digest;
  mutable std::mutex mutex_;
  std::size_t retained_max_;
  std::deque<Event> events_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t dropped_ = 0;
  std::unique_ptr<Digest> digest_;
};

}  // namespace mepsim
