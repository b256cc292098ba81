#pragma once
// What a fake was asked and what it answered, for reports and for tests that check a
// client's behaviour (a field the fake ignored, a route it does not know). Bounded: the
// oldest entries go first. Secrets never get in: the Authorization header is not read
// here at all, query values under secret-looking keys are redacted, paths that carry a
// capability are redacted by the route before they arrive, and notes name fields, never
// their values.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim::fakes {

struct JournalEntry {
  std::uint64_t seq = 0;  // 1, 2, 3… over the fake's life, retained or not
  Instant at{};           // the control-plane time the request arrived at
  std::string method;
  std::string path;  // with the query string, secret values redacted
  int status = 0;
  double latency_ms = 0;           // real time spent in the handler, not counting network I/O
  std::vector<std::string> notes;  // "unknown field deployment.postdeploy", …
};

class RequestJournal {
 public:
  // About 1 KB an entry: a long rehearsal keeps its last few thousand requests.
  static constexpr std::size_t kDefaultCapacity = 4'096;
  // A note longer than this is cut: notes are for people, not payloads.
  static constexpr std::size_t kNoteBytesMax = 200;
  static constexpr std::size_t kNotesPerEntryMax = 32;

  explicit RequestJournal(std::size_t capacity = kDefaultCapacity);

  // Assigns `seq`, bounds the notes, drops the oldest entry when full.
  void record(JournalEntry entry);

  std::vector<JournalEntry> entries() const;
  std::size_t capacity() const { return capacity_; }
  std::uint64_t recorded_count() const;
  std::uint64_t dropped_count() const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<JournalEntry> entries_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t dropped_ = 0;
};

// "path?k=v&token=[redacted]": the query as the journal keeps it. `query` is the already
// parsed parameter list of the request (key, value), in arrival order.
std::string journal_target(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace mepsim::fakes
