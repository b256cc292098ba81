#include "sim/web/http_server.h"

#include <fmt/format.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <optional>

namespace mepsim::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<const Handler> handler, std::size_t body_bytes_max)
      : stream_(std::move(socket)), handler_(std::move(handler)), body_bytes_max_(body_bytes_max) {}

  void start() {
    beast::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    read();
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_bytes_max_);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset) {
      return close();
    }
    if (ec) {
      // Malformed or oversized input: answer it plainly, then hang up.
      const auto status = ec == http::error::body_limit ? http::status::payload_too_large
                                                        : http::status::bad_request;
      response_ = Response(status, 11);
      response_.set(http::field::content_type, "text/plain");
      response_.body() = ec.message() + "\n";
      response_.keep_alive(false);
      return write();
    }
    const Request request = parser_->release();
    response_ = (*handler_)(request);
    response_.version(request.version());
    response_.keep_alive(request.keep_alive());
    write();
  }

  void write() {
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->response_.keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<const Handler> handler_;
  std::size_t body_bytes_max_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
};

}  // namespace

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  State(asio::io_context& context, Handler h, std::size_t limit)
      : io(context),
        acceptor(asio::make_strand(context)),
        handler(std::make_shared<const Handler>(std::move(h))),
        body_bytes_max(limit) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](beast::error_code ec,
                                                                             tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        std::make_shared<Connection>(std::move(socket), self->handler, self->body_bytes_max)
            ->start();
      }
      self->accept();
    });
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  std::shared_ptr<const Handler> handler;  // shared with connections that outlive the server
  std::size_t body_bytes_max;
};

Result<std::unique_ptr<HttpServer>> HttpServer::listen(asio::io_context& io,
                                                       const ServerOptions& options,
                                                       Handler handler) {
  auto state = std::make_shared<State>(io, std::move(handler), options.body_bytes_max);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("listen address \"{}\": {}", options.address, ec.message()));
  }
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = state->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorCode::unavailable, fmt::format("listening on {}:{}: {}", options.address,
                                                          options.port, ec.message()));
  }
  state->accept();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  close();
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  return state_->acceptor.local_endpoint(ec).port();
}

void HttpServer::close() {
  asio::post(state_->acceptor.get_executor(), [state = state_] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
}

}  // namespace mepsim::web
