#pragma once
// In-process peers for the third-party client tests: a scripted HTTP peer (the container's
// own Beast server on 127.0.0.1:0, answering through a handler and recording what it got)
// and a silent one that completes TCP handshakes but never reads or answers.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/web/http_server.h"

namespace mepsim::stub {

namespace http = boost::beast::http;

inline web::Response make_response(http::status status, std::string body,
                                   std::string content_type = "application/json") {
  web::Response response(status, 11);
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

inline std::string header_of(const web::Request& request, std::string_view name) {
  const auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return {};
  const auto value = it->value();
  return std::string(value.data(), value.size());
}

class StubHttpPeer {
 public:
  explicit StubHttpPeer(web::Handler handler) {
    auto recorded = [this, handler = std::move(handler)](const web::Request& request) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      return handler(request);
    };
    web::ServerOptions options;
    options.body_bytes_max = 16u << 20;
    auto server = web::HttpServer::listen(io_, options, std::move(recorded));
    if (!server) ADD_FAILURE() << server.error().message;
    if (server) server_ = std::move(server.value());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~StubHttpPeer() {
    io_.stop();
    thread_.join();
  }
  StubHttpPeer(const StubHttpPeer&) = delete;
  StubHttpPeer& operator=(const StubHttpPeer&) = delete;

  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  std::vector<web::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<web::HttpServer> server_;
  mutable std::mutex mutex_;
  std::vector<web::Request> requests_;
  std::thread thread_;
};

// Listens (the kernel completes handshakes into the backlog) but never accepts: a peer
// that takes the connection and then says nothing.
class SilentPeer {
 public:
  SilentPeer() : acceptor_(io_) {
    using boost::asio::ip::tcp;
    const tcp::endpoint endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

// A port nobody listens on: bound by the kernel's choice, then released.
inline std::uint16_t refused_port() {
  using boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace mepsim::stub
