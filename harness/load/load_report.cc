#include "harness/load/load_report.h"

namespace mepsim::load {
namespace {

nlohmann::json ratio_or_null(double ratio) {
  return ratio < 0 ? nlohmann::json(nullptr) : nlohmann::json(ratio);
}

nlohmann::json latency_json(const LatencyHistogram& h) {
  return {{"p50", h.percentile_ms(50)}, {"p90", h.percentile_ms(90)},
          {"p99", h.percentile_ms(99)}, {"p999", h.percentile_ms(99.9)},
          {"max", h.max_ms()},          {"mean", h.mean_ns() / 1e6},
          {"count", h.count()}};
}

nlohmann::json status_json(const std::map<int, std::int64_t>& status) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [code, n] : status) out[std::to_string(code)] = n;
  return out;
}

nlohmann::json tally_json(const Tally& t, double duration_s) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [kind, n] : t.errors) errors[kind] = n;
  return {{"requests", t.requests},
          {"duration_s", duration_s},
          {"rps", duration_s > 0 ? static_cast<double>(t.requests) / duration_s : 0.0},
          {"latency_ms", latency_json(t.latency)},
          // Kept whole so that reports of shards or machines merge exactly (report merge).
          {"latency_histogram", t.latency.to_json()},
          {"status", status_json(t.status)},
          {"errors", std::move(errors)},
          {"error_rate", error_rate(t)}};
}

nlohmann::json sessions_json(const SessionCounts& s) {
  return {{"logged_in_users", s.logged_in_users},
          {"unexpected_losses", s.unexpected_losses},
          {"expected_logouts", s.expected_logouts},
          {"relogins", s.relogins},
          {"logins_ok", s.logins_ok},
          {"logins_refused", s.logins_refused}};
}

nlohmann::json second_json(const SecondSummary& s) {
  return {{"t_s", s.second},
          {"requests", s.requests},
          {"status", status_json(s.status)},
          {"errors", s.errors},
          {"p50_ms", s.p50_ms},
          {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms},
          {"max_ms", s.max_ms},
          {"session_losses", s.session_losses},
          {"expected_logouts", s.expected_logouts},
          {"cache_hits", s.cache.hits},
          {"cache_misses", s.cache.misses},
          {"cache_hit_ratio", ratio_or_null(s.cache.hit_ratio())}};
}

nlohmann::json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Each toggle with what the load saw while it went on: its phase's answers and transport
// errors, and the cache's recovery after it.
nlohmann::json toggles_json(const LoadReport& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : r.toggles) {
    nlohmann::json during = nullptr;
    for (const auto& p : r.per_phase) {
      if (p.name == t.phase) during = tally_json(p.tally, p.duration_s);
    }
    const CacheRecovery cache = cache_recovery(r.series, t);
    out.push_back({{"mode", t.mode},
                   {"phase", t.phase},
                   {"restart_at_s", t.restart_at_s},
                   {"effect_s", optional_json(t.effect_s)},
                   {"error", t.error},
                   {"during", std::move(during)},
                   {"cache_hit_ratio_before", optional_json(cache.ratio_before)},
                   {"cache_recovery_s", optional_json(cache.recovery_s)}});
  }
  return out;
}

// What a maintenance-toggle test must show: admins keep their sessions (each admin login
// is a session; the share of them lost), non-admins are logged out in maintenance and log
// in again after it.
nlohmann::json maintenance_json(const LoadReport& r) {
  SessionCounts admins;
  SessionCounts others;
  for (const auto& [c, s] : r.sessions_per_class) {
    if (c == UserClass::admin) {
      admins.merge(s);
    } else if (c == UserClass::partner || c == UserClass::usager) {
      others.merge(s);
    }
  }
  std::optional<double> retention;
  if (admins.logins_ok > 0) {
    const double lost = static_cast<double>(std::min(admins.unexpected_losses, admins.logins_ok));
    retention = 1.0 - lost / static_cast<double>(admins.logins_ok);
  }
  int effective = 0;
  for (const auto& t : r.toggles) effective += t.effect_s ? 1 : 0;
  return {{"toggles", r.toggles.size()},
          {"toggles_effective", effective},
          {"admin_sessions", admins.logins_ok},
          {"admin_sessions_lost", admins.unexpected_losses},
          {"admin_session_retention", optional_json(retention)},
          {"non_admin_logouts_in_maintenance", others.expected_logouts},
          {"non_admin_unexpected_losses", others.unexpected_losses},
          {"non_admin_relogins", others.relogins},
          {"non_admin_logins_refused", others.logins_refused}};
}

}  // namespace

