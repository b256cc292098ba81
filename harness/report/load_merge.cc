// Load reports merged field by field. Every field an input holds is read strictly (a type
// error names the file and the field); counts add up, the run's histogram adds up bucket by
// bucket, and what has no histogram of its own keeps an upper bound of its percentiles.

#include "harness/report/load_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "harness/load/latency_histogram.h"

namespace mepsim::report::merge {
namespace {

using Parts = std::vector<Part>;
using Counts = std::map<std::string, std::int64_t>;

// Where the percentiles are upper bounds, by section ("per_class", "series"…).
using Bounds = std::set<std::string>;

// Every field of a load report (load::to_json) that the merge writes again.
// clang-format off
const std::set<std::string, std::less<>> kKnownFields{
    "name", "app", "target", "mode", "rate_per_s", "ramp_to_rate_per_s", "connections",
    "threads", "running", "duration_s", "requests", "rps", "latency_ms", "status", "errors",
    "error_rate", "per_class", "per_route", "per_phase", "users", "sessions", "cache", "writes",
    "series", "series_window_s", "series_evicted", "series_late", "retries", "backlog_max",
    "unsent_at_stop", "events", "latency_histogram", "merge"};
// clang-format on

Parts members(const Parts& parts, std::string_view key) {
  Parts out;
  for (const auto& p : parts) out.push_back(p.at(key));
  return out;
}

std::int64_t sum(const Parts& parts, std::string_view key) {
  std::int64_t total = 0;
  for (const auto& p : parts) total += p.at(key).integer();
  return total;
}

template <typename T, typename Read>
T highest(const Parts& parts, std::string_view key, Read read) {
  T out{};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const T v = read(parts[i].at(key));
    out = i == 0 ? v : std::max(out, v);
  }
  return out;
}

double highest_number(const Parts& parts, std::string_view key) {
  return highest<double>(parts, key, [](const Part& p) { return p.number(); });
}

std::int64_t highest_integer(const Parts& parts, std::string_view key) {
  return highest<std::int64_t>(parts, key, [](const Part& p) { return p.integer(); });
}

// An object of counts ({"200": 12, …} or {"timeout": 3}) added key by key.
Counts add_counts(const Parts& parts) {
  Counts out;
  for (const auto& p : parts) {
    for (const auto& [key, value] : p.object().items()) {
      out[key] += Part{p.file, &value, child_path(p.path, key)}.integer();
    }
  }
  return out;
}

Counts add_status(const Parts& parts) {
  for (const auto& p : parts) {
    for (const auto& [key, value] : p.object().items()) {
      int code = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), code);
      if (ec != std::errc() || end != key.data() + key.size() || code < 0 || code > 999) {
        p.fail_at(key, "not an HTTP status code");
      }
    }
  }
  return add_counts(parts);
}

json counts_json(const Counts& counts) {
  json out = json::object();
  for (const auto& [key, n] : counts) out[key] = n;
  return out;
}

// The share of answers other than 2xx/3xx plus transport errors (status 0).
double error_rate_of(const Counts& status, std::int64_t requests) {
  if (requests == 0) return 0;
  std::int64_t bad = 0;
  for (const auto& [code, n] : status) {
    const int value = std::stoi(code);
    if (value < 200 || value >= 400) bad += n;
  }
  return static_cast<double>(bad) / static_cast<double>(requests);
}

json latency_json(const load::LatencyHistogram& h) {
  return {{"p50", h.percentile_ms(50)}, {"p90", h.percentile_ms(90)},
          {"p99", h.percentile_ms(99)}, {"p999", h.percentile_ms(99.9)},
          {"max", h.max_ms()},          {"mean", h.mean_ns() / 1e6},
          {"count", h.count()}};
}

load::LatencyHistogram read_histogram(const Part& p) {
  auto h = load::LatencyHistogram::from_json(*p.value);
  if (!h) p.fail(h.error().message);
  return std::move(h.value());
}

// An upper bound of a percentile of the union, from the inputs' own: HDR's percentile is
// the upper edge of a bucket (or the input's maximum, when lower, in that same bucket), so
// each input has at least that share of its values at or below the edge of the bucket
// its value falls in; the union too below the highest of those edges, and below its
// maximum.
double percentile_bound_ms(const std::vector<double>& values_ms, double max_ms) {
  double bound_ms = 0;
  for (const double v : values_ms) {
    const auto ns = std::clamp<std::int64_t>(std::llround(v * 1e6), 0,
                                             load::LatencyHistogram::kHighestTrackableNs);
    const auto edge_ns =
        load::LatencyHistogram::highest_equivalent_ns(load::LatencyHistogram::index_of(ns));
    bound_ms = std::max(bound_ms, static_cast<double>(edge_ns) / 1e6);
  }
  return std::min(bound_ms, max_ms);
}

