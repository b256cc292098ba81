#include "fakes/sentry/issue_store.h"

#include <fmt/format.h>

#include <algorithm>

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

std::size_t event_bytes(const SentryStoredEvent& event) {
  std::size_t bytes = kEventOverheadBytes + event.json.size() + event.message.size() +
                      event.release.size() + event.environment.size();
  for (const auto& [key, value] : event.tags) bytes += key.size() + value.size();
  return bytes;
}

std::size_t issue_bytes(const SentryIssue& issue, const std::string& group_key) {
  std::size_t bytes =
      kIssueOverheadBytes + issue.title.size() + issue.culprit.size() + group_key.size();
  for (const auto& [release, count] : issue.count_by_release) bytes += release.size() + 16;
  for (const auto& [environment, count] : issue.count_by_environment) {
    bytes += environment.size() + 16;
  }
  return bytes;
}

// A count field of a session or client report: a non-negative integer, 0 when absent.
Result<std::uint64_t> count_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::uint64_t{0};
  // Parsed text gives unsigned numbers; values built in C++ may be signed.
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(it->get<std::int64_t>());
  }
  return make_error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is not a non-negative integer", key));
}

// `attrs.release`: Relay drops sessions without a release; we refuse them, naming it.
Result<std::string> session_release(const json& payload) {
  const auto attrs = payload.find("attrs");
  if (attrs != payload.end() && attrs->is_object()) {
    const auto release = attrs->find("release");
    if (release != attrs->end() && release->is_string() && !release->get<std::string>().empty()) {
      return release->get<std::string>();
    }
  }
  return make_error(ErrorCode::invalid_input, "the session has no \"attrs.release\" string");
}

}  // namespace

IssueStore::IssueStore(SentryCapacities capacities) : capacities_(capacities) {}

void IssueStore::count_in(std::map<std::string, std::uint64_t>& counts, const std::string& key) {
  const bool known = counts.count(key) > 0;
  if (!known && counts.size() >= capacities_.releases_per_project_max) {
    ++counts[kOtherRelease];
    return;
  }
  ++counts[key];
}

IssueStore::IssueRecord& IssueStore::issue_for(const std::string& project_slug,
                                               const EventSummary& summary, Instant received) {
  auto& groups = groups_[project_slug];
  if (const auto found = groups.find(summary.group_key); found != groups.end()) {
    return issues_.at(found->second);
  }
  if (groups.size() >= capacities_.issues_per_project_max) evict_least_recent_issue(project_slug);
  const std::string id = std::to_string(next_issue_id_++);
  IssueRecord record;
  record.issue.id = id;
  record.issue.project_slug = project_slug;
  record.issue.title = summary.title;
  record.issue.culprit = summary.culprit;
  record.issue.first_seen = received;
  record.group_key = summary.group_key;
  groups_[project_slug][summary.group_key] = id;
  return issues_.emplace(id, std::move(record)).first->second;
}

std::string IssueStore::add_event(const std::string& project_slug, const EventSummary& summary,
                                  std::string event_json, Instant received, bool* created_issue) {
  std::lock_guard lock(mutex_);
  IssueRecord& record = issue_for(project_slug, summary, received);
  if (created_issue != nullptr) *created_issue = record.issue.count == 0;
  SentryIssue& issue = record.issue;
  ++issue.count;
  issue.last_seen = std::max(issue.last_seen, received);
  issue.level = summary.level;
  count_in(issue.count_by_release, summary.release);
  count_in(issue.count_by_environment, summary.environment);
  stored_bytes_ -= std::min(stored_bytes_, record.bytes);
  record.bytes = issue_bytes(issue, record.group_key);
  stored_bytes_ += record.bytes;

  if (event_json.size() > capacities_.event_json_bytes_max) {
    event_json = json{{"event_id", summary.event_id},
                      {"message", summary.message.substr(0, 1024)},
                      {"mepsim_truncated_bytes", event_json.size()}}
                     .dump(-1, ' ', false, json::error_handler_t::replace);
  }
  SentryStoredEvent event{
      summary.event_id,     issue.id,      project_slug,     received,        summary.release,
      summary.environment,  summary.level, summary.platform, summary.message, summary.tags,
      std::move(event_json)};
  stored_bytes_ += event_bytes(event);
  events_.push_back(std::move(event));
  record.events.push_back(std::prev(events_.end()));
  while (record.events.size() > capacities_.events_per_issue_max) {
    evict_oldest_event_of(record);
    ++issue.events_dropped;
  }
  const std::string id = issue.id;
  enforce_byte_bound();
  return id;
}

void IssueStore::evict_oldest_event_of(IssueRecord& record) {
  if (record.events.empty()) return;
  const auto oldest = record.events.front();
  record.events.pop_front();
  stored_bytes_ -= std::min(stored_bytes_, event_bytes(*oldest));
  events_.erase(oldest);
  ++events_evicted_;
}

