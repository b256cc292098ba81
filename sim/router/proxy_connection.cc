#include "sim/router/proxy_connection.h"

#include <fmt/format.h>

#include <boost/asio/strand.hpp>
#include <chrono>

#include "sim/router/request_rewrite.h"

namespace mepsim::router {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kDiscardChunkBytes = 64 * 1024;

std::string_view page_for(http::status status) {
  switch (status) {
    case http::status::service_unavailable:
      return "<!DOCTYPE html><html><head><title>Application unavailable</title></head><body>"
             "<h1>Application unavailable</h1><p>No web container of this application is "
             "available right now.</p></body></html>\n";
    case http::status::gateway_timeout:
      return "<!DOCTYPE html><html><head><title>Gateway timeout</title></head><body>"
             "<h1>Gateway timeout</h1><p>The application did not answer in time.</p>"
             "</body></html>\n";
    case http::status::payload_too_large:
      return "<!DOCTYPE html><html><head><title>Request too large</title></head><body>"
             "<h1>Request too large</h1></body></html>\n";
    case http::status::bad_request:
      return "<!DOCTYPE html><html><head><title>Bad request</title></head><body>"
             "<h1>Bad request</h1></body></html>\n";
    default:
      return "<!DOCTYPE html><html><head><title>Bad gateway</title></head><body>"
             "<h1>Bad gateway</h1><p>The application's answer could not be read.</p>"
             "</body></html>\n";
  }
}

// Only these are sent twice: a retried GET or HEAD cannot have
// changed anything the first attempt did not.
bool is_idempotent(http::verb method) {
  return method == http::verb::get || method == http::verb::head;
}

}  // namespace

ProxyConnection::ProxyConnection(tcp::socket socket, std::shared_ptr<RouterState> state)
    : state_(std::move(state)), client_(std::move(socket)) {}

ProxyConnection::~ProxyConnection() {
  std::lock_guard lock(state_->connections_mutex);
  state_->connections.erase(this);
}

void ProxyConnection::start() {
  beast::error_code ec;
  client_.socket().set_option(tcp::no_delay(true), ec);
  const auto remote = client_.socket().remote_endpoint(ec);
  if (!ec) client_address_ = remote.address().to_string();
  {
    std::lock_guard lock(state_->connections_mutex);
    state_->connections.emplace(this, weak_from_this());
  }
  read_request();
}

void ProxyConnection::stop_when_idle() {
  if (waiting_for_request_) client_.cancel();
}

void ProxyConnection::read_request() {
  if (state_->closing) return shutdown();
  parser_.emplace();
  apply_request_limits(*parser_, state_->options);
  client_.expires_after(state_->options.client_idle_timeout);
  waiting_for_request_ = true;
  http::async_read(
      client_, client_buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
}

void ProxyConnection::on_request(beast::error_code ec) {
  waiting_for_request_ = false;
  request_id_.clear();
  sampled_ = false;
  served_by_.reset();
  if (const auto refusal = refusal_for(ec)) {
    linger_ = true;
    return reply_local(*refusal, false);
  }
  // The client left, went quiet past the idle timeout, or the router is closing.
  if (ec) return shutdown();

  client_.expires_never();
  request_ = parser_->release();
  client_keep_alive_ = request_.keep_alive();
  client_version_ = request_.version();
  const std::uint32_t one_in = state_->options.access_events_one_in;
  sampled_ = one_in != 0 && state_->access_count.fetch_add(1) % one_in == 0;
  if (sampled_) started_ = state_->clock.now();
  prepare_upstream_request();
  if (!fits_upstream(request_)) return reply_local(http::status::bad_request, true);
  retried_ = false;
  forward(nullptr);
}

void ProxyConnection::prepare_upstream_request() {
  request_id_ = rewrite_for_upstream(request_, client_address_, state_->request_ids);
}

void ProxyConnection::forward(const BackendState* exclude) {
  auto lease = state_->pool.acquire(exclude);
  if (!lease) {
    // After a failed attempt, "nobody else to ask" is the backend's failure, not absence.
    return reply_local(retried_ ? http::status::bad_gateway : http::status::service_unavailable,
                       true);
  }
  backend_ = std::move(lease->backend);
  served_by_ = backend_;
  if (lease->connection) {
    upstream_ = std::move(lease->connection);
    return write_upstream();
  }
  // Its own strand: a pooled connection serves many client connections over its life.
  upstream_ = std::make_unique<UpstreamConnection>(asio::make_strand(state_->io));
  upstream_->stream.expires_after(state_->options.connect_timeout);
  upstream_->stream.async_connect(
      backend_->endpoint, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->on_upstream_error(ec, true);
        beast::error_code ignored;
        self->upstream_->stream.socket().set_option(tcp::no_delay(true), ignored);
        self->write_upstream();
      });
}