// Without histograms: the count, the maximum and the mean are exact; the percentiles are
// one input's when only one measured anything, else bounds.
json bounded_latency(const Parts& latencies, bool& bounded) {
  constexpr const char* kPercentiles[] = {"p50", "p90", "p99", "p999"};
  std::int64_t count = 0;
  double weighted_mean = 0, max_ms = 0;
  std::map<std::string, std::vector<double>> values_ms;
  for (const auto& l : latencies) {
    const auto n = l.at("count").integer();
    max_ms = std::max(max_ms, l.at("max").number());
    if (n == 0) continue;
    count += n;
    weighted_mean += l.at("mean").number() * static_cast<double>(n);
    for (const char* key : kPercentiles) values_ms[key].push_back(l.at(key).number());
  }
  json out = {{"max", max_ms},
              {"mean", count == 0 ? 0.0 : weighted_mean / static_cast<double>(count)},
              {"count", count}};
  for (const char* key : kPercentiles) {
    const auto& v = values_ms[key];
    out[key] = v.size() == 1 ? v.front() : percentile_bound_ms(v, max_ms);
  }
  bounded = bounded || values_ms["p50"].size() > 1;
  return out;
}

// One group's counts (the run, a class, a route, a phase) merged; `section` names it in
// the bounds when its percentiles can only be bounded.
json merge_tally(const Parts& parts, double duration_s, const std::string& section,
                 Bounds& bounds) {
  json out;
  const auto requests = sum(parts, "requests");
  const auto status = add_status(members(parts, "status"));
  out["requests"] = requests;
  out["duration_s"] = duration_s;
  out["rps"] = duration_s > 0 ? static_cast<double>(requests) / duration_s : 0.0;
  out["status"] = counts_json(status);
  out["errors"] = counts_json(add_counts(members(parts, "errors")));
  out["error_rate"] = error_rate_of(status, requests);
  const bool exact = std::all_of(parts.begin(), parts.end(),
                                 [](const Part& p) { return p.find("latency_histogram"); });
  if (exact) {
    load::LatencyHistogram merged;
    for (const auto& p : parts) merged.merge(read_histogram(p.at("latency_histogram")));
    out["latency_ms"] = latency_json(merged);
    out["latency_histogram"] = merged.to_json();
    return out;
  }
  bool bounded = false;
  out["latency_ms"] = bounded_latency(members(parts, "latency_ms"), bounded);
  if (bounded) bounds.insert(section);
  return out;
}

// Parts of an object keyed by name ({"admin": {…}, …}), gathered by key.
std::map<std::string, Parts> by_key(const Parts& objects) {
  std::map<std::string, Parts> out;
  for (const auto& o : objects) {
    for (const auto& [key, value] : o.object().items()) {
      out[key].push_back(Part{o.file, &value, child_path(o.path, key)});
    }
  }
  return out;
}

json merge_groups(const Parts& objects, double duration_s, const std::string& section,
                  Bounds& bounds) {
  json out = json::object();
  for (const auto& [key, parts] : by_key(objects)) {
    out[key] = merge_tally(parts, duration_s, section, bounds);
  }
  return out;
}

// A phase's time is the longest of the machines', from the earliest start.
json merge_phases(const Parts& objects, Bounds& bounds) {
  json out = json::object();
  for (const auto& [name, parts] : by_key(objects)) {
    const double duration_s = highest_number(parts, "duration_s");
    double start_s = parts.front().at("start_s").number();
    for (const auto& p : parts) start_s = std::min(start_s, p.at("start_s").number());
    out[name] = merge_tally(parts, duration_s, "per_phase", bounds);
    out[name]["start_s"] = start_s;
  }
  return out;
}

constexpr const char* kSessionCounts[] = {"logged_in_users",  "unexpected_losses",
                                          "expected_logouts", "relogins",
                                          "logins_ok",        "logins_refused"};

json merge_session_counts(const Parts& parts) {
  json out = json::object();
  for (const char* key : kSessionCounts) out[key] = sum(parts, key);
  return out;
}

json merge_sessions(const Parts& parts) {
  json out = merge_session_counts(parts);
  out["per_class"] = json::object();
  for (const auto& [c, group] : by_key(members(parts, "per_class"))) {
    out["per_class"][c] = merge_session_counts(group);
  }
  return out;
}

json ratio_or_null(std::int64_t hits, std::int64_t misses) {
  const auto n = hits + misses;
  return n == 0 ? json(nullptr) : json(static_cast<double>(hits) / static_cast<double>(n));
}

