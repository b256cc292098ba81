// mepsim-hello-bench: a bare Boost.Beast hello server on the same HttpServer as the web
// container, with nothing behind it: the peer every data-plane figure is compared with.
// Usage: mepsim-hello-bench PORT [THREADS]

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "bench/serve_until_signal.h"
#include "sim/web/http_server.h"

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  unsigned threads = 2;
  const auto parse = [](std::string_view text, auto& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  if (argc < 2 || !parse(argv[1], port) ||
      (argc > 2 && (!parse(argv[2], threads) || threads == 0))) {
    fmt::print(stderr, "usage: mepsim-hello-bench PORT [THREADS]\n");
    return 2;
  }
  boost::asio::io_context io(static_cast<int>(threads));
  auto server = mepsim::web::HttpServer::listen(
      io, {"127.0.0.1", port, 1 << 20}, [](const mepsim::web::Request& request) {
        mepsim::web::Response response(boost::beast::http::status::ok, request.version());
        response.set(boost::beast::http::field::content_type, "text/plain");
        response.body() = "hello";
        return response;
      });
  if (!server) {
    fmt::print(stderr, "mepsim-hello-bench: {}\n", server.error().message);
    return 1;
  }
  return mepsim::bench::serve_until_signal(io, threads, "mepsim-hello-bench",
                                           server.value()->port());
}
