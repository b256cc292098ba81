#pragma once
// Internal to fakes/: the HTTP server a third-party fake runs on (cpp-httplib, loopback by
// default, TCP_NODELAY). A fake is a table of routes; the server wraps every handler with
// the chaos layer, an exception guard and the request journal, so handlers only read the
// request and answer it with the real service's shapes.
//
// Only .cc files of fakes/ (and tests) include this header: it includes httplib, which
// must not leak into the public headers of mepsim_fakes.

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::fakes {

// One request being answered, and what the journal will say about it.
struct FakeExchange {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> notes;

  std::string param(std::size_t n) const { return req.matches[n].str(); }
};

struct FakeRoute {
  std::string method;     // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;    // httplib regex
  std::string operation;  // chaos and journal name: "envelope", "send_email"…
  std::function<void(FakeExchange&)> handler;
  // A regex group of the path that is a capability (a webhook id, a key): journaled as
  // [redacted]. 0: none.
  int secret_group = 0;
};

struct FakeServerOptions {
  std::string name;  // "sentry", "brevo"…: the chaos layer's and the journal's name
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one
  int threads = 8;
  std::size_t body_bytes_max = 1 << 20;  // larger bodies: 413
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
  // Control-plane time of journal entries and outage windows; null: the latency clock.
  const Clock* control_clock = nullptr;
  // Handler latency (real time) and the chaos delays, slept on it; null: an unscaled
  // RealClock of the server's own.
  Clock* latency_clock = nullptr;
  Chaos* chaos = nullptr;  // null: no chaos
  // Capabilities the journal never shows, whatever route the request reached: a webhook id
  // sent with the wrong method or under a longer path matches no route's secret group.
  std::vector<std::string> journal_secrets;
  // The fake's error body for a status the chaos layer or the server itself answers
  // (404 no route, 413, 500, a drawn error or 429): the real service's shape.
  std::function<void(httplib::Response&, int status, const std::string& message)> error_body;
};

class FakeServer {
 public:
  FakeServer(FakeServerOptions options, std::vector<FakeRoute> routes);
  ~FakeServer();  // stops
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  Result<void> start();  // binds, serves on background threads
  void stop();           // idempotent
  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  RequestJournal& journal();
  const FakeServerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes
