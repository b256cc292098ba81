#pragma once
// The per-app router: what stands between users (or the load generator) and the app's
// web containers, like Scalingo's. HTTP/1.1 keep-alive to clients, pooled keep-alive
// connections to backends, round-robin over the backends that are not draining, an
// X-Request-Id on every exchange, 503 when no container is there, 504 past the upstream
// timeout, 502 on a broken upstream (a GET or HEAD is first retried once elsewhere).
// It does not probe backends: the platform decides which are healthy and says so with
// set_backends and drain. It is on the measured data plane: nothing here may be the
// bottleneck of what it measures, so access events are sampled and off by default.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/core/result.h"
#include "sim/router/router_options.h"

namespace mepsim::router {

struct RouterState;

class Router {
 public:
  // `events` and `clock` must outlive the io_context's handlers; the clock stamps access
  // events and their durations (a sped-up clock gives sped-up durations).
  Router(boost::asio::io_context& io, RouterOptions options, EventLog& events, Clock& clock);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Binds and starts accepting on the io_context; the caller runs it.
  Result<void> listen();
  std::uint16_t port() const { return port_; }

  // The backends from now on. A backend already listed keeps its pooled connections and
  // stops draining; one no longer listed gets no new request, its in-flight ones finish.
  // Fails (and changes nothing) when a host is neither an address nor resolvable.
  Result<void> set_backends(std::vector<Backend> backends);
  // Sends no new request to `id`; `on_drained` runs once none is in flight there, at once
  // on the caller's thread when none is, else on an io_context thread.
  Result<void> drain(const std::string& id, std::function<void()> on_drained = {});
  std::vector<BackendStatus> backends() const;

  // Stops accepting, closes idle connections both ways; a request in flight gets its
  // response, with "Connection: close".
  void close();

 private:
  std::shared_ptr<RouterState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace mepsim::router
