// mepsim-fault-proxy-bench: one FaultProxy alone in a process, for macro benchmarks against
// redis-benchmark (bench/fault_proxy_vs_direct.sh).
// Usage: mepsim-fault-proxy-bench PORT THREADS HOST:PORT [POLICY_JSON]

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "bench/serve_until_signal.h"
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
  return mepsim::bench::serve_until_signal(io, threads, "mepsim-fault-proxy-bench", proxy.port(),
                                           [&] { proxy.close(); });
}
