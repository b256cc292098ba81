#include "harness/load/load_shard.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "sim/web/fixtures.h"

namespace mepsim::load {

namespace asio = boost::asio;

LoadShard::LoadShard(LoadShared& shared, ShardPlan plan)
    : shared_(shared),
      plan_(std::move(plan)),
      arrival_timer_(io_),
      end_timer_(io_),
      tick_timer_(io_),
      rng_(plan_.seed) {
  for (std::size_t i = 0; i < plan_.connections; ++i) {
    connections_.push_back(std::make_unique<HttpConnection>(
        io_, shared_.endpoint, shared_.options.request_timeout, *this, i));
  }
  for (auto it = connections_.rbegin(); it != connections_.rend(); ++it) {
    idle_connections_.push_back(it->get());
  }
  flights_.resize(plan_.connections);
  for (const auto& a : shared_.options.accounts) {
    if (!shared_.options.fixed_path) accounts_[class_index(a.user_class)].push_back(&a);
  }
  for (const auto c : kAllClasses) {
    for (std::size_t n = 0; n < plan_.users[class_index(c)]; ++n) {
      if (VirtualUser* u = make_user(c)) idle_users_[class_index(c)].push_back(u);
    }
  }
  double sum = 0;
  for (const auto c : kAllClasses) {
    const auto found = shared_.options.mix_percent.find(c);
    sum += found == shared_.options.mix_percent.end() ? 0.0 : found->second;
    mix_cumulative_[class_index(c)] = sum;
  }
  if (sum == 0) mix_cumulative_.fill(100);  // no mix: anonymous only
  flow_.rng = &rng_;
  flow_.password = shared_.options.password;
  const int fixture_codes = std::min(64, web::fixture_signalement_count());
  for (int i = 0; i < fixture_codes; ++i) flow_.remember_code(web::fixture_code_suivi(i));
}

LoadShard::~LoadShard() {
  stop();
  join();
}

VirtualUser* LoadShard::make_user(UserClass c) {
  const std::size_t i = class_index(c);
  if (population_[i] >= kUsersPerClassMax) return nullptr;
  VirtualUser& user = users_.emplace_back();
  user.user_class = c;
  const auto& accounts = accounts_[i];
  if (c != UserClass::anonymous && !accounts.empty()) {
    user.account = accounts[(population_[i] + plan_.index) % accounts.size()];
  }
  user.id = plan_.index * 1'000'000 + users_.size();
  ++population_[i];
  std::lock_guard lock(mutex_);
  counts_.users[i] = static_cast<std::int64_t>(population_[i]);
  return &user;
}

void LoadShard::start() {
  asio::post(io_, [this] {
    const Instant now = shared_.clock.now();
    if (const auto& d = shared_.options.duration) {
      end_timer_.expires_after(shared_.start + *d - now);
      end_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping_) return;
        shared_.duration_over = true;
        begin_stop();
      });
    }
    if (plan_.tick) arm_tick();
    if (shared_.options.closed) {
      for (std::size_t i = 0; i < plan_.connections; ++i) add_arrival(now);
      pump();
    } else {
      on_arrival_timer();
    }
  });
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception&) {
      // A handler threw (out of memory): this shard stops counting; the others go on.
    }
    done_ = true;
  });
}

void LoadShard::stop() {
  asio::post(io_, [this] { begin_stop(); });
}

void LoadShard::join() {
  if (thread_.joinable()) thread_.join();
}

void LoadShard::arm_tick() {
  tick_timer_.expires_after(std::chrono::milliseconds(250));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || finished_) return;
    plan_.tick();
    arm_tick();
  });
}

UserClass LoadShard::draw_class() {
  const double x = rng_.uniform_real(0, 100);
  for (const auto c : kAllClasses) {
    if (x < mix_cumulative_[class_index(c)] && plan_.users[class_index(c)] > 0) return c;
  }
  for (const auto c : kAllClasses) {  // rounding at the top end
    if (plan_.users[class_index(c)] > 0) return c;
  }
  return UserClass::anonymous;
}

void LoadShard::add_arrival(Instant intended) {
  Arrival a{intended, shared_.phase.load(std::memory_order_relaxed), draw_class()};
  if (backlog_size_ >= kBacklogMax) {
    std::lock_guard lock(mutex_);
    counts_.total.add_error("backlog_full");
    counts_.per_class[class_index(a.user_class)].add_error("backlog_full");
    return;
  }
  backlog_[class_index(a.user_class)].push_back(a);
  const auto waiting = static_cast<std::int64_t>(++backlog_size_);
  if (waiting > counts_.backlog_max) {
    std::lock_guard lock(mutex_);
    counts_.backlog_max = waiting;
  }
}

