// mepsim-web: one web container of the replicated app, configured like the real one by
// its environment (web_config.h). `mepsim-web console …` is the app's bin/console.

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/core/clock.h"
#include "sim/web/console.h"
#include "sim/web/http_server.h"
#include "sim/web/web_app.h"
#include "sim/web/web_config.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "console") {
    return mepsim::web::run_console(std::vector<std::string>(argv + 2, argv + argc));
  }
  auto config = mepsim::web::read_web_config(mepsim::web::process_environment());
  if (!config) {
    fmt::print(stderr, "mepsim-web: {}\n", config.error().message);
    return 2;
  }
  const char* crash = std::getenv("MEPSIM_CRASH_ON_BOOT");
  if ((crash != nullptr && std::string_view(crash) == "1") || config->release.crash_on_boot) {
    // A release with `crash_on_boot: true`: the platform sees a container that dies.
    fmt::print(stderr, "mepsim-web: release {} crashes at boot (crash_on_boot)\n",
               config->app_version);
    return 1;
  }
  const int threads = config->threads;
  const std::uint16_t port = config->port;
  mepsim::RealClock clock;
  mepsim::web::WebApp app(std::move(config.value()), clock);

  boost::asio::io_context io;
  auto server = mepsim::web::HttpServer::listen(
      io, {"127.0.0.1", port, 1 << 20},
      [&app](const mepsim::web::Request& request) { return app.handle(request); });
  if (!server) {
    fmt::print(stderr, "mepsim-web: {}\n", server.error().message);
    return 1;
  }
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  fmt::print("mepsim-web: {} listening on 127.0.0.1:{} ({} threads)\n",
             app.context().config().app_version, server.value()->port(), threads);
  std::fflush(stdout);

  // Handlers block on MySQL and Redis as PHP workers do: more threads than cores keep
  // the CPU busy while some wait.
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  app.context().sentry().flush(std::chrono::seconds(2));
  return 0;
}
