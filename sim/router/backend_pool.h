#pragma once
// The backends a router spreads requests over: round-robin among those not draining, an
// in-flight count each (what drain waits on), and a bounded pool of idle keep-alive
// connections each, so that a request does not pay for a TCP connect. Thread-safe: the
// io_context may be run by several threads.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/router/router_options.h"

namespace mepsim::router {

// One keep-alive connection to a backend, with the bytes read past the last response.
struct UpstreamConnection {
  explicit UpstreamConnection(boost::asio::any_io_executor executor) : stream(executor) {}
  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
};

// A backend and its bookkeeping. The fields below `endpoint` are guarded by the pool's
// mutex; a proxy holding a shared_ptr may outlive the backend's removal from the pool.
struct BackendState {
  Backend backend;
  boost::asio::ip::tcp::endpoint endpoint;
  bool listed = true;
  bool draining = false;
  std::size_t in_flight = 0;
  std::uint64_t requests = 0;
  std::vector<std::unique_ptr<UpstreamConnection>> idle;  // at most the pool's bound
  std::vector<std::function<void()>> on_drained;
};

class BackendPool {
 public:
  explicit BackendPool(std::size_t idle_per_backend_max) : idle_max_(idle_per_backend_max) {}

  struct Lease {
    std::shared_ptr<BackendState> backend;
    std::unique_ptr<UpstreamConnection> connection;  // null: the caller connects
  };

  // The whole set of backends from now on. One already listed (same id, host and port)
  // keeps its connections and in-flight count, and is no longer draining.
  void set(std::vector<std::pair<Backend, boost::asio::ip::tcp::endpoint>> backends);
  // The next backend in turn that is not draining and not `exclude`, counted in flight,
  // with an idle connection when one is pooled. Nothing when there is none.
  std::optional<Lease> acquire(const BackendState* exclude);
  // Ends an exchange started by acquire. `reusable` (null when the connection broke or
  // must close) goes back to the pool while the backend is listed, active and under the
  // bound. Calls the drain callbacks when the last in-flight exchange ends.
  void release(const std::shared_ptr<BackendState>& backend,
               std::unique_ptr<UpstreamConnection> reusable);
  // Stops choosing `id`; `on_drained` runs once nothing is in flight there (at once, on
  // the caller's thread, when nothing is). False when no such backend is listed.
  bool drain(const std::string& id, std::function<void()> on_drained);
  std::vector<BackendStatus> status() const;
  // Closes every idle connection and pools none from now on.
  void close();

 private:
  const std::size_t idle_max_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<BackendState>> backends_;
  std::size_t next_ = 0;
  bool closed_ = false;
};

}  // namespace mepsim::router