// The client and upstream streams live on different strands, yet no lock is needed: a
// connection has one operation pending at a time, and each starts from the completion
// of the previous one.
void ProxyConnection::write_upstream() {
  upstream_->stream.expires_after(state_->options.upstream_timeout);
  http::async_write(upstream_->stream, request_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->on_upstream_error(ec, false);
                      self->read_upstream();
                    });
}

void ProxyConnection::read_upstream() {
  upstream_parser_.emplace();
  upstream_parser_->body_limit(state_->options.response_body_bytes_max);
  if (request_.method() == http::verb::head) upstream_parser_->skip(true);
  http::async_read(upstream_->stream, upstream_->buffer, *upstream_parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->on_upstream_response(ec);
                   });
}

void ProxyConnection::on_upstream_response(beast::error_code ec) {
  if (ec) return on_upstream_error(ec, false);
  upstream_->stream.expires_never();
  const bool reusable = upstream_parser_->keep_alive();
  response_ = upstream_parser_->release();
  state_->pool.release(backend_, reusable ? std::move(upstream_) : nullptr);
  upstream_.reset();
  backend_.reset();

  const auto status = response_.result();
  const bool bodiless = request_.method() == http::verb::head ||
                        http::to_status_class(status) == http::status_class::informational ||
                        status == http::status::no_content || status == http::status::not_modified;
  erase_hop_by_hop(response_);
  // A bodiless answer keeps the backend's Content-Length: it describes the resource.
  if (!bodiless) response_.content_length(response_.body().size());
  response_.set("X-Request-Id", request_id_);
  write_response();
}

void ProxyConnection::on_upstream_error(beast::error_code ec, bool connecting) {
  upstream_.reset();
  const auto failed = std::move(backend_);
  state_->pool.release(failed, nullptr);
  const bool timed_out = ec == beast::error::timeout;
  // A request that timed out may still be running upstream: never send it twice.
  if (timed_out && !connecting) return reply_local(http::status::gateway_timeout, true);
  if (!is_parse_error(ec) && !retried_ && is_idempotent(request_.method())) {
    retried_ = true;
    return forward(failed.get());
  }
  reply_local(timed_out ? http::status::gateway_timeout : http::status::bad_gateway, true);
}

void ProxyConnection::reply_local(http::status status, bool keep_alive) {
  response_ = Response(status, 11);
  response_.set(http::field::content_type, "text/html; charset=utf-8");
  response_.body() = page_for(status);
  response_.content_length(response_.body().size());
  if (!request_id_.empty()) response_.set("X-Request-Id", request_id_);
  if (!keep_alive) client_keep_alive_ = false;
  write_response();
}

void ProxyConnection::write_response() {
  response_.version(client_version_);
  response_.keep_alive(client_keep_alive_ && !state_->closing);
  // Published before the write, so that a client holding the response finds its event:
  // the duration stops when the response is handed to the client's socket.
  if (sampled_) publish_access();
  client_.expires_after(state_->options.client_idle_timeout);
  http::async_write(client_, response_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->on_response_written(ec);
                    });
}

void ProxyConnection::on_response_written(beast::error_code ec) {
  if (ec) return shutdown();
  if (linger_) return linger();
  if (!response_.keep_alive()) return shutdown();
  // Bodies can be megabytes: do not keep them while the connection idles.
  request_ = {};
  response_ = {};
  read_request();
}

void ProxyConnection::linger() {
  beast::error_code ignored;
  client_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  client_.expires_after(state_->options.lingering_close_timeout);
  discard_input();
}

void ProxyConnection::discard_input() {
  client_buffer_.clear();
  client_.async_read_some(client_buffer_.prepare(kDiscardChunkBytes),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->discard_input();
                          });
}

void ProxyConnection::shutdown() {
  beast::error_code ignored;
  client_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void ProxyConnection::publish_access() {
  const auto now = state_->clock.now();
  const double duration_ms = std::chrono::duration<double, std::milli>(now - started_).count();
  state_->events.publish(now, Plane::data, "router", "access",
                         {{"method", std::string(request_.method_string())},
                          {"path", std::string(request_.target())},
                          {"status", std::to_string(response_.result_int())},
                          {"backend", served_by_ ? served_by_->backend.id : "-"},
                          {"request_id", request_id_},
                          {"duration_ms", fmt::format("{:.3f}", duration_ms)}});
}

}  // namespace mepsim::router
