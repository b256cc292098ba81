#include "harness/load/http_connection.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

namespace mepsim::load {

namespace asio = boost::asio;
using boost::system::error_code;

HttpConnection::HttpConnection(asio::io_context& io, asio::ip::tcp::endpoint endpoint,
                               Duration timeout, ExchangeListener& listener, std::size_t index)
    : socket_(io),
      timer_(io),
      endpoint_(endpoint),
      timeout_(timeout),
      listener_(listener),
      index_(index) {}

void HttpConnection::exchange(const std::string& request_bytes, bool keep_body) {
  busy_ = true;
  timed_out_ = false;
  request_ = &request_bytes;
  parser_.reset(keep_body);
  const std::uint64_t generation = ++generation_;
  timer_.expires_after(timeout_);
  timer_.async_wait([this, generation](const error_code& ec) {
    if (ec || !busy_ || generation != generation_) return;
    timed_out_ = true;
    error_code ignored;
    socket_.close(ignored);  // the pending operation ends with operation_aborted
    open_ = false;
  });
  if (open_) {
    write();
  } else {
    connect();
  }
}

void HttpConnection::connect() {
  const std::uint64_t generation = generation_;
  error_code ignored;
  socket_.close(ignored);
  exchanges_ = 0;
  socket_.async_connect(endpoint_, [this, generation](const error_code& ec) {
    if (!busy_ || generation != generation_) return;
    if (ec) return finish({false, timed_out_ ? "timeout" : "connect", false});
    error_code option_ec;
    socket_.set_option(asio::ip::tcp::no_delay(true), option_ec);
    open_ = true;
    write();
  });
}

void HttpConnection::write() {
  const std::uint64_t generation = generation_;
  asio::async_write(
      socket_, asio::buffer(*request_), [this, generation](const error_code& ec, std::size_t) {
        if (!busy_ || generation != generation_) return;
        if (ec) {
          return finish({false, timed_out_ ? "timeout" : "write", !timed_out_ && exchanges_ > 0});
        }
        read();
      });
}

void HttpConnection::read() {
  const std::uint64_t generation = generation_;
  socket_.async_read_some(asio::buffer(buffer_),
                          [this, generation](const error_code& ec, std::size_t n) {
                            if (!busy_ || generation != generation_) return;
                            on_read(ec, n);
                          });
}

void HttpConnection::on_read(const error_code& ec, std::size_t n) {
  if (ec) {
    if (timed_out_) return finish({false, "timeout", false});
    if (ec == asio::error::eof && parser_.finish_on_close() == ParseStatus::complete) {
      parser_.response().keep_alive = false;
      return finish({true, "", false});
    }
    const bool stale = !parser_.started() && exchanges_ > 0;
    const bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    return finish({false, closed ? "closed" : "read", stale});
  }
  std::size_t consumed = 0;
  switch (parser_.feed(std::string_view(buffer_.data(), n), consumed)) {
    case ParseStatus::complete:
      // Bytes past the response were never asked for: this socket cannot be trusted.
      if (consumed < n) parser_.response().keep_alive = false;
      return finish({true, "", false});
    case ParseStatus::error:
      return finish({false, "parse", false});
    case ParseStatus::need_more:
      return read();
  }
}

void HttpConnection::finish(ExchangeEnd end) {
  busy_ = false;
  timer_.cancel();
  if (end.answered && parser_.response().keep_alive) {
    ++exchanges_;
  } else {
    close();
  }
  listener_.on_exchange_end(*this, end);
}

void HttpConnection::abort() {
  if (!busy_) return close();
  close();
  finish({false, "stopped", false});
}

void HttpConnection::close() {
  error_code ignored;
  socket_.close(ignored);
  open_ = false;
}

}  // namespace mepsim::load
