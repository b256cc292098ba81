#pragma once
// A running load's seconds posted to the dashboard of the `mepsim up` it targets
// (`POST {MEPSIM_DASHBOARD_URL}load/{name}/seconds`, harness/dashboard/load_seconds.h), off
// the measured path: the load's control loop hands each closed second to offer(), which
// only queues it; a thread of the poster's own sends the queue. The queue is bounded: when
// the dashboard is slow or gone, the oldest seconds are dropped and counted, and a post
// that failed is tried again a little later. A load never waits for the dashboard, nor
// fails because of it; finish() gives what is left a short, bounded chance.
//
//   auto poster = DashboardPoster::start(options, clock, warn);
//   poster->offer(seconds);   // every tick of the control loop
//   auto counts = poster->finish();

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/dashboard/load_seconds.h"
#include "harness/load/load_series.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/net/http_client.h"

namespace mepsim::load {

struct DashboardPosterOptions {
  std::string dashboard_url;  // MEPSIM_DASHBOARD_URL: http://127.0.0.1:PORT/
  std::string load_name;      // dashboard::valid_load_name
  std::size_t queue_seconds_max = 120;
  std::size_t seconds_per_post_max = 60;
  Duration post_timeout = std::chrono::seconds(2);
  Duration retry_wait = std::chrono::seconds(2);  // after a post that failed
  Duration finish_wait_max = std::chrono::seconds(2);
};

struct DashboardPosterCounts {
  std::int64_t offered = 0;  // a second offered again (its lost writes known) counts again
  std::int64_t posted = 0;   // taken by the dashboard
  // Never delivered: pushed out of the full queue, refused by the dashboard (4xx), or
  // still queued at the end while it did not answer.
  std::int64_t dropped = 0;
  std::int64_t posts_failed = 0;
  std::string last_error;  // the last failure's, empty if none
};

class DashboardPoster {
 public:
  // invalid_input for a URL that is not http://host:port/ or a name the dashboard would
  // refuse. `warn` is called once, from the poster's thread, when a post first fails.
  static Result<std::unique_ptr<DashboardPoster>> start(
      DashboardPosterOptions options, Clock& clock, std::function<void(const std::string&)> warn);
  ~DashboardPoster();  // finish()
  DashboardPoster(const DashboardPoster&) = delete;
  DashboardPoster& operator=(const DashboardPoster&) = delete;

  // Queues the seconds and returns at once.
  void offer(std::vector<dashboard::LoadSecond> seconds);
  // Sends what is queued while the dashboard answers, for at most finish_wait_max (plus a
  // post under way), then stops; what is left counts as dropped. Idempotent.
  DashboardPosterCounts finish();
  DashboardPosterCounts counts() const;
  const DashboardPosterOptions& options() const { return options_; }

 private:
  DashboardPoster(DashboardPosterOptions options, HttpUrl url, Clock& clock,
                  std::function<void(const std::string&)> warn);
  void run();
  // Sends one batch: taken (2xx), refused (4xx: sending it again would not help) or failed
  // (no answer, 5xx: worth another try); `error` says why it did not go.
  enum class Outcome { taken, refused, failed };
  Outcome post(const std::vector<dashboard::LoadSecond>& batch, Duration timeout,
               std::string& error);
  void drop_beyond_bound_locked();

  const DashboardPosterOptions options_;
  const HttpUrl url_;
  Clock& clock_;
  const std::function<void(const std::string&)> warn_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<dashboard::LoadSecond> queue_;  // at most queue_seconds_max
  DashboardPosterCounts counts_;
  bool failing_ = false;  // the last post failed
  bool warned_ = false;
  bool finishing_ = false;
  Instant finish_by_{};
  std::once_flag finish_once_;
  std::thread thread_;  // last: starts once the members it uses exist
};

// A closed second of the load as the dashboard takes it: status codes by class, latency
// percentiles only when something was answered, `at_ms` from the load's start.
dashboard::LoadSecond load_second_of(const SecondSummary& summary, Instant load_start,
                                     std::optional<std::int64_t> lost_writes);

// "histologe-4242": the app (or "load") and the process id, as a name the dashboard takes.
std::string default_dashboard_name(const std::string& app, long pid);

}  // namespace mepsim::load
