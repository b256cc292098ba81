#include "harness/dashboard/dashboard_feed.h"

#include <algorithm>

namespace mepsim::dashboard {

std::string sse_frame(const std::string& event, const std::string& data) {
  std::string out = "event: " + event + "\n";
  std::size_t start = 0;
  while (true) {
    const auto eol = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data, start, eol == std::string::npos ? std::string::npos : eol - start);
    out += '\n';
    if (eol == std::string::npos) break;
    start = eol + 1;
    if (data[eol] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out += '\n';
  return out;
}

FeedSubscription::FeedSubscription(const FeedLimits& limits) : limits_(limits) {}

FeedSubscription::Next FeedSubscription::next(Duration wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait, [this] { return closed_ || resync_ || !queue_.empty(); });
  if (closed_) return {Kind::closed, {}};
  if (resync_) {
    resync_ = false;
    return {Kind::resync, {}};
  }
  if (queue_.empty()) return {Kind::idle, {}};
  Next out{Kind::message, std::move(queue_.front())};
  queue_.pop_front();
  bytes_ -= out.message.data.size();
  return out;
}

void FeedSubscription::offer(const FeedMessage& message) {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || resync_) return;
    auto same = message.replaces_queued
                    ? std::find_if(queue_.begin(), queue_.end(),
                                   [&](const FeedMessage& m) { return m.event == message.event; })
                    : queue_.end();
    if (same != queue_.end()) {
      bytes_ -= same->data.size();
      *same = message;
    } else {
      queue_.push_back(message);
    }
    bytes_ += message.data.size();
    if (queue_.size() > limits_.messages_max || bytes_ > limits_.bytes_max) {
      // The page fell behind: what it missed is in the snapshot it gets instead.
      queue_.clear();
      bytes_ = 0;
      resync_ = true;
      ++overflows_;
    }
  }
  changed_.notify_all();
}

void FeedSubscription::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    queue_.clear();
    bytes_ = 0;
  }
  changed_.notify_all();
}

std::size_t FeedSubscription::queued_messages() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t FeedSubscription::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::uint64_t FeedSubscription::overflows() const {
  std::lock_guard lock(mutex_);
  return overflows_;
}

DashboardFeed::DashboardFeed(FeedLimits limits) : limits_(limits) {}

DashboardFeed::~DashboardFeed() {
  close();
}

std::vector<std::shared_ptr<FeedSubscription>> DashboardFeed::live_locked() {
  std::vector<std::shared_ptr<FeedSubscription>> live;
  std::erase_if(subscribers_, [&](const std::weak_ptr<FeedSubscription>& weak) {
    auto strong = weak.lock();
    if (!strong) return true;
    live.push_back(std::move(strong));
    return false;
  });
  return live;
}

std::shared_ptr<FeedSubscription> DashboardFeed::subscribe() {
  std::lock_guard lock(mutex_);
  if (closed_ || live_locked().size() >= limits_.subscribers_max) return nullptr;
  auto subscription = std::make_shared<FeedSubscription>(limits_);
  subscribers_.push_back(subscription);
  return subscription;
}

void DashboardFeed::publish(const FeedMessage& message) {
  std::vector<std::shared_ptr<FeedSubscription>> live;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    live = live_locked();
  }
  for (const auto& subscription : live) subscription->offer(message);
}

void DashboardFeed::close() {
  std::vector<std::shared_ptr<FeedSubscription>> live;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    live = live_locked();
    subscribers_.clear();
  }
  for (const auto& subscription : live) subscription->close();
}

std::size_t DashboardFeed::subscribers() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& weak : subscribers_) n += weak.expired() ? 0u : 1u;
  return n;
}

}  // namespace mepsim::dashboard
