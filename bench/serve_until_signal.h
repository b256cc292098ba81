#pragma once
// What the bench servers share (mepsim-hello-bench, mepsim-router-bench,
// mepsim-fault-proxy-bench): say where they listen, serve on `threads` threads, and on
// SIGINT or SIGTERM run `close` and stop.

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>
#include <thread>
#include <vector>

namespace mepsim::bench {

inline int serve_until_signal(boost::asio::io_context& io, unsigned threads, std::string_view name,
                              std::uint16_t port, std::function<void()> close = {}) {
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code&, int) {
    if (close) close();
    io.stop();
  });
  fmt::print("{}: listening on 127.0.0.1:{}\n", name, port);
  std::fflush(stdout);
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}

}  // namespace mepsim::bench
