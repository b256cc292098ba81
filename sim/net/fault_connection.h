#pragma once
// One client connection through a FaultProxy, and what its connections share with the
// proxy (they may outlive the FaultProxy object by the time their handlers take to end,
// so they hold it by shared_ptr). See fault_proxy.h for what each fault does.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/rng.h"
#include "sim/net/fault_policy.h"
#include "sim/net/fault_proxy.h"

namespace mepsim {

class FaultConnection;

struct FaultProxyState {
  FaultProxyState(boost::asio::io_context& context, FaultProxyOptions proxy_options, Rng proxy_rng,
                  Clock& proxy_clock)
      : io(context),
        options(std::move(proxy_options)),
        clock(proxy_clock),
        acceptor(context),
        rng(std::move(proxy_rng)) {}

  // The policy as a connection sees it: read under the lock only when it changed.
  FaultPolicy current_policy() const {
    std::lock_guard lock(mutex);
    return policy;
  }

  boost::asio::io_context& io;
  const FaultProxyOptions options;
  Clock& clock;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::ip::tcp::endpoint upstream;
  std::atomic<bool> closing{false};
  std::atomic<std::uint64_t> generation{0};  // bumped by each set_policy

  // Under `mutex`: the policy, the stream connections fork theirs from, the live connections
  // (bounded by the open connections, the process's file descriptor limit).
  mutable std::mutex mutex;
  FaultPolicy policy;
  Rng rng;
  std::uint64_t accepted = 0;
  std::unordered_map<const FaultConnection*, std::weak_ptr<FaultConnection>> connections;

  struct Counters {
    std::atomic<std::uint64_t> connections{0}, bytes_to_server{0}, bytes_to_client{0},
        connections_reset{0}, chunks_delayed{0}, chunks_throttled{0}, chunks_held{0},
        connections_blackholed{0}, closes_delayed{0};
  } counters;
};

class FaultConnection : public std::enable_shared_from_this<FaultConnection> {
 public:
  FaultConnection(boost::asio::ip::tcp::socket client, std::shared_ptr<FaultProxyState> state,
                  Rng rng);
  ~FaultConnection();
  FaultConnection(const FaultConnection&) = delete;
  FaultConnection& operator=(const FaultConnection&) = delete;

  // Each on the connection's strand.
  void start();
  void policy_changed();
  void reset();  // RST both ways
  boost::asio::any_io_executor executor() { return client_.get_executor(); }

 private:
  struct Chunk {
    std::vector<char> bytes;
    Instant due{};
    bool held = false;  // counted once as held by a blackhole
  };
  // One direction: reads `from`, writes `to`.
  struct Pipe {
    Pipe(boost::asio::ip::tcp::socket& source, boost::asio::ip::tcp::socket& sink,
         FaultDirection direction, Rng pipe_rng);
    boost::asio::ip::tcp::socket& from;
    boost::asio::ip::tcp::socket& to;
    FaultDirection way;
    Rng rng;
    boost::asio::steady_timer timer;
    std::vector<char> buffer;
    std::deque<Chunk> queue;  // bounded by queued_bytes_max
    std::size_t queued_bytes = 0;
    Instant bandwidth_free_at{};
    Instant close_due{};  // when a slow close lets the FIN go
    bool reading = false, writing = false, waiting = false;
    bool eof = false, close_delayed = false, done = false;
  };

  const FaultPolicy& policy();
  void connect_upstream();
  void drop_input();  // a connection opened during a blackhole
  void read(Pipe& p);
  void on_read(Pipe& p, boost::system::error_code ec, std::size_t n);
  void write_direct(Pipe& p, std::size_t n);
  void write_next(Pipe& p);
  void wait(Pipe& p, Duration d);
  void hold(Pipe& p);
  void finish(Pipe& p);
  void count_written(const Pipe& p, std::size_t n);
  void close();
  void forget();

  std::shared_ptr<FaultProxyState> state_;
  boost::asio::ip::tcp::socket client_;
  boost::asio::ip::tcp::socket upstream_;
  Rng rng_;
  FaultPolicy policy_;
  std::uint64_t policy_generation_ = ~std::uint64_t{0};
  Pipe to_server_;
  Pipe to_client_;
  std::uint64_t bytes_read_ = 0;  // both ways, for reset_after_bytes
  bool blackholed_ = false;       // opened during a blackhole: never connected
  bool closed_ = false;
};

}  // namespace mepsim
