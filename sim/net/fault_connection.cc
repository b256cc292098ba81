#include "sim/net/fault_connection.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace mepsim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A plain copy loop reads this much at once: few system calls per megabyte.
constexpr std::size_t kBufferBytes = 64 * 1024;
// Under a bandwidth limit a read takes at most this long to send, so that a large read
// does not leave and arrive as one late burst.
constexpr auto kThrottleSlice = std::chrono::milliseconds(50);

void close_with_reset(tcp::socket& socket) {
  boost::system::error_code ignored;
  if (!socket.is_open()) return;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

}  // namespace

FaultConnection::Pipe::Pipe(tcp::socket& source, tcp::socket& sink, FaultDirection direction,
                            Rng pipe_rng)
    : from(source),
      to(sink),
      way(direction),
      rng(std::move(pipe_rng)),
      timer(source.get_executor()),
      buffer(kBufferBytes) {}

FaultConnection::FaultConnection(tcp::socket client, std::shared_ptr<FaultProxyState> state,
                                 Rng rng)
    : state_(std::move(state)),
      client_(std::move(client)),
      upstream_(client_.get_executor()),
      rng_(std::move(rng)),
      to_server_(client_, upstream_, FaultDirection::to_server, rng_.fork("to_server")),
      to_client_(upstream_, client_, FaultDirection::to_client, rng_.fork("to_client")) {}

FaultConnection::~FaultConnection() {
  forget();
}

const FaultPolicy& FaultConnection::policy() {
  const auto generation = state_->generation.load(std::memory_order_acquire);
  if (generation != policy_generation_) {
    policy_ = state_->current_policy();
    policy_generation_ = generation;
  }
  return policy_;
}

void FaultConnection::start() {
  {
    std::lock_guard lock(state_->mutex);
    state_->connections[this] = weak_from_this();
  }
  boost::system::error_code ignored;
  client_.set_option(tcp::no_delay(true), ignored);
  if (state_->closing) return reset();
  const FaultPolicy& now = policy();
  if (now.blackhole) {
    blackholed_ = true;
    ++state_->counters.connections_blackholed;
    return drop_input();
  }
  if (draw_reset(now, rng_)) {
    ++state_->counters.connections_reset;
    return reset();
  }
  connect_upstream();
}

void FaultConnection::connect_upstream() {
  upstream_.async_connect(state_->upstream,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            if (self->closed_) return;
                            // An upstream that refuses is a connection the client sees fail, as
                            // without the proxy.
                            if (ec) return self->reset();
                            boost::system::error_code ignored;
                            self->upstream_.set_option(tcp::no_delay(true), ignored);
                            self->read(self->to_server_);
                            self->read(self->to_client_);
                          });
}

void FaultConnection::drop_input() {
  client_.async_read_some(asio::buffer(to_server_.buffer),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            if (self->closed_) return;
                            if (ec) return self->reset();
                            self->drop_input();
                          });
}

void FaultConnection::policy_changed() {
  if (closed_) return;
  const FaultPolicy& now = policy();
  if (blackholed_) {
    if (!now.blackhole) reset();  // see fault_proxy.h: it could not have connected
    return;
  }
  for (Pipe* p : {&to_server_, &to_client_}) {
    if (p->waiting) {
      p->timer.cancel();  // its handler looks again, under the new policy
    } else {
      write_next(*p);
    }
  }
}

void FaultConnection::read(Pipe& p) {
  if (p.reading || p.eof || closed_ || p.queued_bytes >= state_->options.queued_bytes_max) return;
  std::size_t size = p.buffer.size();
  const FaultPolicy& now = policy();
  if (now.applies_to(p.way) && now.bandwidth_kbps != 0) {
    const std::uint64_t slice_bytes =
        now.bandwidth_kbps * 1000 / 8 * static_cast<std::uint64_t>(kThrottleSlice.count()) / 1000;
    size = std::clamp<std::size_t>(static_cast<std::size_t>(slice_bytes), 1, size);
  }
  p.reading = true;
  p.from.async_read_some(
      asio::buffer(p.buffer.data(), size),
      [self = shared_from_this(), &p](boost::system::error_code ec, std::size_t n) {
        self->on_read(p, ec, n);
      });
}

