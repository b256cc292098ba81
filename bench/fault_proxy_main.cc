// mepsim-fault-proxy-bench: one FaultProxy alone in a process, for macro benchmarks against
// redis-benchmark (bench/fault_proxy_vs_direct.sh).
// Usage: mepsim-fault-proxy-bench PORT THREADS HOST:PORT [POLICY_JSON]

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/net/fault_proxy.h"

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  mepsim::FaultProxyOptions options;
  options.link = "bench";
  unsigned threads = 1;
  const std::string_view upstream = argc > 3 ? argv[3] : "";
  const auto colon = upstream.rfind(':');
  if (argc < 4 || argc > 5 || !parse_number(argv[1], options.listen_port) ||
      !parse_number(argv[2], threads) || threads == 0 || colon == std::string_view::npos ||
      !parse_number(upstream.substr(colon + 1), options.upstream_port)) {
    fmt::print(stderr, "usage: mepsim-fault-proxy-bench PORT THREADS HOST:PORT [POLICY_JSON]\n");
    return 2;
  }
  options.upstream_host = std::string(upstream.substr(0, colon));
  mepsim::FaultPolicy policy;
  if (argc == 5) {
    auto parsed = mepsim::fault_policy_from_json(nlohmann::json::parse(argv[4], nullptr, false));
    if (!parsed) {
      fmt::print(stderr, "mepsim-fault-proxy-bench: {}\n", parsed.error().message);
      return 2;
    }
    policy = parsed.value();
  }

  boost::asio::io_context io(static_cast<int>(threads));
  mepsim::RealClock clock;
  mepsim::FaultProxy proxy(io, options, mepsim::Rng(1), clock);
  if (auto listening = proxy.listen(); !listening) {
    fmt::print(stderr, "mepsim-fault-proxy-bench: {}\n", listening.error().message);
    return 1;
  }
  proxy.set_policy(policy);
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code&, int) {
    proxy.close();
    io.stop();
  });
  fmt::print("mepsim-fault-proxy-bench: listening on 127.0.0.1:{}\n", proxy.port());
  std::fflush(stdout);
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
