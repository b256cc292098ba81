#include "fakes/common/request_journal.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <chrono>
#include <utility>

#include "fakes/common/hmac.h"
#include "sim/core/event_log.h"

namespace mepsim::fakes {

RequestJournal::RequestJournal(std::size_t capacity) : capacity_(capacity) {
  assert(capacity > 0);
}

void RequestJournal::record(JournalEntry entry) {
  if (entry.notes.size() > kNotesPerEntryMax) {
    const auto cut = entry.notes.size() - kNotesPerEntryMax;
    entry.notes.resize(kNotesPerEntryMax);
    entry.notes.back() = std::to_string(cut + 1) + " more notes left out";
  }
  for (auto& note : entry.notes) {
    if (note.size() > kNoteBytesMax) note = note.substr(0, kNoteBytesMax - 3) + "...";
  }
  std::lock_guard lock(mutex_);
  entry.seq = next_seq_++;
  if (entries_.size() == capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
  entries_.push_back(std::move(entry));
}

std::vector<JournalEntry> RequestJournal::entries() const {
  std::lock_guard lock(mutex_);
  return {entries_.begin(), entries_.end()};
}

std::vector<JournalEntry> RequestJournal::entries_since(std::uint64_t seq,
                                                        std::size_t limit) const {
  std::lock_guard lock(mutex_);
  // Entries are in seq order: the first one after `seq` is found by binary search.
  auto first = std::upper_bound(entries_.begin(), entries_.end(), seq,
                                [](std::uint64_t s, const JournalEntry& e) { return s < e.seq; });
  std::vector<JournalEntry> out;
  for (; first != entries_.end() && out.size() < limit; ++first) out.push_back(*first);
  return out;
}

void RequestJournal::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::uint64_t RequestJournal::recorded_count() const {
  std::lock_guard lock(mutex_);
  return next_seq_ - 1;
}

std::uint64_t RequestJournal::dropped_count() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::string journal_target(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& query) {
  std::string target = path;
  char separator = '?';
  for (const auto& [key, value] : query) {
    target += separator;
    target += key;
    target += '=';
    target += EventLog::is_secret_key(key) ? "[redacted]" : value;
    separator = '&';
  }
  return target;
}

namespace {

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string cut(std::string value) {
  if (value.size() > RequestJournal::kNoteBytesMax) {
    value = value.substr(0, RequestJournal::kNoteBytesMax - 3) + "...";
  }
  return value;
}

// "Sentry sentry_version=7, sentry_key=abc, sentry_client=x" with the key's value replaced.
std::string redact_sentry_auth(const std::string& value) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t comma = value.find(',', pos);
    if (comma == std::string::npos) comma = value.size();
    std::string part = value.substr(pos, comma - pos);
    const auto eq = part.find('=');
    if (eq != std::string::npos) {
      std::string name = part.substr(0, eq);
      const auto start = name.find_first_not_of(' ');
      const auto last_space = name.rfind(' ');
      // "Sentry sentry_key": the scheme may sit in front of the first field's name.
      const std::string bare = name.substr(
          last_space == std::string::npos || last_space < start ? start : last_space + 1);
      if (bare == "sentry_key" || bare == "sentry_secret") part = name + "=[redacted]";
    }
    out += part;
    if (comma < value.size()) out += ',';
    pos = comma + 1;
  }
  return out;
}

}  // namespace

bool is_secret_header(std::string_view name) {
  const std::string lower = lowercase(name);
  static constexpr std::array<std::string_view, 9> kMarkers = {
      "authorization", "cookie",    "token",  "key", "secret",
      "password",      "signature", "passwd", "dsn"};
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; });
}

std::vector<std::pair<std::string, std::string>> journal_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) {
    if (out.size() == kHeadersMax) break;
    if (is_secret_header(name)) {
      out.emplace_back(name, "[redacted]");
    } else if (lowercase(name) == "x-sentry-auth") {
      out.emplace_back(name, cut(redact_sentry_auth(value)));
    } else {
      out.emplace_back(name, cut(value));
    }
  }
  return out;
}

std::string body_digest(std::string_view body) {
  if (body.empty()) return "";
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  const std::string hex =
      to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
  return hex.substr(0, 16);
}

nlohmann::json to_json(const JournalEntry& entry) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : entry.headers) {
    // Repeated headers join as HTTP folds them.
    auto& slot = headers[lowercase(name)];
    slot = slot.is_null() ? nlohmann::json(value)
                          : nlohmann::json(slot.get<std::string>() + ", " + value);
  }
  return {{"seq", entry.seq},
          {"at", format_iso8601(entry.at)},
          {"method", entry.method},
          {"path", entry.path},
          {"operation", entry.operation},
          {"status", entry.status},
          {"latency_ms", entry.latency_ms},
          {"headers", std::move(headers)},
          {"body_bytes", entry.body_bytes},
          {"body_sha256", entry.body_sha256},
          {"fault", entry.fault},
          {"notes", entry.notes}};
}

}  // namespace mepsim::fakes