void IssueStore::evict_issue(const std::string& issue_id) {
  const auto it = issues_.find(issue_id);
  if (it == issues_.end()) return;
  IssueRecord& record = it->second;
  while (!record.events.empty()) evict_oldest_event_of(record);
  stored_bytes_ -= std::min(stored_bytes_, record.bytes);
  groups_[record.issue.project_slug].erase(record.group_key);
  issues_.erase(it);
  ++issues_evicted_;
}

void IssueStore::evict_least_recent_issue(const std::string& project_slug) {
  const auto& groups = groups_[project_slug];
  const IssueRecord* least = nullptr;
  for (const auto& [key, id] : groups) {
    const IssueRecord& record = issues_.at(id);
    if (least == nullptr || record.issue.last_seen < least->issue.last_seen) least = &record;
  }
  if (least != nullptr) evict_issue(std::string(least->issue.id));
}

void IssueStore::enforce_byte_bound() {
  while (stored_bytes_ > capacities_.store_bytes_max && !events_.empty()) {
    // The oldest event overall is the oldest of its own issue: both are in arrival order.
    IssueRecord& record = issues_.at(events_.front().issue_id);
    evict_oldest_event_of(record);
    ++record.issue.events_dropped;
  }
  while (stored_bytes_ > capacities_.store_bytes_max && !issues_.empty()) {
    const auto least = std::min_element(issues_.begin(), issues_.end(), [](auto& a, auto& b) {
      return a.second.issue.last_seen < b.second.issue.last_seen;
    });
    evict_issue(std::string(least->first));
  }
}

SentryReleaseHealth& IssueStore::health_row(const std::string& project_slug,
                                            const std::string& release) {
  auto& rows = health_[project_slug];
  if (rows.count(release) == 0 && rows.size() >= capacities_.releases_per_project_max) {
    auto& other = rows[kOtherRelease];
    other.release = kOtherRelease;
    return other;
  }
  auto& row = rows[release];
  row.release = release;
  return row;
}

Result<SessionUpdate> read_session(const json& payload) {
  if (!payload.is_object()) {
    return make_error(ErrorCode::invalid_input, "the session is not an object");
  }
  auto release = session_release(payload);
  if (!release) return release.error();
  const auto status_it = payload.find("status");
  std::string status = "ok";
  if (status_it != payload.end() && !status_it->is_null()) {
    if (!status_it->is_string()) {
      return make_error(ErrorCode::invalid_input, "the session's \"status\" is not a string");
    }
    status = status_it->get<std::string>();
  }
  if (status != "ok" && status != "exited" && status != "crashed" && status != "abnormal" &&
      status != "errored") {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("the session's status \"{}\" is not one of ok, exited, "
                                  "crashed, abnormal, errored",
                                  status.substr(0, 40)));
  }
  const auto init = payload.find("init");
  const bool first_update = init != payload.end() && init->is_boolean() && init->get<bool>();
  auto errors = count_field(payload, "errors");
  if (!errors) return errors.error().context("session");
  // A session counts once, at its first update (init); its end (crashed, abnormal) once,
  // when an update reports it; errored when an update says so, or the first one has errors.
  SessionUpdate update;
  update.release = std::move(release).value();
  update.counts.sessions = first_update ? 1 : 0;
  update.counts.crashed = status == "crashed" ? 1 : 0;
  update.counts.abnormal = status == "abnormal" ? 1 : 0;
  update.counts.errored =
      status == "errored" || (first_update && *errors > 0 && status != "crashed") ? 1 : 0;
  return update;
}

Result<SessionUpdate> read_sessions(const json& payload) {
  if (!payload.is_object()) {
    return make_error(ErrorCode::invalid_input, "the sessions item is not an object");
  }
  auto release = session_release(payload);
  if (!release) return release.error();
  const auto aggregates = payload.find("aggregates");
  if (aggregates == payload.end() || !aggregates->is_array()) {
    return make_error(ErrorCode::invalid_input, "the sessions item has no \"aggregates\" list");
  }
  SessionUpdate update;
  update.release = std::move(release).value();
  SentryReleaseHealth& sum = update.counts;
  for (const auto& bucket : *aggregates) {
    if (!bucket.is_object()) {
      return make_error(ErrorCode::invalid_input, "an aggregate is not an object");
    }
    std::uint64_t counts[4] = {};
    const char* keys[4] = {"exited", "errored", "crashed", "abnormal"};
    for (std::size_t i = 0; i < 4; ++i) {
      auto count = count_field(bucket, keys[i]);
      if (!count) return count.error().context("aggregates");
      counts[i] = *count;
    }
    sum.sessions += counts[0] + counts[1] + counts[2] + counts[3];
    sum.errored += counts[1];
    sum.crashed += counts[2];
    sum.abnormal += counts[3];
  }
  return update;
}

Result<std::vector<SentryDiscardedEvents>> read_client_report(const json& payload) {
  if (!payload.is_object()) {
    return make_error(ErrorCode::invalid_input, "the client report is not an object");
  }
  std::vector<SentryDiscardedEvents> discarded_all;
  // discarded_events is today's key; the others are older SDKs' spellings of it.
  for (const char* list_key :
       {"discarded_events", "rate_limited_events", "filtered_events", "filtered_sampling_events"}) {
    const auto list = payload.find(list_key);
    if (list == payload.end()) continue;
    if (!list->is_array()) {
      return make_error(ErrorCode::invalid_input, fmt::format("\"{}\" is not a list", list_key));
    }
    for (const auto& entry : *list) {
      if (!entry.is_object()) {
        return make_error(ErrorCode::invalid_input,
                          fmt::format("an entry of \"{}\" is not an object", list_key));
      }
      SentryDiscardedEvents discarded;
      const auto reason = entry.find("reason");
      const auto category = entry.find("category");
      if (reason != entry.end() && reason->is_string()) {
        discarded.reason = reason->get<std::string>();
      }
      if (category == entry.end() || !category->is_string()) {
        return make_error(ErrorCode::invalid_input,
                          fmt::format("an entry of \"{}\" has no \"category\"", list_key));
      }
      discarded.category = category->get<std::string>();
      auto quantity = count_field(entry, "quantity");
      if (!quantity) return quantity.error().context(list_key);
      discarded.quantity = *quantity;
      if (discarded.reason.empty()) discarded.reason = list_key;
      discarded_all.push_back(std::move(discarded));
    }
  }
  return discarded_all;
}

void IssueStore::add_session(const std::string& project_slug, const SessionUpdate& update) {
  std::lock_guard lock(mutex_);
  SentryReleaseHealth& row = health_row(project_slug, update.release);
  row.sessions += update.counts.sessions;
  row.crashed += update.counts.crashed;
  row.errored += update.counts.errored;
  row.abnormal += update.counts.abnormal;
}

void IssueStore::add_client_report(const std::string& project_slug,
                                   std::vector<SentryDiscardedEvents> discarded, Instant received) {
  std::lock_guard lock(mutex_);
  auto& reports = client_reports_[project_slug];
  reports.push_back(SentryClientReport{project_slug, received, std::move(discarded)});
  while (reports.size() > capacities_.client_reports_per_project_max) {
    reports.pop_front();
    ++client_reports_evicted_;
  }
}

std::vector<SentryIssue> IssueStore::issues(const std::string& project_slug,
                                            std::optional<Instant> since,
                                            const std::string& release) const {
  std::lock_guard lock(mutex_);
  std::vector<SentryIssue> found;
  const auto groups = groups_.find(project_slug);
  if (groups == groups_.end()) return found;
  for (const auto& [key, id] : groups->second) {
    const SentryIssue& issue = issues_.at(id).issue;
    if (since && issue.last_seen < *since) continue;
    if (!release.empty() && issue.count_by_release.count(release) == 0) continue;
    found.push_back(issue);
  }
  std::sort(found.begin(), found.end(), [](const SentryIssue& a, const SentryIssue& b) {
    if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
    return std::stoull(a.id) > std::stoull(b.id);
  });
  return found;
}

std::optional<SentryIssue> IssueStore::issue(const std::string& issue_id) const {
  std::lock_guard lock(mutex_);
  const auto it = issues_.find(issue_id);
  if (it == issues_.end()) return std::nullopt;
  return it->second.issue;
}

std::vector<SentryStoredEvent> IssueStore::events(const std::string& issue_id) const {
  std::lock_guard lock(mutex_);
  std::vector<SentryStoredEvent> found;
  const auto it = issues_.find(issue_id);
  if (it == issues_.end()) return found;
  for (auto event = it->second.events.rbegin(); event != it->second.events.rend(); ++event) {
    found.push_back(**event);
  }
  return found;
}

std::vector<SentryReleaseHealth> IssueStore::release_health(const std::string& project_slug) const {
  std::lock_guard lock(mutex_);
  std::vector<SentryReleaseHealth> rows;
  const auto it = health_.find(project_slug);
  if (it == health_.end()) return rows;
  for (const auto& [release, row] : it->second) rows.push_back(row);
  return rows;
}

std::vector<SentryClientReport> IssueStore::client_reports(const std::string& project_slug) const {
  std::lock_guard lock(mutex_);
  const auto it = client_reports_.find(project_slug);
  if (it == client_reports_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

void IssueStore::fill_stats(SentryIngestStats& stats) const {
  std::lock_guard lock(mutex_);
  stats.issues_evicted = issues_evicted_;
  stats.events_evicted = events_evicted_;
  stats.client_reports_evicted = client_reports_evicted_;
  stats.stored_bytes = stored_bytes_;
  stats.stored_bytes_max = capacities_.store_bytes_max;
}

}  // namespace mepsim::fakes::sentry