double error_rate(const Tally& tally) {
  if (tally.requests == 0) return 0;
  std::int64_t bad = 0;
  for (const auto& [code, n] : tally.status) {
    if (code < 200 || code >= 400) bad += n;
  }
  return static_cast<double>(bad) / static_cast<double>(tally.requests);
}

nlohmann::json to_json(const LoadReport& r) {
  nlohmann::json out = tally_json(r.total, r.duration_s);
  out["name"] = r.name;
  out["app"] = r.app;
  out["target"] = r.target_url;
  out["mode"] = r.closed ? "closed" : "open";
  out["rate_per_s"] = r.closed ? nlohmann::json(nullptr) : nlohmann::json(r.rate_per_s);
  out["ramp_to_rate_per_s"] =
      r.ramp_to_rate_per_s ? nlohmann::json(*r.ramp_to_rate_per_s) : nlohmann::json(nullptr);
  out["connections"] = r.connections;
  out["threads"] = r.threads;
  out["running"] = r.running;
  out["per_class"] = nlohmann::json::object();
  for (const auto& [c, t] : r.per_class)
    out["per_class"][class_name(c)] = tally_json(t, r.duration_s);
  out["per_route"] = nlohmann::json::object();
  for (const auto& [route, t] : r.per_route) out["per_route"][route] = tally_json(t, r.duration_s);
  out["per_phase"] = nlohmann::json::object();
  for (const auto& p : r.per_phase) {
    auto phase = tally_json(p.tally, p.duration_s);
    phase["start_s"] = p.start_s;
    out["per_phase"][p.name] = std::move(phase);
  }
  out["users"] = nlohmann::json::object();
  for (const auto& [c, n] : r.users) out["users"][class_name(c)] = n;
  auto sessions = sessions_json(r.sessions);
  sessions["per_class"] = nlohmann::json::object();
  for (const auto& [c, s] : r.sessions_per_class)
    sessions["per_class"][class_name(c)] = sessions_json(s);
  out["sessions"] = std::move(sessions);
  nlohmann::json cache_series = nlohmann::json::array();
  for (const auto& s : r.series) {
    if (s.cache.hits + s.cache.misses > 0) cache_series.push_back({s.second, s.cache.hit_ratio()});
  }
  out["cache"] = {{"hits", r.cache.hits},
                  {"misses", r.cache.misses},
                  {"hit_ratio", ratio_or_null(r.cache.hit_ratio())},
                  {"series", std::move(cache_series)}};  // [t_s, ratio] per measured second
  out["writes"] = {
      {"accepted", r.writes.accepted},
      {"refused", r.writes.refused},
      {"failed", r.writes.failed},
      {"unrecorded", r.writes.unrecorded},
      {"lost", r.writes.lost ? nlohmann::json(*r.writes.lost) : nlohmann::json(nullptr)},
      {"lost_references", r.lost_references}};
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : r.series) series.push_back(second_json(s));
  out["series"] = std::move(series);
  out["toggles"] = toggles_json(r);
  out["maintenance"] = r.toggles.empty() ? nlohmann::json(nullptr) : maintenance_json(r);
  out["series_window_s"] = SeriesRing::kSecondsMax;
  out["series_evicted"] = r.series_evicted;
  out["series_late"] = r.series_late;
  out["retries"] = r.retries;
  out["backlog_max"] = r.backlog_max;
  out["unsent_at_stop"] = r.unsent_at_stop;
  out["events"] = {{"published", r.events_published}, {"dropped", r.events_dropped}};
  return out;
}

std::vector<report::SecondSample> to_series(const LoadReport& r) {
  std::vector<report::SecondSample> out;
  out.reserve(r.series.size());
  for (const auto& s : r.series) {
    report::SecondSample sample;
    sample.t_s = static_cast<double>(s.second);
    sample.requests = s.requests;
    sample.status = s.status;
    sample.p50_ms = s.p50_ms;
    sample.p90_ms = s.p90_ms;
    sample.p99_ms = s.p99_ms;
    sample.max_ms = s.max_ms;
    sample.session_losses = s.session_losses;
    sample.cache_hit_ratio = s.cache.hit_ratio();
    out.push_back(std::move(sample));
  }
  return out;
}

}  // namespace mepsim::load
