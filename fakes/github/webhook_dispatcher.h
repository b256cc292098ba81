#pragma once
// Internal to the GitHub fake: webhook deliveries, one at a time and in order, from one
// background thread, so that a subscriber (which may call back into the API or the
// platform) never runs under the model's lock. GitHub does not retry a failed delivery;
// neither does this: failures are recorded and counted.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "fakes/github/github_fake.h"
#include "sim/core/clock.h"
#include "sim/core/event_log.h"

namespace mepsim::fakes::github {

// One payload for one target: a hook over HTTP, or a C++ listener.
struct WebhookJob {
  std::string event;   // X-GitHub-Event
  std::string action;  // payload.action or ""
  std::string guid;    // X-GitHub-Delivery
  nlohmann::json payload;
  std::uint64_t hook_id = 0;  // 0: a C++ listener
  std::string url, secret, content_type;
  SubscriptionId subscription = 0;
  WebhookListener listener;
};

class WebhookDispatcher {
 public:
  // `queue_max` jobs wait at most (the oldest goes when full); `log_max` deliveries are
  // kept for deliveries(). `timeout` bounds one HTTP delivery, in real time.
  WebhookDispatcher(EventLog& events, const Clock& control_clock, std::size_t queue_max,
                    std::size_t log_max, Duration timeout);
  ~WebhookDispatcher();  // stops
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  // Drops what is still queued (counted as dropped), waits for the one in flight.
  void stop();
  void enqueue(WebhookJob job);

  std::vector<WebhookDelivery> deliveries() const;
  DeliveryStats stats() const;
  bool wait_idle(Duration timeout) const;

 private:
  void run();
  // The delivery's outcome: the subscriber's status code (0: none) and why it failed.
  WebhookDelivery deliver(const WebhookJob& job);
  // `target_id` ("hook:ID", "c++:ID") names the target in events: a hook's URL may carry
  // a capability, so it stays out of the event log.
  void record(WebhookDelivery delivery, const std::string& target_id);

  EventLog& events_;
  const Clock& control_clock_;
  const std::size_t queue_max_;
  const std::size_t log_max_;
  const Duration timeout_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<WebhookJob> queue_;     // bounded by queue_max_
  std::deque<WebhookDelivery> log_;  // bounded by log_max_
  bool in_flight_ = false;
  bool stopping_ = false;
  std::uint64_t next_delivery_id_ = 1;
  DeliveryStats stats_;
  std::thread thread_;
};

// "sha256=<hex HMAC-SHA256(secret, body)>": the X-Hub-Signature-256 header.
std::string webhook_signature(const std::string& secret, const std::string& body);

}  // namespace mepsim::fakes::github
