#pragma once
// What a Router is told: where to listen, the backends it spreads requests over, and the
// bounds that keep one slow client or backend from taking the router down with it.

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/core/clock.h"

namespace mepsim::router {

// One web container of the app, as the platform names and places it.
struct Backend {
  std::string id;  // the container label, "web-1"
  std::string host;
  std::uint16_t port = 0;
};

// What the router knows of a backend right now; for tests and reports.
struct BackendStatus {
  std::string id;
  std::string host;
  std::uint16_t port = 0;
  bool draining = false;
  std::size_t in_flight = 0;
  std::size_t idle_connections = 0;
  std::uint64_t requests = 0;  // exchanges started with it, retries included
};

struct RouterOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one; Router::port() tells which
  // From writing the request upstream to the last byte of its response: past it, 504.
  Duration upstream_timeout = std::chrono::seconds(30);
  Duration connect_timeout = std::chrono::seconds(5);
  // A client connection waiting this long for its next request (or for a response write
  // to drain) is closed.
  Duration client_idle_timeout = std::chrono::seconds(60);
  // After refusing a request (413, 400) the router reads and drops what the client still
  // sends for at most this long, so that the client reads the refusal instead of a reset.
  Duration lingering_close_timeout = std::chrono::seconds(5);
  std::size_t request_body_bytes_max = 10 << 20;  // over it: 413
  // The client's request line and headers; over it: 400, as nginx answers.
  std::size_t request_header_bytes_max = 8 << 10;
  std::size_t response_body_bytes_max = 64 << 20;  // over it: 502
  // Idle keep-alive connections kept per backend; an exchange finishing while the pool
  // is full closes its connection. Connections in use are not bounded here but by the
  // clients: one upstream exchange per client connection at a time.
  std::size_t idle_connections_per_backend_max = 64;
  // Access events (Plane::data, "router"/"access"): 0 none, 1 every request, n one in n.
  // Off by default: at load-test rates they would cost more than the proxying itself.
  std::uint32_t access_events_one_in = 0;
};

}  // namespace mepsim::router
