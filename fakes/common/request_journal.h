#pragma once
// What a fake was asked and what it answered, for reports and for tests that check a
// client's behaviour (a field the fake ignored, a route it does not know). Bounded: the
// oldest entries go first. Secrets never get in: header values under secret-looking
// names are redacted by journal_headers() before they arrive, query values under
// secret-looking keys are redacted, paths that carry a capability are redacted by the
// route before they arrive, notes name fields, never their values, and a body is kept
// only as its size and a digest prefix.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
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
  // What the FakeServer adds; the older fakes leave them empty.
  std::string operation{};  // the route's chaos name: "send_email"; "" when no route matched
  std::vector<std::pair<std::string, std::string>> headers{};  // as journal_headers() made them
  std::size_t body_bytes = 0;
  std::string body_sha256{};  // hex prefix (body_digest()), "" for an empty body
  std::string fault{};        // the chaos fault drawn ("rate_limit"…), "" for none
};

// The entry as the admin API and reports show it; `at` in ISO 8601.
nlohmann::json to_json(const JournalEntry& entry);

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
  // The retained entries with seq > `seq`, oldest first, at most `limit` of them.
  std::vector<JournalEntry> entries_since(std::uint64_t seq, std::size_t limit) const;
  // Forgets the retained entries; seq keeps counting, so a reader's cursor stays valid.
  void clear();
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

// The request headers as the journal keeps them: at most kHeadersMax of them, each value
// cut to kNoteBytesMax, and "[redacted]" for every header whose name looks secret
// (Authorization, Cookie, Set-Cookie, api-key, X-Hub-Signature-256, anything with token,
// key, secret, password or signature in its name); X-Sentry-Auth keeps its other
// fields but not sentry_key / sentry_secret.
inline constexpr std::size_t kHeadersMax = 64;
std::vector<std::pair<std::string, std::string>> journal_headers(
    const std::vector<std::pair<std::string, std::string>>& headers);
bool is_secret_header(std::string_view name);

// The first 16 hex digits of the body's SHA-256: enough to tell bodies apart, too short
// to carry anything back. "" for an empty body.
std::string body_digest(std::string_view body);

}  // namespace mepsim::fakes
