// mepsim-web: one web container of the replicated app, configured like the real one by
// its environment (PORT as on Scalingo). For now it serves only the router's health
// route; the app's routes come with the web-container work.

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/web/console.h"
#include "sim/web/http_server.h"

namespace {

namespace http = boost::beast::http;
using mepsim::web::Request;
using mepsim::web::Response;

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

Response handle(const Request& request, const std::string& version) {
  Response response(http::status::not_found, 11);
  response.set(http::field::content_type, "application/json");
  if (request.target() == "/_mepsim/health") {
    response.result(http::status::ok);
    response.body() = fmt::format(R"({{"status":"ok","version":"{}"}})", version);
  } else {
    response.body() = R"({"error":"not found"})";
  }
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "console") {
    return mepsim::web::run_console(std::vector<std::string>(argv + 2, argv + argc));
  }
  std::uint16_t port = 0;
  const std::string port_text = env_or("PORT", "0");
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size()) {
    fmt::print(stderr, "mepsim-web: PORT=\"{}\" is not a port number\n", port_text);
    return 2;
  }
  const std::string version = env_or("APP_VERSION", "unknown");
  if (env_or("MEPSIM_CRASH_ON_BOOT", "0") == "1") {
    // A release with `crash_on_boot: true`: the platform sees a container that dies.
    fmt::print(stderr, "mepsim-web: release {} crashes at boot (crash_on_boot)\n", version);
    return 1;
  }

  boost::asio::io_context io;
  auto server = mepsim::web::HttpServer::listen(
      io, {"127.0.0.1", port, 1 << 20},
      [version](const Request& request) { return handle(request, version); });
  if (!server) {
    fmt::print(stderr, "mepsim-web: {}\n", server.error().message);
    return 1;
  }
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  fmt::print("mepsim-web: listening on 127.0.0.1:{}\n", server.value()->port());
  std::fflush(stdout);

  std::vector<std::thread> threads;
  const unsigned extra = std::max(1u, std::thread::hardware_concurrency()) - 1;
  for (unsigned i = 0; i < extra; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  return 0;
}
