#include "harness/dashboard/live_dashboard.h"

#include <algorithm>

#include "harness/dashboard/dashboard_json.h"
#include "harness/rehearsal/rehearsal_report.h"
#include "harness/report/instant_text.h"
#include "harness/runner/report_markers.h"
#include "harness/topology/topology.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

template <typename Item>
json array_of(const std::deque<Item>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

}  // namespace

LiveDashboard::LiveDashboard(Topology& topology, EventLog& log, Clock& real_clock,
                             RehearsalMonitor& monitor, std::vector<std::string> secrets,
                             LiveDashboardOptions options)
    : topology_(topology),
      log_(log),
      clock_(real_clock),
      monitor_(monitor),
      secrets_(std::move(secrets)),
      options_(std::move(options)),
      started_(real_clock.now()),
      platform_start_(topology.platform_clock().now()),
      feed_(options_.feed),
      loads_(std::chrono::duration<double>(started_.time_since_epoch()).count()) {}

LiveDashboard::~LiveDashboard() {
  stop();
}

Result<void> LiveDashboard::start() {
  tick();
  server_ = std::make_unique<DashboardServer>(feed_, *this, options_.server, this);
  if (auto started = server_->start(); !started) return started.error();
  thread_ = std::thread([this] {
    while (!stopping_.load()) {
      clock_.sleep(options_.tick);
      if (!stopping_.load()) tick();
    }
  });
  return {};
}

void LiveDashboard::stop() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  if (server_) server_->stop();
  feed_.close();
}

std::string LiveDashboard::url() const {
  return server_ ? server_->url() : "";
}

void LiveDashboard::publish(const char* event, const json& data, bool replaces_queued) {
  feed_.publish({event, dump_line(data), replaces_queued});
}

void LiveDashboard::tick() {
  follow_log();
  take_violations();
  if (ticks_ % static_cast<std::uint64_t>(std::max(1, options_.ticks_per_sample)) == 0) {
    take_sample();
  }
  refresh_state();
  ++ticks_;
}

void LiveDashboard::follow_log() {
  const auto events = log_.retained_after(last_seq_, options_.events_per_tick_max);
  if (events.empty()) return;
  json fresh = json::array();
  for (const auto& e : events) {
    if (e.component == "github" || e.component == "ci") repository_dirty_ = true;
    if (e.component == "brevo" || e.component == "mattermost") messages_dirty_ = true;
    releases_.note(e);
    for (auto& marker : runner::markers_of({e}, {})) {
      // Marks sit on the charts' axis: real seconds since the start, as the platform's
      // clock runs time_scale times faster.
      const std::chrono::duration<double> since = marker.at - platform_start_;
      marker.t_s = std::max(0.0, since.count() / std::max(options_.time_scale, 1e-9));
      series_.add_marker(std::move(marker));
    }
    auto item = event_json(e);
    redact_secrets(item, secrets_);
    fresh.push_back(std::move(item));
  }
  last_seq_ = events.back().seq;
  {
    std::lock_guard lock(mutex_);
    for (const auto& item : fresh) {
      timeline_.push_back(item);
      if (timeline_.size() > options_.timeline_kept) timeline_.pop_front();
    }
  }
  publish("events", {{"events", std::move(fresh)}}, false);
}

void LiveDashboard::take_violations() {
  const auto found = tracker_.fresh(monitor_.live_violations());
  if (found.empty()) return;
  json fresh = json::array();
  for (const auto& v : found) {
    auto item = violation_json(v);
    redact_secrets(item, secrets_);
    fresh.push_back(std::move(item));
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& item : fresh) {
      violations_.push_back(item);
      if (violations_.size() > options_.violations_kept) violations_.pop_front();
    }
  }
  publish("violations", {{"violations", std::move(fresh)}}, false);
}

void LiveDashboard::refresh_state() {
  if (repository_dirty_) {
    repository_ = repository_state(topology_, releases_, options_.branches);
    repository_dirty_ = false;
  }
  if (messages_dirty_) {
    mails_ = mails_state(topology_);
    mattermost_ = mattermost_state(topology_);
    messages_dirty_ = false;
  }
  if (ticks_ % static_cast<std::uint64_t>(std::max(1, options_.ticks_per_sentry)) == 0) {
    const ClockPair clocks{clock_.now(), topology_.platform_clock().now(), options_.time_scale};
    sentry_ = sentry_state(topology_, clocks);
  }
  json state = {{"apps", apps_state(topology_)},
                {"repository", repository_},
                {"sentry", sentry_},
                {"mails", mails_},
                {"mattermost", mattermost_}};
  redact_secrets(state, secrets_);
  std::string text = dump_line(state);
  {
    std::lock_guard lock(mutex_);
    if (text == state_text_) return;
    state_ = std::move(state);
    state_text_ = text;
  }
  feed_.publish({"state", std::move(text), true});
}

void LiveDashboard::take_sample() {
  const std::chrono::duration<double> since = clock_.now() - started_;
  series_.add_readings(since.count(), read_web_containers(topology_));
  auto charts = series_.charts_json();
  charts["markers"] = series_.markers_json();
  redact_secrets(charts, secrets_);
  {
    std::lock_guard lock(mutex_);
    charts_ = charts;
  }
  publish("charts", charts, true);
}

std::size_t LiveDashboard::add_load_seconds(const std::string& name,
                                            const std::vector<LoadSecond>& seconds) {
  json delta;
  std::size_t kept = 0;
  {
    std::lock_guard lock(mutex_);
    auto merged = loads_.merge(name, seconds);
    kept = merged.kept.size();
    json points = json::array();
    for (const auto& p : merged.kept) points.push_back(load_point_json(p));
    delta = {{"name", name}, {"seconds", std::move(points)}, {"evicted", merged.evicted}};
  }
  redact_secrets(delta, secrets_);
  // Every delta counts: a page that falls behind gets the snapshot, which has them all.
  publish("load", delta, false);
  return kept;
}

std::string LiveDashboard::snapshot_json() const {
  std::lock_guard lock(mutex_);
  json scenario = {{"name", "rehearsal"},
                   {"description", "The topology of mepsim up, live"},
                   {"timeline", array_of(timeline_)},
                   {"violations", array_of(violations_)},
                   {"charts", charts_.at("charts")},
                   {"note", charts_.at("note")},
                   {"markers", charts_.at("markers")},
                   {"loads", loads_.loads_json()}};
  json header = {{"title", "mepsim up — live"},
                 {"seed", std::to_string(options_.seed)},
                 {"version", options_.tool_version},
                 {"started_at", report::format_instant(started_)},
                 {"time_scale", options_.time_scale}};
  json snapshot = {{"mode", "live"},
                   {"header", std::move(header)},
                   {"state", state_},
                   {"scenarios", json::array({std::move(scenario)})}};
  return dump_line(snapshot);
}

}  // namespace mepsim::dashboard
