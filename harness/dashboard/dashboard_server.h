#pragma once
// The dashboard's HTTP server (loopback by default):
//   GET /               the page: one self-contained HTML document (dashboard_page.h)
//   GET /feed           text/event-stream: a "snapshot" first, then the feed's messages;
//                       a fresh snapshot again whenever this page fell behind
//   GET /snapshot.json  the snapshot alone, for scripts and curl
// One stream holds one server thread: at most FeedLimits::subscribers_max pages follow
// the feed at once, more get a 503. A page that stops reading costs its bounded queue and,
// once the socket's buffers are full, a write timeout that ends its stream.

#include <cstdint>
#include <memory>
#include <string>

#include "harness/dashboard/dashboard_feed.h"
#include "sim/core/result.h"

namespace mepsim::dashboard {

// What a page is given when it connects or falls behind: everything it shows, as the
// "snapshot" event's JSON.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual std::string snapshot_json() const = 0;
};

struct DashboardServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one
};

class DashboardServer {
 public:
  // `feed` and `source` must outlive the server.
  DashboardServer(DashboardFeed& feed, const SnapshotSource& source,
                  DashboardServerOptions options = {});
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
