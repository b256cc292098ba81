#include "fakes/common/request_journal.h"

#include <cassert>
#include <utility>

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

}  // namespace mepsim::fakes