void LoadShard::on_arrival_timer() {
  if (stopping_) return;
  const Instant now = shared_.clock.now();
  while (true) {
    const auto offset = plan_.schedule->offset_of(next_arrival_);
    if (!offset) break;  // the schedule is over; the duration timer stops the shard
    const Instant intended = shared_.start + *offset;
    if (intended > now) {
      arrival_timer_.expires_after(intended - now);
      arrival_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) on_arrival_timer();
      });
      break;
    }
    add_arrival(intended);
    ++next_arrival_;
  }
  pump();
}

void LoadShard::pump() {
  while (backlog_size_ > 0 && !idle_connections_.empty() && !stopping_) {
    // The oldest arrival whose class has a user free, or may have one more; none: wait
    // for an exchange to end.
    std::size_t next = kClassCount;
    for (std::size_t c = 0; c < kClassCount; ++c) {
      if (backlog_[c].empty()) continue;
      if (idle_users_[c].empty() && population_[c] >= kUsersPerClassMax) continue;
      if (next == kClassCount || backlog_[c].front().intended < backlog_[next].front().intended) {
        next = c;
      }
    }
    if (next == kClassCount) return;
    VirtualUser* user = nullptr;
    if (idle_users_[next].empty()) {
      user = make_user(kAllClasses[next]);
    } else {
      user = idle_users_[next].front();
      idle_users_[next].pop_front();
    }
    const Arrival arrival = backlog_[next].front();
    backlog_[next].pop_front();
    --backlog_size_;
    HttpConnection* connection = idle_connections_.back();
    idle_connections_.pop_back();
    send(*connection, *user, arrival);
  }
}

void LoadShard::send(HttpConnection& connection, VirtualUser& user, const Arrival& arrival) {
  Flight& flight = flights_[connection.index()];
  flight.user = &user;
  flight.arrival = arrival;
  flight.attempts = 1;
  flow_.maintenance_expected = shared_.maintenance_expected.load(std::memory_order_relaxed);
  if (const auto& path = shared_.options.fixed_path) {
    flight.request = PlannedRequest();
    flight.request.path = *path;
    flight.request.route = *path;
  } else {
    flight.request = plan_next(user, flow_);
  }
  write_request(flight, shared_.clock.now());
  connection.exchange(flight.bytes, flight.request.keep_body);
}

void LoadShard::write_request(Flight& flight, Instant now) {
  const PlannedRequest& r = flight.request;
  std::string& out = flight.bytes;
  out.clear();
  out.append(r.method).append(" ").append(r.path).append(" HTTP/1.1\r\nHost: ");
  out.append(shared_.host).append("\r\nUser-Agent: mepsim-load\r\n");
  const std::string cookies = flight.user->cookies.header_for(r.path, now);
  if (!cookies.empty()) out.append("Cookie: ").append(cookies).append("\r\n");
  if (!flight.user->api_token.empty() && r.path.starts_with("/api/") && r.path != "/api/login") {
    out.append("Authorization: Bearer ").append(flight.user->api_token).append("\r\n");
  }
  if (r.method != "GET") {
    if (!r.content_type.empty()) out.append("Content-Type: ").append(r.content_type).append("\r\n");
    out.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
  }
  out.append("\r\n").append(r.body);
}

void LoadShard::begin_stop() {
  if (stopping_) return;
  stopping_ = true;
  arrival_timer_.cancel();
  {
    std::lock_guard lock(mutex_);
    counts_.unsent_at_stop += static_cast<std::int64_t>(backlog_size_);
  }
  for (auto& waiting : backlog_) waiting.clear();
  backlog_size_ = 0;
  if (idle_connections_.size() == connections_.size()) return finish();
  end_timer_.expires_after(shared_.options.stop_grace);
  end_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || finished_) return;
    for (auto& c : connections_) c->abort();  // each ends as "stopped"; the last finishes
  });
}

void LoadShard::finish() {
  if (finished_) return;
  finished_ = true;
  arrival_timer_.cancel();
  end_timer_.cancel();
  tick_timer_.cancel();
  for (auto& c : connections_) c->close();
}

}  // namespace mepsim::load
