#include "sim/net/fault_proxy.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "sim/net/fault_connection.h"

namespace mepsim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void accept_next(const std::shared_ptr<FaultProxyState>& state) {
  state->acceptor.async_accept(asio::make_strand(state->io), [state](boost::system::error_code ec,
                                                                     tcp::socket socket) {
    if (ec == asio::error::operation_aborted || state->closing) return;
    // Other accept errors (a reset before accept, no file descriptor left) concern one
    // connection: keep accepting.
    if (!ec) {
      ++state->counters.connections;
      Rng rng(0);
      {
        std::lock_guard lock(state->mutex);
        rng = state->rng.fork(fmt::format("connection-{}", ++state->accepted));
      }
      auto connection = std::make_shared<FaultConnection>(std::move(socket), state, std::move(rng));
      asio::post(connection->executor(), [connection] { connection->start(); });
    }
    accept_next(state);
  });
}

Result<tcp::endpoint> resolve(asio::io_context& io, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  tcp::resolver resolver(io);
  const auto found = resolver.resolve(host, std::to_string(port), ec);
  if (ec || found.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("upstream host \"{}\" does not resolve: {}", host,
                                  ec ? ec.message() : "no address"));
  }
  return found.begin()->endpoint();
}

// The connections alive now; each is then told on its own strand.
std::vector<std::shared_ptr<FaultConnection>> live(FaultProxyState& state) {
  std::vector<std::shared_ptr<FaultConnection>> out;
  std::lock_guard lock(state.mutex);
  for (auto& [_, weak] : state.connections) {
    if (auto connection = weak.lock()) out.push_back(std::move(connection));
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::uint64_t>> FaultCounters::faults_fired() const {
  std::vector<std::pair<std::string, std::uint64_t>> fired = {
      {"latency", chunks_delayed},
      {"bandwidth", chunks_throttled},
      {"reset", connections_reset},
      {"blackhole", chunks_held + connections_blackholed},
      {"slow_close", closes_delayed}};
  std::erase_if(fired, [](const auto& entry) { return entry.second == 0; });
  return fired;
}

FaultProxy::FaultProxy(asio::io_context& io, FaultProxyOptions options, Rng rng, Clock& clock)
    : state_(std::make_shared<FaultProxyState>(io, std::move(options), std::move(rng), clock)) {}

FaultProxy::~FaultProxy() {
  close();
}

const std::string& FaultProxy::link() const {
  return state_->options.link;
}

Result<void> FaultProxy::listen() {
  const auto& options = state_->options;
  auto upstream = resolve(state_->io, options.upstream_host, options.upstream_port);
  if (!upstream) return upstream.error().context("link " + options.link);
  state_->upstream = upstream.value();
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.listen_address, ec);
  if (ec) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("link {}: listen address \"{}\": {}", options.link,
                                  options.listen_address, ec.message()));
  }
  const tcp::endpoint endpoint(address, options.listen_port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor.local_endpoint(ec).port();
  if (ec) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("link {}: listening on {}:{}: {}", options.link,
                                  options.listen_address, options.listen_port, ec.message()));
  }
  accept_next(state_);
  return {};
}

void FaultProxy::set_policy(FaultPolicy policy) {
  {
    std::lock_guard lock(state_->mutex);
    state_->policy = policy;
    state_->generation.fetch_add(1, std::memory_order_acq_rel);
  }
  for (auto& connection : live(*state_)) {
    asio::post(connection->executor(), [connection] { connection->policy_changed(); });
  }
}

FaultPolicy FaultProxy::policy() const {
  return state_->current_policy();
}

FaultCounters FaultProxy::counters() const {
  const auto& c = state_->counters;
  return {c.connections.load(),       c.bytes_to_server.load(),        c.bytes_to_client.load(),
          c.connections_reset.load(), c.chunks_delayed.load(),         c.chunks_throttled.load(),
          c.chunks_held.load(),       c.connections_blackholed.load(), c.closes_delayed.load()};
}

void FaultProxy::close() {
  if (state_->closing.exchange(true)) return;
  asio::post(state_->acceptor.get_executor(), [state = state_] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
  for (auto& connection : live(*state_)) {
    asio::post(connection->executor(), [connection] { connection->reset(); });
  }
}

}  // namespace mepsim
