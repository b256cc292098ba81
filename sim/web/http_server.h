#pragma once
// The web container's HTTP/1.1 server on Boost.Beast: keep-alive connections, one
// io_context run by a few threads. It serves the measured data plane, so each request
// costs one handler call and no allocation beyond Beast's buffers.

#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/core/result.h"

namespace mepsim::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one; port() tells which
  // A request head or body over this is answered 413 and the connection closed.
  std::size_t body_bytes_max = 1 << 20;
};

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> listen(boost::asio::io_context& io,
                                                    const ServerOptions& options, Handler handler);
  ~HttpServer();
  std::uint16_t port() const;
  // Stops accepting; connections in flight finish their current request.
  void close();

 private:
  struct State;
  explicit HttpServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace mepsim::web
