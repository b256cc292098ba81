#pragma once
// What a router's client connections share with it; they may outlive the Router object
// by the time it takes their current exchange to end, so they hold it by shared_ptr.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/router/backend_pool.h"
#include "sim/router/router_options.h"

namespace mepsim::router {

class ProxyConnection;

struct RouterState {
  RouterState(boost::asio::io_context& context, RouterOptions router_options, EventLog& log,
              Clock& router_clock)
      : io(context),
        options(std::move(router_options)),
        events(log),
        clock(router_clock),
        pool(options.idle_connections_per_backend_max),
        acceptor(context) {}

  boost::asio::io_context& io;
  const RouterOptions options;
  EventLog& events;
  Clock& clock;
  BackendPool pool;
  boost::asio::ip::tcp::acceptor acceptor;
  std::atomic<bool> closing{false};
  std::atomic<std::uint64_t> request_ids{0};   // "mepsim-<n>" for requests without one
  std::atomic<std::uint64_t> access_count{0};  // drives the access-event sampling

  // Live client connections, so that close() can end those waiting for a request.
  // Bounded by the open client connections (the process's file descriptor limit).
  std::mutex connections_mutex;
  std::unordered_map<const ProxyConnection*, std::weak_ptr<ProxyConnection>> connections;
};

}  // namespace mepsim::router
