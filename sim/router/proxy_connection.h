#pragma once
// One client connection through the router: read a request, pass it to a backend over a
// pooled keep-alive connection, write the response back, then wait for the next request.
// One request at a time (HTTP/1.1 without pipelining), so a connection never holds more
// than one upstream exchange.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <string>

#include "sim/router/router_state.h"

namespace mepsim::router {

class ProxyConnection : public std::enable_shared_from_this<ProxyConnection> {
 public:
  ProxyConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<RouterState> state);
  ~ProxyConnection();
  ProxyConnection(const ProxyConnection&) = delete;
  ProxyConnection& operator=(const ProxyConnection&) = delete;

  void start();
  // Ends the connection if it is waiting for a request; else it ends after its response
  // (the router's closing flag says so). Runs on the connection's executor.
  void stop_when_idle();
  boost::asio::any_io_executor executor() { return client_.get_executor(); }

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void read_request();
  void on_request(boost::beast::error_code ec);
  void prepare_upstream_request();
  void forward(const BackendState* exclude);
  void write_upstream();
  void read_upstream();
  void on_upstream_response(boost::beast::error_code ec);
  void on_upstream_error(boost::beast::error_code ec, bool connecting);
  void reply_local(boost::beast::http::status status, bool keep_alive);
  void write_response();
  void on_response_written(boost::beast::error_code ec);
  void linger();
  void discard_input();
  void shutdown();
  void publish_access();

  std::shared_ptr<RouterState> state_;
  boost::beast::tcp_stream client_;
  boost::beast::flat_buffer client_buffer_;
  std::string client_address_;  // for X-Forwarded-For, formatted once per connection
  std::atomic<bool> waiting_for_request_{false};

  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>>
      upstream_parser_;
  Request request_;
  Response response_;
  bool client_keep_alive_ = true;
  unsigned client_version_ = 11;
  bool retried_ = false;
  bool linger_ = false;  // the request was not read to its end: drain it before closing
  std::string request_id_;

  std::shared_ptr<BackendState> backend_;  // the exchange in flight, if any
  std::unique_ptr<UpstreamConnection> upstream_;
  std::shared_ptr<BackendState> served_by_;  // for the access event
  Instant started_{};
  bool sampled_ = false;
};

}  // namespace mepsim::router
