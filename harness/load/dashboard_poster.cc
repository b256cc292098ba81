#include "harness/load/dashboard_poster.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "harness/load/load_tally.h"

namespace mepsim::load {

using dashboard::LoadSecond;

Result<std::unique_ptr<DashboardPoster>> DashboardPoster::start(
    DashboardPosterOptions options, Clock& clock, std::function<void(const std::string&)> warn) {
  auto url = parse_http_url(options.dashboard_url);
  if (!url) return url.error().context("the dashboard's URL");
  if (!dashboard::valid_load_name(options.load_name)) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("'{}' is not a load name the dashboard takes (1 to 64 of "
                                  "A-Z a-z 0-9 . _ -)",
                                  options.load_name));
  }
  if (options.queue_seconds_max == 0 || options.seconds_per_post_max == 0) {
    return make_error(ErrorCode::invalid_input, "the poster's bounds must be positive");
  }
  std::string path = url->target;
  if (path.empty() || path.back() != '/') path += '/';
  url->target = path + "load/" + options.load_name + "/seconds";
  return std::unique_ptr<DashboardPoster>(
      new DashboardPoster(std::move(options), std::move(url).value(), clock, std::move(warn)));
}

DashboardPoster::DashboardPoster(DashboardPosterOptions options, HttpUrl url, Clock& clock,
                                 std::function<void(const std::string&)> warn)
    : options_(std::move(options)),
      url_(std::move(url)),
      clock_(clock),
      warn_(std::move(warn)),
      thread_([this] { run(); }) {}

DashboardPoster::~DashboardPoster() {
  finish();
}

void DashboardPoster::offer(std::vector<LoadSecond> seconds) {
  if (seconds.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (finishing_) {
      counts_.offered += static_cast<std::int64_t>(seconds.size());
      counts_.dropped += static_cast<std::int64_t>(seconds.size());
      return;
    }
    for (auto& s : seconds) queue_.push_back(std::move(s));
    counts_.offered += static_cast<std::int64_t>(seconds.size());
    drop_beyond_bound_locked();
  }
  changed_.notify_all();
}

void DashboardPoster::drop_beyond_bound_locked() {
  while (queue_.size() > options_.queue_seconds_max) {
    queue_.pop_front();
    ++counts_.dropped;
  }
}

DashboardPosterCounts DashboardPoster::finish() {
  std::call_once(finish_once_, [this] {
    {
      std::lock_guard lock(mutex_);
      finishing_ = true;
      finish_by_ = clock_.now() + options_.finish_wait_max;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    counts_.dropped += static_cast<std::int64_t>(queue_.size());
    queue_.clear();
  });
  return counts();
}

DashboardPosterCounts DashboardPoster::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void DashboardPoster::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return finishing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // finishing, nothing left
    Duration timeout = options_.post_timeout;
    if (finishing_) {
      // At the end a dashboard that did not answer is not waited for.
      const Duration left = finish_by_ - clock_.now();
      if (failing_ || left <= Duration::zero()) return;
      timeout = std::min(timeout, left);
    }
    const std::size_t n = std::min(queue_.size(), options_.seconds_per_post_max);
    std::vector<LoadSecond> batch(std::make_move_iterator(queue_.begin()),
                                  std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    lock.unlock();
    std::string error;
    const Outcome outcome = post(batch, timeout, error);
    lock.lock();
    const auto size = static_cast<std::int64_t>(batch.size());
    if (outcome == Outcome::taken) {
      counts_.posted += size;
      failing_ = false;
      continue;
    }
    ++counts_.posts_failed;
    counts_.last_error = error;
    const bool first = !warned_;
    warned_ = true;
    if (outcome == Outcome::refused) {
      counts_.dropped += size;
    } else {
      // Back in front, in order, to be tried again; what no longer fits is dropped.
      queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.end()));
      drop_beyond_bound_locked();
      failing_ = true;
    }
    if (first && warn_) {
      lock.unlock();
      warn_(error);
      lock.lock();
    }
    if (outcome == Outcome::failed) {
      changed_.wait_for(lock, options_.retry_wait, [this] { return finishing_; });
    }
  }
}

DashboardPoster::Outcome DashboardPoster::post(const std::vector<LoadSecond>& batch,
                                               Duration timeout, std::string& error) {
  nlohmann::json body = nlohmann::json::array();
  for (const auto& s : batch) body.push_back(dashboard::load_second_json(s));
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = url_;
  exchange.headers = {{"Content-Type", "application/json"}};
  exchange.body = body.dump();
  exchange.timeout = timeout;
  auto reply = http_exchange(exchange);
  if (!reply) {
    error = reply.error().message;
    return Outcome::failed;
  }
  if (reply->status >= 200 && reply->status < 300) return Outcome::taken;
  std::string answer = reply->body.substr(0, 200);
  while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) {
    answer.pop_back();
  }
  error = fmt::format("HTTP {}: {}", reply->status, answer);
  return reply->status >= 400 && reply->status < 500 ? Outcome::refused : Outcome::failed;
}

LoadSecond load_second_of(const SecondSummary& summary, Instant load_start,
                          std::optional<std::int64_t> lost_writes) {
  LoadSecond s;
  s.second = summary.second;
  const auto start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(load_start.time_since_epoch()).count();
  s.at_ms = static_cast<std::int64_t>(start_ms) + summary.second * 1000;
  s.requests = summary.requests;
  std::int64_t answered = 0;
  for (const auto& [code, n] : summary.status) {
    if (code == kTransportErrorStatus) continue;
    const std::size_t k = code >= 200 && code <= 599 ? static_cast<std::size_t>(code / 100 - 2)
                                                     : dashboard::kLoadStatusClasses.size() - 1;
    s.status[k] += n;
    answered += n;
  }
  s.errors = summary.errors;
  if (answered > 0) {
    s.p50_ms = summary.p50_ms;
    s.p90_ms = summary.p90_ms;
    s.p99_ms = summary.p99_ms;
  }
  s.session_losses = summary.session_losses;
  s.lost_writes = lost_writes;
  s.phase = summary.phase.substr(0, dashboard::kLoadPhaseBytesMax);
  for (char& c : s.phase) {
    if (c < 0x20 || c > 0x7e) c = '?';  // the dashboard takes printable ASCII only
  }
  return s;
}

std::string default_dashboard_name(const std::string& app, long pid) {
  std::string name;
  for (const char c : app.empty() ? std::string("load") : app) {
    name += dashboard::valid_load_name(std::string_view(&c, 1)) ? c : '-';
  }
  return name.substr(0, dashboard::kLoadNameBytesMax - 12) + "-" + std::to_string(pid);
}

}  // namespace mepsim::load
