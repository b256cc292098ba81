#pragma once
// The dashboard's live feed: what each open page's EventSource receives. One publisher
// (the live dashboard's thread) hands messages to every subscriber (one per open page).
// A subscriber's queue is bounded in messages and in bytes: when a slow or absent browser
// lets it fill, the queue is emptied and the subscriber is owed a fresh snapshot instead
// ("resync"), so that memory never grows with what a page fails to read. Messages that
// carry a whole picture (the topology's state, the charts) replace one of their kind still
// queued rather than queue behind it.
//
// Thread-safety: every member may be called from any thread.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/core/clock.h"

namespace mepsim::dashboard {

// One server-sent event: its type ("state", "events"…) and its data (JSON on one line).
struct FeedMessage {
  std::string event;
  std::string data;
  // A newer message of the same event replaces one still queued: the page would redraw
  // the older one only to redraw it again.
  bool replaces_queued = false;
};

// "event: state\ndata: {…}\n\n"; data holding line breaks becomes several data lines.
std::string sse_frame(const std::string& event, const std::string& data);

struct FeedLimits {
  std::size_t messages_max = 64;    // queued per subscriber
  std::size_t bytes_max = 4 << 20;  // of queued data per subscriber
  std::size_t subscribers_max = 8;  // open pages at once; more are refused
};

class FeedSubscription {
 public:
  enum class Kind {
    message,  // `message` is the next one, in publication order
    resync,   // send a fresh snapshot: the first answer, and the one after an overflow
    idle,     // nothing within the wait
    closed    // the feed closed: end the stream
  };
  struct Next {
    Kind kind = Kind::idle;
    FeedMessage message;
  };

  explicit FeedSubscription(const FeedLimits& limits);
  // Waits at most `wait` (real time) for something to send.
  Next next(Duration wait);

  std::size_t queued_messages() const;
  std::size_t queued_bytes() const;
  std::uint64_t overflows() const;  // times the queue was emptied for a resync

 private:
  friend class DashboardFeed;
  void offer(const FeedMessage& message);
  void close();

  const FeedLimits limits_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<FeedMessage> queue_;  // at most limits_.messages_max
  std::size_t bytes_ = 0;          // of queue_'s data, at most limits_.bytes_max
  bool resync_ = true;             // while set, offers are dropped: the snapshot covers them
  bool closed_ = false;
  std::uint64_t overflows_ = 0;
};

class DashboardFeed {
 public:
  explicit DashboardFeed(FeedLimits limits = {});
  ~DashboardFeed();  // closes

  // A new subscriber, owed a snapshot first; null when subscribers_max are open already
  // (or the feed is closed). The subscription ends when its last holder drops it.
  std::shared_ptr<FeedSubscription> subscribe();
  // To every open subscriber. Publish only after the snapshot would include the message:
  // a subscriber still owed one drops it.
  void publish(const FeedMessage& message);
  // Every subscriber's next() says closed from now on; subscribe() gives null.
  void close();
  std::size_t subscribers() const;
  const FeedLimits& limits() const { return limits_; }

 private:
  std::vector<std::shared_ptr<FeedSubscription>> live_locked();

  const FeedLimits limits_;
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<FeedSubscription>> subscribers_;  // at most subscribers_max live
  bool closed_ = false;
};

}  // namespace mepsim::dashboard
