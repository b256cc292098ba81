#pragma once
// The dashboard of a running topology (`mepsim up`, `mepsim shell`): a thread that every
// tick reads what changed — the event log since the last seq it saw, the procedure's
// violations as the rehearsal monitor last found them, the apps' state, the repository
// when GitHub or CI said something, Sentry, the mails and Mattermost posts when they did,
// the web containers' counters every second — keeps the picture a new page is given, and
// publishes each change on the feed:
//   state       {"apps", "repository", "sentry", "mails", "mattermost"}: when it changed
//   events      {"events": [event_json…]}: new timeline events
//   violations  {"violations": [violation_json…]}: violations found since the last tick
//   charts      {"charts": [chart_json…], "note", "markers": [{"t_s", "kind", "label",
//               "color"}]}: every second
//   load        {"name", "seconds": [load_point_json…], "evicted": [name…]}: the seconds a
//               running `mepsim load` posted (POST /load/{name}/seconds), as they come
// The snapshot holds all of it: {"mode": "live", "header", "state", "scenarios": [{"name":
// "rehearsal", "timeline", "violations", "charts", "note", "markers", "loads"}]}.
// Everything leaving it has the env file's secrets redacted.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "harness/dashboard/dashboard_feed.h"
#include "harness/dashboard/dashboard_server.h"
#include "harness/dashboard/dashboard_state.h"
#include "harness/dashboard/live_loads.h"
#include "harness/dashboard/live_series.h"
#include "harness/rehearsal/rehearsal_monitor.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"

namespace mepsim {
class Topology;
}  // namespace mepsim

namespace mepsim::dashboard {

struct LiveDashboardOptions {
  DashboardServerOptions server;
  FeedLimits feed;
  Duration tick = std::chrono::milliseconds(500);  // of the real clock
  int ticks_per_sample = 2;                        // the charts' points: one a second
  int ticks_per_sentry = 4;                        // issue counts change without events
  double time_scale = 1.0;                         // the platform clock's
  std::uint64_t seed = 0;
  std::string tool_version;
  RepositoryBranches branches;
  // Events shown at once; older ones leave the page (the report keeps them all).
  std::size_t timeline_kept = 1'000;
  std::size_t violations_kept = 1'000;
  std::size_t events_per_tick_max = 2'000;  // a burst is caught up over the next ticks
};

class LiveDashboard final : public SnapshotSource, public LoadSecondsSink {
 public:
  // `topology`, `log`, `real_clock` and `monitor` must outlive the dashboard; `secrets`
  // are redacted from whatever it serves (secrets_of(env)).
  LiveDashboard(Topology& topology, EventLog& log, Clock& real_clock, RehearsalMonitor& monitor,
                std::vector<std::string> secrets, LiveDashboardOptions options = {});
  ~LiveDashboard() override;  // stops
  LiveDashboard(const LiveDashboard&) = delete;
  LiveDashboard& operator=(const LiveDashboard&) = delete;

  // One tick at once (the picture is there before the first page), then serves and ticks.
  Result<void> start();
  void stop();              // idempotent; every stream ends
  std::string url() const;  // MEPSIM_DASHBOARD_URL

  // One round now: reads, updates the picture, publishes what changed.
  void tick();
  std::string snapshot_json() const override;
  // Merged, then published on the feed (from the server's threads).
  std::size_t add_load_seconds(const std::string& name,
                               const std::vector<LoadSecond>& seconds) override;
  DashboardFeed& feed() { return feed_; }

 private:
  void follow_log();
  void take_violations();
  void refresh_state();
  void take_sample();
  void publish(const char* event, const nlohmann::json& data, bool replaces_queued);

  Topology& topology_;
  EventLog& log_;
  Clock& clock_;
  RehearsalMonitor& monitor_;
  const std::vector<std::string> secrets_;
  const LiveDashboardOptions options_;
  const Instant started_;
  const Instant platform_start_;
  DashboardFeed feed_;
  std::unique_ptr<DashboardServer> server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  // The tick's own bookkeeping: only the ticking thread touches it.
  std::uint64_t last_seq_ = 0;
  std::uint64_t ticks_ = 0;
  bool repository_dirty_ = true;
  bool messages_dirty_ = true;
  ViolationTracker tracker_;
  ReleaseBook releases_;
  LiveSeries series_;
  nlohmann::json repository_;
  nlohmann::json sentry_ = nlohmann::json::array();
  nlohmann::json mails_ = nlohmann::json::array();
  nlohmann::json mattermost_ = nlohmann::json::array();

  // The picture a page is given, under mutex_ (read by the server's threads).
  mutable std::mutex mutex_;
  nlohmann::json state_;
  std::string state_text_;                 // state_ as published, to tell a change
  std::deque<nlohmann::json> timeline_;    // at most options_.timeline_kept
  std::deque<nlohmann::json> violations_;  // at most options_.violations_kept
  nlohmann::json charts_ = {
      {"charts", nlohmann::json::array()}, {"note", ""}, {"markers", nlohmann::json::array()}};
  LiveLoads loads_;
};

}  // namespace mepsim::dashboard
