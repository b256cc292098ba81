#pragma once
// What the Sentry fake keeps: issues (events grouped by EventSummary::group_key, per
// project), their latest events, release health from sessions, and client reports. Every
// part is bounded (SentryCapacities), and so is the whole, in bytes; past a bound the
// oldest goes first and is counted.
//
// Thread-safety: every member locks; the server's threads write while scenarios read.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/sentry/event_summary.h"
#include "fakes/sentry/sentry_fake.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::fakes::sentry {

// An issue's and an event's bookkeeping, counted in stored bytes on top of their strings.
inline constexpr std::size_t kIssueOverheadBytes = 512;
inline constexpr std::size_t kEventOverheadBytes = 256;
// A release or environment beyond releases_per_project_max is counted under this name.
inline constexpr const char* kOtherRelease = "(other)";

// A session item's (or a sessions aggregate's) contribution to its release's health,
// read before anything is stored so that a bad item refuses its whole envelope.
struct SessionUpdate {
  std::string release;
  SentryReleaseHealth counts;  // what to add
};
Result<SessionUpdate> read_session(const nlohmann::json& payload);
Result<SessionUpdate> read_sessions(const nlohmann::json& payload);
Result<std::vector<SentryDiscardedEvents>> read_client_report(const nlohmann::json& payload);

class IssueStore {
 public:
  explicit IssueStore(SentryCapacities capacities);

  // Files the event under its issue (made on first sight); returns the issue id.
  // `created_issue`, when given, tells whether this event made the issue.
  std::string add_event(const std::string& project_slug, const EventSummary& summary,
                        std::string event_json, Instant received, bool* created_issue = nullptr);
  void add_session(const std::string& project_slug, const SessionUpdate& update);
  void add_client_report(const std::string& project_slug,
                         std::vector<SentryDiscardedEvents> discarded, Instant received);

  std::vector<SentryIssue> issues(const std::string& project_slug, std::optional<Instant> since,
                                  const std::string& release) const;
  std::optional<SentryIssue> issue(const std::string& issue_id) const;
  std::vector<SentryStoredEvent> events(const std::string& issue_id) const;
  std::vector<SentryReleaseHealth> release_health(const std::string& project_slug) const;
  std::vector<SentryClientReport> client_reports(const std::string& project_slug) const;

  // Fills the store's part of the stats: evictions and bytes.
  void fill_stats(SentryIngestStats& stats) const;

 private:
  using EventList = std::list<SentryStoredEvent>;
  struct IssueRecord {
    SentryIssue issue;
    std::string group_key;
    std::deque<EventList::iterator> events;  // oldest first; at most events_per_issue_max
    std::size_t bytes = 0;                   // the issue's own, not its events'
  };

  IssueRecord& issue_for(const std::string& project_slug, const EventSummary& summary,
                         Instant received);
  void count_in(std::map<std::string, std::uint64_t>& counts, const std::string& key);
  void evict_oldest_event_of(IssueRecord& record);
  void evict_issue(const std::string& issue_id);
  void evict_least_recent_issue(const std::string& project_slug);
  void enforce_byte_bound();
  SentryReleaseHealth& health_row(const std::string& project_slug, const std::string& release);

  const SentryCapacities capacities_;
  mutable std::mutex mutex_;
  std::uint64_t next_issue_id_ = 1;
  std::map<std::string, IssueRecord> issues_;  // by id
  // project → group key → issue id
  std::map<std::string, std::map<std::string, std::string>> groups_;
  EventList events_;  // every stored event, in arrival order
  std::map<std::string, std::map<std::string, SentryReleaseHealth>> health_;
  std::map<std::string, std::deque<SentryClientReport>> client_reports_;
  std::size_t stored_bytes_ = 0;
  std::uint64_t issues_evicted_ = 0;
  std::uint64_t events_evicted_ = 0;
  std::uint64_t client_reports_evicted_ = 0;
};

}  // namespace mepsim::fakes::sentry
