#include "sim/router/router.h"

#include <fmt/format.h>

#include <boost/asio/strand.hpp>

#include "sim/router/proxy_connection.h"
#include "sim/router/router_state.h"

namespace mepsim::router {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void accept_next(const std::shared_ptr<RouterState>& state) {
  state->acceptor.async_accept(
      asio::make_strand(state->io), [state](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || state->closing) return;
        // Other accept errors (a reset before accept, no file descriptor left) concern
        // one connection: keep accepting.
        if (!ec) std::make_shared<ProxyConnection>(std::move(socket), state)->start();
        accept_next(state);
      });
}

Result<tcp::endpoint> endpoint_of(asio::io_context& io, const Backend& backend) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(backend.host, ec);
  if (!ec) return tcp::endpoint(address, backend.port);
  // A name ("localhost"): resolved once here, never per request.
  tcp::resolver resolver(io);
  const auto found = resolver.resolve(backend.host, std::to_string(backend.port), ec);
  if (ec || found.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("backend \"{}\": host \"{}\" does not resolve: {}", backend.id,
                                  backend.host, ec ? ec.message() : "no address"));
  }
  return found.begin()->endpoint();
}

}  // namespace

Router::Router(asio::io_context& io, RouterOptions options, EventLog& events, Clock& clock)
    : state_(std::make_shared<RouterState>(io, std::move(options), events, clock)) {}

Router::~Router() {
  close();
}

Result<void> Router::listen() {
  const auto& options = state_->options;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return make_error(ErrorCode::invalid_input, fmt::format("router listen address \"{}\": {}",
                                                            options.address, ec.message()));
  }
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor.local_endpoint(ec).port();
  if (ec) {
    return make_error(
        ErrorCode::unavailable,
        fmt::format("router listening on {}:{}: {}", options.address, options.port, ec.message()));
  }
  accept_next(state_);
  return {};
}

Result<void> Router::set_backends(std::vector<Backend> backends) {
  std::vector<std::pair<Backend, tcp::endpoint>> resolved;
  resolved.reserve(backends.size());
  for (auto& backend : backends) {
    auto endpoint = endpoint_of(state_->io, backend);
    if (!endpoint) return endpoint.error();
    resolved.emplace_back(std::move(backend), *endpoint);
  }
  state_->pool.set(std::move(resolved));
  return {};
}

Result<void> Router::drain(const std::string& id, std::function<void()> on_drained) {
  if (!state_->pool.drain(id, std::move(on_drained))) {
    return make_error(ErrorCode::not_found, fmt::format("router: no backend \"{}\"", id));
  }
  return {};
}

std::vector<BackendStatus> Router::backends() const {
  return state_->pool.status();
}

void Router::close() {
  if (state_->closing.exchange(true)) return;
  asio::post(state_->acceptor.get_executor(), [state = state_] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
  state_->pool.close();
  std::vector<std::shared_ptr<ProxyConnection>> live;
  {
    std::lock_guard lock(state_->connections_mutex);
    for (auto& [_, weak] : state_->connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    asio::post(connection->executor(), [connection] { connection->stop_when_idle(); });
  }
}

}  // namespace mepsim::router