// One second of every machine that measured it.
json merge_second(std::int64_t second, const Parts& parts, bool& bounded) {
  const auto hits = sum(parts, "cache_hits");
  const auto misses = sum(parts, "cache_misses");
  json out = {{"t_s", second},
              {"requests", sum(parts, "requests")},
              {"status", counts_json(add_status(members(parts, "status")))},
              {"errors", sum(parts, "errors")},
              {"max_ms", highest_number(parts, "max_ms")},
              {"session_losses", sum(parts, "session_losses")},
              {"expected_logouts", sum(parts, "expected_logouts")},
              {"cache_hits", hits},
              {"cache_misses", misses},
              {"cache_hit_ratio", ratio_or_null(hits, misses)}};
  for (const char* key : {"p50_ms", "p90_ms", "p99_ms"}) {
    std::vector<double> values_ms;
    for (const auto& p : parts) values_ms.push_back(p.at(key).number());
    out[key] = values_ms.size() == 1 ? values_ms.front()
                                     : percentile_bound_ms(values_ms, out["max_ms"].get<double>());
  }
  bounded = bounded || parts.size() > 1;
  return out;
}

json merge_series(const Parts& series, Bounds& bounds) {
  std::map<std::int64_t, Parts> seconds;
  for (const auto& s : series) {
    for (std::size_t i = 0; i < s.array().size(); ++i) {
      const Part second = s.at(i);
      seconds[second.at("t_s").integer()].push_back(second);
    }
  }
  json out = json::array();
  bool bounded = false;
  for (const auto& [t, parts] : seconds) out.push_back(merge_second(t, parts, bounded));
  if (bounded) bounds.insert("series");
  return out;
}

json merge_cache(const Parts& parts, const json& series) {
  const auto hits = sum(parts, "hits");
  const auto misses = sum(parts, "misses");
  json ratios = json::array();
  for (const auto& s : series) {
    const auto n = s["cache_hits"].get<std::int64_t>() + s["cache_misses"].get<std::int64_t>();
    if (n > 0) ratios.push_back({s["t_s"], s["cache_hit_ratio"]});
  }
  return {{"hits", hits},
          {"misses", misses},
          {"hit_ratio", ratio_or_null(hits, misses)},
          {"series", std::move(ratios)}};
}

json merge_writes(const Parts& parts, std::vector<std::string>& notes) {
  json out = {{"accepted", sum(parts, "accepted")},
              {"refused", sum(parts, "refused")},
              {"failed", sum(parts, "failed")},
              {"unrecorded", sum(parts, "unrecorded")}};
  std::int64_t lost = 0;
  int checked = 0;
  json references = json::array();
  for (const auto& p : parts) {
    if (const auto l = p.find("lost")) {
      lost += l->integer();
      ++checked;
    }
    const Part refs = p.at("lost_references");
    for (std::size_t i = 0; i < refs.array().size(); ++i) references.push_back(refs.at(i).text());
  }
  const bool all_checked = checked == static_cast<int>(parts.size());
  if (checked > 0 && !all_checked) {
    notes.push_back("writes.lost: checked on some machines only; unknown for the whole run");
  }
  out["lost"] = all_checked ? json(lost) : json(nullptr);
  out["lost_references"] = std::move(references);
  return out;
}

// Names, apps and targets: one value when the machines agree, else all of them.
std::string joined(const Parts& parts, std::string_view key) {
  std::vector<std::string> values;
  for (const auto& p : parts) {
    auto v = p.at(key).text();
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  }
  return fmt::format("{}", fmt::join(values, ", "));
}

// The rate of machines side by side is their sum; null (a closed loop) stays null.
json summed_rate(const Parts& parts, std::string_view key) {
  double total = 0;
  for (const auto& p : parts) {
    const auto v = p.find(key);
    if (!v) return nullptr;
    total += v->number();
  }
  return total;
}

void check_same_mode(const Parts& parts) {
  const auto mode = parts.front().at("mode").text();
  for (const auto& p : parts) {
    const auto other = p.at("mode").text();
    if (other != mode) {
      p.fail_at("mode", fmt::format("\"{}\" while {} is \"{}\": merge runs of one mode", other,
                                    *parts.front().file, mode));
    }
  }
}

void note_unknown_fields(const Parts& parts, std::vector<std::string>& notes) {
  std::set<std::string> unknown;
  for (const auto& p : parts) {
    for (const auto& [key, value] : p.object().items()) {
      if (!kKnownFields.contains(key)) unknown.insert(key);
    }
  }
  for (const auto& key : unknown) {
    notes.push_back(fmt::format("{}: a field this merge does not know; left out", key));
  }
}

// The sections an input already bounded (an input that is itself a merge).
void inherit_bounds(const Parts& parts, Bounds& bounds) {
  for (const auto& p : parts) {
    const auto merge = p.find("merge");
    if (!merge) continue;
    const Part list = merge->at("percentiles_upper_bound");
    for (std::size_t i = 0; i < list.array().size(); ++i) bounds.insert(list.at(i).text());
  }
}

