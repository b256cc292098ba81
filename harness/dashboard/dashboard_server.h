#pragma once
// The dashboard's HTTP server (loopback by default):
//   GET /               the page: one self-contained HTML document (dashboard_page.h)
//   GET /feed           text/event-stream: a "snapshot" first, then the feed's messages;
//                       a fresh snapshot again whenever this page fell behind
//   GET /snapshot.json  the snapshot alone, for scripts and curl
//   POST /load/{name}/seconds  a running load's closed seconds (load_seconds.h), when the
//                       server has a LoadSecondsSink: 200 merged; 400 naming the bad field;
//                       413 past kLoadBodyBytesMax; 415 not application/json (a browser
//                       page elsewhere cannot send that without a preflight this server
//                       never answers); 403 from anywhere but loopback, or for a Host that
//                       is not a loopback name (DNS rebinding); 404 without a sink
// One stream holds one server thread: at most FeedLimits::subscribers_max pages follow
// the feed at once, more get a 503. A page that stops reading costs its bounded queue and,
// once the socket's buffers are full, a write timeout that ends its stream.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/dashboard/dashboard_feed.h"
#include "harness/dashboard/load_seconds.h"
#include "sim/core/result.h"

namespace mepsim::dashboard {

// What a page is given when it connects or falls behind: everything it shows, as the
// "snapshot" event's JSON.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual std::string snapshot_json() const = 0;
};

// Where a load's posted seconds go (the live dashboard). Called from the server's threads.
class LoadSecondsSink {
 public:
  virtual ~LoadSecondsSink() = default;
  // How many seconds were kept; they must show in snapshots from now on.
  virtual std::size_t add_load_seconds(const std::string& name,
                                       const std::vector<LoadSecond>& seconds) = 0;
};

struct DashboardServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one
};

class DashboardServer {
 public:
  // `feed`, `source` and `loads` (may be null: no POST) must outlive the server.
  DashboardServer(DashboardFeed& feed, const SnapshotSource& source,
                  DashboardServerOptions options = {}, LoadSecondsSink* loads = nullptr);
  ~DashboardServer();  // stops
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  Result<void> start();  // binds, then serves on threads of its own
  // Closes the feed (every stream ends within a second), then stops serving. Idempotent.
  void stop();
  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT/"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::dashboard
