#pragma once
// A scripted third party for the web container's tests: an HTTP server on a free port
// that records every request and answers with what the test set, or hangs for a while
// (a slow geocoder, a silent Sentry).

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/clock.h"
#include "sim/web/http_server.h"

namespace mepsim::testing {

struct SeenRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class StubPeer {
 public:
  StubPeer(int status, std::string body, Duration hang = Duration::zero());
  ~StubPeer();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() const;
  // Waits (real time, at most `timeout`) until `count` requests arrived.
  bool wait_for(std::size_t count, Duration timeout) const;

 private:
  int status_;
  std::string body_;
  Duration hang_;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  boost::asio::io_context io_;
  std::unique_ptr<web::HttpServer> server_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace mepsim::testing
