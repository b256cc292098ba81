// The generator's snapshot (load_generator.h): every shard's counts merged, the phases
// named and timed, the series so far; and the lost-writes check.

#include "harness/load/load_generator.h"
#include "harness/load/load_shard.h"

namespace mepsim::load {
namespace {

double seconds_of(Duration d) {
  return std::chrono::duration<double>(d).count();
}

void merge_shard(const ShardCounts& c, LoadReport& r, std::vector<Tally>& phases,
                 std::int64_t& late) {
  r.total.merge(c.total);
  for (const auto uc : kAllClasses) {
    const Tally& t = c.per_class[class_index(uc)];
    if (t.requests > 0) r.per_class[uc].merge(t);
    const SessionCounts& s = c.sessions[class_index(uc)];
    if (s.logins_ok + s.logins_refused + s.unexpected_losses + s.expected_logouts > 0) {
      r.sessions_per_class[uc].merge(s);
    }
    r.sessions.merge(s);
    if (c.users[class_index(uc)] > 0) r.users[uc] += c.users[class_index(uc)];
  }
  for (const auto& [route, t] : c.per_route) r.per_route[route].merge(t);
  if (phases.size() < c.per_phase.size()) phases.resize(c.per_phase.size());
  for (std::size_t i = 0; i < c.per_phase.size(); ++i) phases[i].merge(c.per_phase[i]);
  r.cache.merge(c.cache);
  r.writes.merge(c.writes);
  r.retries += c.retries;
  r.backlog_max = std::max(r.backlog_max, c.backlog_max);
  r.unsent_at_stop += c.unsent_at_stop;
  late += c.seconds.late();
}

}  // namespace

LoadReport LoadGenerator::report() const {
  LoadReport r;
  const LoadOptions& o = options_;
  r.name = o.name;
  r.app = o.app;
  r.target_url = o.target_url;
  r.closed = o.closed;
  r.rate_per_s = o.rate_per_s;
  r.ramp_to_rate_per_s = o.ramp_to_rate_per_s;
  r.connections = o.connections;
  r.threads = o.threads;
  r.accepted_writes = shared_->writes;
  r.events_published = shared_->events.published();
  r.events_dropped = shared_->events.dropped();

  std::lock_guard lock(mutex_);
  const Instant now = stopped_at_.value_or(clock_.now());
  r.running = !stopped_at_;
  r.duration_s = seconds_of(now - shared_->start);
  std::vector<Tally> phase_tallies;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardCounts& c) { merge_shard(c, r, phase_tallies, r.series_late); });
  }
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    PhaseReport p;
    p.name = phases_[i].name;
    p.start_s = seconds_of(phases_[i].first_start - shared_->start);
    Duration in = phases_[i].time_in;
    if (i == current_phase_ && !stopped_at_) in += now - current_phase_since_;
    p.duration_s = seconds_of(in);
    if (i < phase_tallies.size()) p.tally = std::move(phase_tallies[i]);
    r.per_phase.push_back(std::move(p));
  }
  r.series.assign(series_.seconds().begin(), series_.seconds().end());
  r.series_evicted = series_.evicted();
  r.toggles = toggles_;
  if (lost_check_) {
    r.writes.lost = lost_check_->lost;
    r.lost_references = lost_check_->lost_references;
  }
  return r;
}

Result<LostWritesCheck> LoadGenerator::check_lost_writes(const MysqlUrl& url) {
  auto check = find_lost_writes(shared_->writes->snapshot(), url);
  if (!check) return check.error();
  std::lock_guard lock(mutex_);
  lost_check_ = check.value();
  return check;
}

Result<LostWritesCheck> check_lost_writes(LoadReport& report, const MysqlUrl& url) {
  std::vector<AcceptedWrite> writes;
  if (report.accepted_writes) writes = report.accepted_writes->snapshot();
  auto check = find_lost_writes(writes, url);
  if (!check) return check.error();
  report.writes.lost = check->lost;
  report.lost_references = check->lost_references;
  return check;
}

}  // namespace mepsim::load
