#include "sim/net/http_probe.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mepsim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Result<ProbeReply> http_get_loopback(std::uint16_t port, const std::string& target,
                                     Duration timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  // One deadline for connect, write and read: the stream's timer cancels whatever is
  // pending when it fires.
  stream.expires_after(timeout);
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, fmt::format("127.0.0.1:{}", port));
  request.keep_alive(false);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;

  stream.async_connect(endpoint, [&](beast::error_code connect_ec) {
    if (connect_ec) {
      ec = connect_ec;
      return;
    }
    http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        ec = write_ec;
        return;
      }
      http::async_read(stream, buffer, response,
                       [&](beast::error_code read_ec, std::size_t) { ec = read_ec; });
    });
  });
  io.run();
  if (ec) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("GET http://127.0.0.1:{}{}: {}", port, target, ec.message()));
  }
  return ProbeReply{static_cast<int>(response.result_int()), std::move(response.body())};
}

}  // namespace mepsim
