#include "fakes/github/webhook_dispatcher.h"

#include <exception>
#include <utility>

#include "fakes/common/hmac.h"
#include "sim/net/http_client.h"

namespace mepsim::fakes::github {

std::string webhook_signature(const std::string& secret, const std::string& body) {
  return "sha256=" + to_hex(hmac_sha256(secret, body));
}

WebhookDispatcher::WebhookDispatcher(EventLog& events, const Clock& control_clock,
                                     std::size_t queue_max, std::size_t log_max, Duration timeout)
    : events_(events),
      control_clock_(control_clock),
      queue_max_(queue_max == 0 ? 1 : queue_max),
      log_max_(log_max == 0 ? 1 : log_max),
      timeout_(timeout) {}

WebhookDispatcher::~WebhookDispatcher() {
  stop();
}

void WebhookDispatcher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stats_.dropped += queue_.size();
    queue_.clear();
    stats_.queued = 0;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookDispatcher::enqueue(WebhookJob job) {
  std::string dropped_event;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ++stats_.dropped;
      return;
    }
    if (queue_.size() >= queue_max_) {
      dropped_event = queue_.front().event;
      queue_.pop_front();
      ++stats_.dropped;
    }
    queue_.push_back(std::move(job));
    stats_.queued = queue_.size();
  }
  if (!dropped_event.empty()) {
    // Data plane: when a queue fills depends on how fast subscribers answer.
    events_.publish(control_clock_.now(), Plane::data, "github", "github.webhook.dropped",
                    {{"event", dropped_event}});
  }
  changed_.notify_all();
}

void WebhookDispatcher::run() {
  for (;;) {
    WebhookJob job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      stats_.queued = queue_.size();
      in_flight_ = true;
    }
    record(deliver(job), job.hook_id == 0 ? "c++:" + std::to_string(job.subscription)
                                          : "hook:" + std::to_string(job.hook_id));
  }
}

WebhookDelivery WebhookDispatcher::deliver(const WebhookJob& job) {
  WebhookDelivery delivery;
  delivery.guid = job.guid;
  delivery.event = job.event;
  delivery.action = job.action;
  delivery.at = control_clock_.now();
  if (job.hook_id == 0) {
    delivery.target = "c++:" + std::to_string(job.subscription);
    try {
      job.listener(job.event, job.payload);
      delivery.status_code = 200;
    } catch (const std::exception& e) {
      delivery.error = std::string("listener threw: ") + e.what();
    } catch (...) {
      delivery.error = "listener threw";
    }
    return delivery;
  }
  delivery.target = job.url;
  auto url = parse_http_url(job.url);
  if (!url) {
    delivery.error = url.error().message;
    return delivery;
  }
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = *url;
  exchange.timeout = timeout_;
  const std::string json = job.payload.dump();
  std::string content_type = "application/json";
  exchange.body = json;
  if (job.content_type == "form") {
    content_type = "application/x-www-form-urlencoded";
    exchange.body = "payload=" + url_encode(json);
  }
  exchange.headers = {{"Content-Type", content_type},
                      {"User-Agent", "GitHub-Hookshot/mepsim"},
                      {"X-GitHub-Event", job.event},
                      {"X-GitHub-Delivery", job.guid},
                      {"X-GitHub-Hook-ID", std::to_string(job.hook_id)},
                      {"X-GitHub-Hook-Installation-Target-Type", "repository"}};
  if (!job.secret.empty()) {
    exchange.headers.emplace_back("X-Hub-Signature-256",
                                  webhook_signature(job.secret, exchange.body));
  }
  auto reply = http_exchange(exchange);
  if (!reply) {
    delivery.error = reply.error().message;
    return delivery;
  }
  delivery.status_code = reply->status;
  if (reply->status < 200 || reply->status > 299) {
    delivery.error = "subscriber answered " + std::to_string(reply->status);
  }
  return delivery;
}

void WebhookDispatcher::record(WebhookDelivery delivery, const std::string& target_id) {
  const bool ok = delivery.error.empty();
  // Data plane: deliveries interleave with the control plane at real-time pace.
  events_.publish(control_clock_.now(), Plane::data, "github",
                  ok ? "github.webhook.delivered" : "github.webhook.failed",
                  {{"event", delivery.event},
                   {"action", delivery.action},
                   {"delivery", delivery.guid},
                   {"target", target_id},
                   {"status_code", std::to_string(delivery.status_code)},
                   {"error", delivery.error}});
  {
    std::lock_guard lock(mutex_);
    delivery.id = next_delivery_id_++;
    ++(ok ? stats_.delivered : stats_.failed);
    if (log_.size() >= log_max_) log_.pop_front();
    log_.push_back(std::move(delivery));
    in_flight_ = false;
  }
  changed_.notify_all();
}

std::vector<WebhookDelivery> WebhookDispatcher::deliveries() const {
  std::lock_guard lock(mutex_);
  return {log_.begin(), log_.end()};
}

DeliveryStats WebhookDispatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

bool WebhookDispatcher::wait_idle(Duration timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return queue_.empty() && !in_flight_; });
}

}  // namespace mepsim::fakes::github
