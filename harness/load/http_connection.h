#pragma once
// One keep-alive HTTP/1.1 client connection of the load generator, on Boost.Asio: it
// connects when first used (and again after the server closed it), writes one request,
// parses its response as the bytes come, and reports the end of the exchange to its
// listener. One exchange at a time, bounded by a timeout; everything runs on the shard's
// io_context thread, so nothing here locks.

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <string>

#include "harness/load/http_response_parser.h"
#include "sim/core/clock.h"

namespace mepsim::load {

class HttpConnection;

struct ExchangeEnd {
  bool answered = false;  // a whole response arrived: parser's response() holds it
  // Why not: "connect", "write", "read", "parse", "timeout", "closed", "stopped".
  const char* error_kind = "";
  // Nothing of a response arrived on a connection that had served before: the server
  // closed it while idle, and an idempotent request can be sent again elsewhere.
  bool stale = false;
};

class ExchangeListener {
 public:
  virtual void on_exchange_end(HttpConnection& connection, const ExchangeEnd& end) = 0;

 protected:
  ~ExchangeListener() = default;
};

class HttpConnection {
 public:
  HttpConnection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint,
                 Duration timeout, ExchangeListener& listener, std::size_t index);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request_bytes` (a whole request) and reads the answer; the listener hears of
  // the end exactly once. The bytes must stay alive until then.
  void exchange(const std::string& request_bytes, bool keep_body);
  // Ends an exchange in flight (reported as "stopped") and closes the socket.
  void abort();
  void close();

  bool busy() const { return busy_; }
  std::size_t index() const { return index_; }
  const HttpResponseParser& parser() const { return parser_; }
  HttpResponseParser& parser() { return parser_; }
  std::uint64_t exchanges() const { return exchanges_; }

 private:
  void connect();
  void write();
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void finish(ExchangeEnd end);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::asio::ip::tcp::endpoint endpoint_;
  Duration timeout_;
  ExchangeListener& listener_;
  std::size_t index_;
  HttpResponseParser parser_;
  // A response's bytes as they arrive; 16 KiB reads a replica page in one or two.
  std::array<char, 16 * 1024> buffer_{};
  const std::string* request_ = nullptr;
  std::uint64_t generation_ = 0;  // which exchange a handler belongs to
  std::uint64_t exchanges_ = 0;   // answered on this socket: > 0 means reused
  bool busy_ = false;
  bool open_ = false;
  bool timed_out_ = false;
};

}  // namespace mepsim::load
