// mepsim-router-bench: the router alone in a process, for macro benchmarks against wrk
// (bench/router_vs_direct.sh). Usage: mepsim-router-bench PORT THREADS HOST:PORT...

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "bench/serve_until_signal.h"
#include "sim/router/router.h"

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  unsigned threads = 1;
  if (argc < 4 || !parse_number(argv[1], port) || !parse_number(argv[2], threads) || threads == 0) {
    fmt::print(stderr, "usage: mepsim-router-bench PORT THREADS HOST:PORT...\n");
    return 2;
  }
  std::vector<mepsim::router::Backend> backends;
  for (int i = 3; i < argc; ++i) {
    const std::string_view spec(argv[i]);
    const auto colon = spec.rfind(':');
    mepsim::router::Backend backend{fmt::format("web-{}", i - 2),
                                    std::string(spec.substr(0, colon)), 0};
    if (colon == std::string_view::npos || !parse_number(spec.substr(colon + 1), backend.port)) {
      fmt::print(stderr, "mepsim-router-bench: \"{}\" is not HOST:PORT\n", spec);
      return 2;
    }
    backends.push_back(std::move(backend));
  }

  boost::asio::io_context io(static_cast<int>(threads));
  mepsim::EventLog events;
  mepsim::RealClock clock;
  mepsim::router::RouterOptions options;
  options.port = port;
  mepsim::router::Router router(io, options, events, clock);
  auto listening = router.listen();
  if (listening) listening = router.set_backends(std::move(backends));
  if (!listening) {
    fmt::print(stderr, "mepsim-router-bench: {}\n", listening.error().message);
    return 1;
  }
  return mepsim::bench::serve_until_signal(io, threads, "mepsim-router-bench", router.port(),
                                           [&] { router.close(); });
}
