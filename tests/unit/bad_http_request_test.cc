// Malformed HTTP requests against the router and mepsim-web's server, in process on
// loopback: a bad request line, a header block past the bound, a bad or doubled
// Content-Length, a body past the bound, an invalid chunked body. Each is refused (400 or
// 413) on its own connection, reaches no backend, and the server serves the next connection.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/event_log.h"
#include "sim/router/router.h"
#include "sim/web/http_server.h"

namespace mepsim {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kBodyBytesMax = 1024;

// What came back on one connection: the status of the first response (0: none), and all
// bytes until the server closed (or 10 s passed).
struct RawReply {
  int status = 0;
  std::string bytes;
};

RawReply send_raw(std::uint16_t port, const std::string& request) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  // A bound on the test, not an assertion: a server that never answers fails the status.
  const timeval timeout{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(request), ec);
  RawReply reply;
  char chunk[4096];
  while (true) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    reply.bytes.append(chunk, n);
  }
  if (reply.bytes.starts_with("HTTP/1.") && reply.bytes.size() >= 12) {
    reply.status = std::stoi(reply.bytes.substr(9, 3));
  }
  return reply;
}

const std::string kGood = "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

struct BadRequest {
  const char* name;
  std::string bytes;
  int status;
};

std::vector<BadRequest> bad_requests() {
  const std::string huge_header = "X-Big: " + std::string(16 * 1024, 'b') + "\r\n";
  return {
      {"bad request line", "GARBAGE\r\n\r\n", 400},
      {"no version", "GET /\r\nHost: a\r\n\r\n", 400},
      {"header without colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", 400},
      // Beast's 8 KiB bound on the header block; the router answers it 400 as Scalingo's
      // does ("Request Header Or Cookie Too Large").
      {"huge header", "GET / HTTP/1.1\r\nHost: a\r\n" + huge_header + "\r\n", 400},
      {"bad Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12abc\r\n\r\n", 400},
      {"negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
      {"two Content-Lengths",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
      {"body past the bound",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'), 413},
      {"invalid chunk size",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
       400},
      {"chunk without its CRLF",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
       400},
      {"chunked past the bound",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
           std::string(0x800, 'c') + "\r\n0\r\n\r\n",
       413},
  };
}

// mepsim-web's server and the router in front of it, on one io_context.
class BadHttpRequest : public ::testing::Test {
 protected:
  void SetUp() override {
    web::ServerOptions web_options;
    web_options.body_bytes_max = kBodyBytesMax;
    auto server = web::HttpServer::listen(io_, web_options, [this](const web::Request& request) {
      ++handled_;
      web::Response response(http::status::ok, request.version());
      response.body() = "ok " + std::string(request.target());
      return response;
    });
    ASSERT_TRUE(server) << server.error().message;
    web_ = std::move(server).value();
    router::RouterOptions options;
    options.request_body_bytes_max = kBodyBytesMax;
    router_ = std::make_unique<router::Router>(io_, options, events_, clock_);
    ASSERT_TRUE(router_->listen());
    ASSERT_TRUE(router_->set_backends({{"web-1", "127.0.0.1", web_->port()}}));
    for (auto& thread : threads_) thread = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (router_) router_->close();
    if (web_) web_->close();
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  // Each bad request refused with its status, then a good one served on a new connection.
  void expect_refusals(std::uint16_t port) {
    for (const auto& bad : bad_requests()) {
      const RawReply refused = send_raw(port, bad.bytes);
      EXPECT_EQ(refused.status, bad.status) << bad.name << ":\n" << refused.bytes;
      const RawReply next = send_raw(port, kGood);
      EXPECT_EQ(next.status, 200) << "after " << bad.name << ":\n" << next.bytes;
      EXPECT_NE(next.bytes.find("ok /next"), std::string::npos) << next.bytes;
    }
  }

  EventLog events_;
  RealClock clock_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<web::HttpServer> web_;
  std::unique_ptr<router::Router> router_;
  std::atomic<int> handled_{0};
  std::thread threads_[2];
};

TEST_F(BadHttpRequest, RouterRefusesEachAndServesTheNextConnection) {
  // Malformed requests stop at the router: 400/413, no backend call, the next one served.
  expect_refusals(router_->port());
  EXPECT_EQ(handled_.load(), static_cast<int>(bad_requests().size()));
}

TEST_F(BadHttpRequest, WebServerRefusesEachAndServesTheNextConnection) {
  // mepsim-web's own server refuses the same requests before any handler runs.
  expect_refusals(web_->port());
  EXPECT_EQ(handled_.load(), static_cast<int>(bad_requests().size()));
}

TEST_F(BadHttpRequest, HeadersOutgrowingTheBackendsBoundStopAtTheRouter) {
  // 1550 "a:b" headers: 7.8 KiB as sent, within both servers' 8 KiB bound, but 9.3 KiB as
  // the router writes them on ("a: b", plus its own): the router answers 400 itself rather
  // than have the container refuse them. mepsim-web, reading what the client sent, serves it.
  std::string terse = "GET /terse HTTP/1.1\r\nHost: a\r\nConnection: close\r\n";
  for (int i = 0; i < 1550; ++i) terse += "a:b\r\n";
  terse += "\r\n";
  ASSERT_LT(terse.size(), 8192u);
  const RawReply refused = send_raw(router_->port(), terse);
  EXPECT_EQ(refused.status, 400) << refused.bytes.substr(0, 200);
  // The router's own page, not the container's plain-text refusal passed on.
  EXPECT_NE(refused.bytes.find("<h1>Bad request</h1>"), std::string::npos) << refused.bytes;
  EXPECT_EQ(handled_.load(), 0);
  EXPECT_EQ(send_raw(router_->port(), kGood).status, 200);
  const RawReply direct = send_raw(web_->port(), terse);
  EXPECT_EQ(direct.status, 200) << direct.bytes.substr(0, 200);
  EXPECT_EQ(handled_.load(), 2);
}

TEST_F(BadHttpRequest, ClientLeavingMidRequestGetsNoAnswerAndHarmsNothing) {
  // A request cut short by the client's close is dropped: no handler runs, nothing is served.
  for (const std::uint16_t port : {router_->port(), web_->port()}) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket,
                asio::buffer(std::string("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab")));
    socket.shutdown(tcp::socket::shutdown_send);
    std::string rest;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(rest), ec);
    // The router says nothing; mepsim-web answers the half request 400 before closing.
    EXPECT_FALSE(rest.starts_with("HTTP/1.1 2")) << port << ":\n" << rest;
    EXPECT_EQ(send_raw(port, kGood).status, 200) << port;
  }
  EXPECT_EQ(handled_.load(), 2);
}

}  // namespace
}  // namespace mepsim