void FaultConnection::on_read(Pipe& p, boost::system::error_code ec, std::size_t n) {
  p.reading = false;
  if (closed_) return;
  if (ec == asio::error::eof) {
    p.eof = true;
    return finish(p);
  }
  if (ec) return reset();  // a peer's reset goes on to the other peer
  bytes_read_ += n;
  const FaultPolicy& now = policy();
  if (now.reset_after_bytes != 0 && bytes_read_ >= now.reset_after_bytes) {
    ++state_->counters.connections_reset;
    return reset();
  }
  if (now.pass_through(p.way) && p.queue.empty() && !p.writing) return write_direct(p, n);
  const Duration delay = now.applies_to(p.way) ? draw_delay(now, p.rng) : Duration::zero();
  if (delay > Duration::zero()) ++state_->counters.chunks_delayed;
  p.queue.push_back(
      {std::vector<char>(p.buffer.begin(), p.buffer.begin() + static_cast<std::ptrdiff_t>(n)),
       state_->clock.now() + delay});
  p.queued_bytes += n;
  write_next(p);
  read(p);
}

// The plain copy loop: the buffer is the write's until it completes, then read again.
void FaultConnection::write_direct(Pipe& p, std::size_t n) {
  p.writing = true;
  asio::async_write(
      p.to, asio::buffer(p.buffer.data(), n),
      [self = shared_from_this(), &p](boost::system::error_code ec, std::size_t written) {
        p.writing = false;
        if (self->closed_) return;
        if (ec) return self->reset();
        self->count_written(p, written);
        self->read(p);
      });
}

void FaultConnection::write_next(Pipe& p) {
  if (p.writing || p.waiting || closed_) return;
  if (p.queue.empty()) {
    if (p.eof) finish(p);
    return;
  }
  const FaultPolicy& now = policy();
  if (now.blackhole) return hold(p);
  const Instant at_clock = state_->clock.now();
  Instant due = p.queue.front().due;
  const bool throttled = now.applies_to(p.way) && now.bandwidth_kbps != 0;
  if (throttled) due = std::max(due, p.bandwidth_free_at);
  if (due > at_clock) return wait(p, due - at_clock);
  const std::size_t size = p.queue.front().bytes.size();
  if (throttled) {
    p.bandwidth_free_at = std::max(at_clock, p.bandwidth_free_at) + transmission_time(now, size);
    ++state_->counters.chunks_throttled;
  }
  p.writing = true;
  asio::async_write(
      p.to, asio::buffer(p.queue.front().bytes),
      [self = shared_from_this(), &p, size](boost::system::error_code ec, std::size_t) {
        p.writing = false;
        if (self->closed_) return;
        if (ec) return self->reset();
        p.queue.pop_front();
        p.queued_bytes -= size;
        self->count_written(p, size);
        self->write_next(p);
        self->read(p);
      });
}

void FaultConnection::wait(Pipe& p, Duration d) {
  p.waiting = true;
  p.timer.expires_after(d);
  p.timer.async_wait([self = shared_from_this(), &p](boost::system::error_code) {
    p.waiting = false;
    if (!self->closed_) self->write_next(p);
  });
}

// Until the policy changes: policy_changed() cancels the wait.
void FaultConnection::hold(Pipe& p) {
  for (auto& chunk : p.queue) {
    if (chunk.held) continue;
    chunk.held = true;
    ++state_->counters.chunks_held;
  }
  wait(p, std::chrono::hours(24 * 365));
}

// The peer of `p.from` sent its FIN and everything before it went through.
void FaultConnection::finish(Pipe& p) {
  if (p.done || p.writing || p.waiting || !p.queue.empty()) return;
  const FaultPolicy& now = policy();
  if (now.blackhole) return hold(p);
  if (now.slow_close_ms != 0 && now.applies_to(p.way)) {
    const Instant at_clock = state_->clock.now();
    if (!p.close_delayed) {
      p.close_delayed = true;
      p.close_due = at_clock + std::chrono::milliseconds(now.slow_close_ms);
      ++state_->counters.closes_delayed;
    }
    // Another policy change wakes the wait early: it goes on waiting while one applies.
    if (p.close_due > at_clock) return wait(p, p.close_due - at_clock);
  }
  p.done = true;
  boost::system::error_code ignored;
  p.to.shutdown(tcp::socket::shutdown_send, ignored);
  if (to_server_.done && to_client_.done) close();
}

void FaultConnection::count_written(const Pipe& p, std::size_t n) {
  auto& counter = p.way == FaultDirection::to_server ? state_->counters.bytes_to_server
                                                     : state_->counters.bytes_to_client;
  counter += n;
}

void FaultConnection::reset() {
  if (closed_) return;
  closed_ = true;
  close_with_reset(client_);
  close_with_reset(upstream_);
  to_server_.timer.cancel();
  to_client_.timer.cancel();
  forget();
}

void FaultConnection::close() {
  closed_ = true;
  boost::system::error_code ignored;
  client_.close(ignored);
  upstream_.close(ignored);
  to_server_.timer.cancel();
  to_client_.timer.cancel();
  forget();
}

void FaultConnection::forget() {
  std::lock_guard lock(state_->mutex);
  state_->connections.erase(this);
}

}  // namespace mepsim