json merge_info(const Parts& parts, const Bounds& bounds) {
  json files = json::array();
  for (const auto& p : parts) files.push_back(*p.file);
  json bounded = json::array();
  for (const auto& b : bounds) bounded.push_back(b);
  return {{"files", std::move(files)}, {"percentiles_upper_bound", std::move(bounded)}};
}

void merge_counters(const Parts& parts, json& out) {
  out["series_window_s"] = highest_integer(parts, "series_window_s");
  out["series_evicted"] = highest_integer(parts, "series_evicted");
  out["series_late"] = sum(parts, "series_late");
  out["retries"] = sum(parts, "retries");
  out["backlog_max"] = highest_integer(parts, "backlog_max");
  out["unsent_at_stop"] = sum(parts, "unsent_at_stop");
  const Parts events = members(parts, "events");
  out["events"] = {{"published", sum(events, "published")}, {"dropped", sum(events, "dropped")}};
}

void merge_settings(const Parts& parts, json& out) {
  check_same_mode(parts);
  out["name"] = joined(parts, "name");
  out["app"] = joined(parts, "app");
  out["target"] = joined(parts, "target");
  out["mode"] = parts.front().at("mode").text();
  out["rate_per_s"] = summed_rate(parts, "rate_per_s");
  out["ramp_to_rate_per_s"] = summed_rate(parts, "ramp_to_rate_per_s");
  out["connections"] = sum(parts, "connections");
  out["threads"] = sum(parts, "threads");
  bool running = false;
  for (const auto& p : parts) running = p.at("running").boolean() || running;
  out["running"] = running;
}

}  // namespace

json merge_load_reports(const Parts& documents, std::vector<std::string>& notes) {
  Bounds bounds;
  inherit_bounds(documents, bounds);
  // Machines run side by side: the run lasts as long as the longest of them.
  const double duration_s = highest_number(documents, "duration_s");
  json out = merge_tally(documents, duration_s, "total", bounds);
  merge_settings(documents, out);
  out["per_class"] = merge_groups(members(documents, "per_class"), duration_s, "per_class", bounds);
  out["per_route"] = merge_groups(members(documents, "per_route"), duration_s, "per_route", bounds);
  out["per_phase"] = merge_phases(members(documents, "per_phase"), bounds);
  out["users"] = counts_json(add_counts(members(documents, "users")));
  out["sessions"] = merge_sessions(members(documents, "sessions"));
  out["series"] = merge_series(members(documents, "series"), bounds);
  out["cache"] = merge_cache(members(documents, "cache"), out["series"]);
  out["writes"] = merge_writes(members(documents, "writes"), notes);
  merge_counters(documents, out);
  note_unknown_fields(documents, notes);
  for (const auto& b : bounds) {
    notes.push_back(fmt::format("{}: percentiles are upper bounds (no histogram of its own)", b));
  }
  out["merge"] = merge_info(documents, bounds);
  return out;
}

RunReport load_run_model(const json& r) {
  RunReport run;
  run.tool_version = "mepsim load";
  ScenarioReport scenario;
  scenario.name = r.value("name", "");
  scenario.description = fmt::format("{} loop on {}", r.value("mode", ""), r.value("target", ""));
  if (const auto merge = r.find("merge"); merge != r.end()) {
    scenario.description += fmt::format(
        ", merged from {}", fmt::join(merge->at("files").get<std::vector<std::string>>(), ", "));
  }
  scenario.wall_s = r.value("duration_s", 0.0);
  run.wall_s = scenario.wall_s;
  // The merge wrote every field read here.
  for (const auto& s : r.at("series")) {
    SecondSample sample;
    sample.t_s = s.value("t_s", 0.0);
    sample.requests = s.value("requests", std::int64_t{0});
    for (const auto& [code, n] : s.at("status").items()) {
      sample.status[std::stoi(code)] = n.get<std::int64_t>();
    }
    sample.p50_ms = s.value("p50_ms", 0.0);
    sample.p90_ms = s.value("p90_ms", 0.0);
    sample.p99_ms = s.value("p99_ms", 0.0);
    sample.max_ms = s.value("max_ms", 0.0);
    sample.session_losses = s.value("session_losses", std::int64_t{0});
    const auto ratio = s.find("cache_hit_ratio");
    sample.cache_hit_ratio = ratio != s.end() && ratio->is_number() ? ratio->get<double>() : -1.0;
    scenario.series.push_back(std::move(sample));
  }
  scenario.loads.push_back({scenario.name, r});
  run.scenarios.push_back(std::move(scenario));
  return run;
}

}  // namespace mepsim::report::merge
