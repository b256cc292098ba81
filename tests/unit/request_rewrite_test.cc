// The router's request handling apart from its sockets (sim/router/request_rewrite.h): what
// it refuses and with which status, and what the backend gets in place of the client's
// request.

#include "sim/router/request_rewrite.h"

#include <gtest/gtest.h>

#include <string>

namespace mepsim::router {
namespace {

namespace http = boost::beast::http;

RouterOptions small_bound() {
  RouterOptions options;
  options.request_body_bytes_max = 16;
  return options;
}

std::string field(const HttpRequest& request, std::string_view name) {
  const auto found = request.find(boost::beast::string_view(name.data(), name.size()));
  return found == request.end() ? "<none>" : std::string(found->value());
}

TEST(RequestRewrite, RefusalsByStatus) {
  // Past the body bound is 413, a malformed request 400, a client leaving mid-way nothing.
  const auto over = read_request("POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", small_bound());
  EXPECT_EQ(refusal_for(over.error), http::status::payload_too_large);
  const auto chunked_over =
      read_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n", small_bound());
  EXPECT_EQ(refusal_for(chunked_over.error), http::status::payload_too_large);
  for (const char* bad : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    const auto read = read_request(bad, small_bound());
    EXPECT_FALSE(read.request) << bad;
    EXPECT_EQ(refusal_for(read.error), http::status::bad_request) << bad;
  }
  const auto cut = read_request("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab", small_bound());
  EXPECT_FALSE(cut.request);
  EXPECT_EQ(cut.error, http::error::partial_message);
  EXPECT_FALSE(refusal_for(cut.error));
  EXPECT_EQ(read_request("", small_bound()).error, http::error::end_of_stream);
}

TEST(RequestRewrite, KeepAliveRequestsFollowEachOther) {
  // bytes_used is where the next request of the connection starts.
  const std::string two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  const auto first = read_request(two, small_bound());
  ASSERT_TRUE(first.request);
  EXPECT_EQ(first.request->target(), "/a");
  const auto second = read_request(std::string_view(two).substr(first.bytes_used), small_bound());
  ASSERT_TRUE(second.request);
  EXPECT_EQ(second.request->target(), "/b");
}

TEST(RequestRewrite, UpstreamRequestCarriesTheRoutersHeaders) {
  // A fresh id, X-Forwarded-For and -Proto, HTTP/1.1, no hop-by-hop header, a length.
  auto read = read_request(
      "POST /api HTTP/1.0\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: h2c\r\n"
      "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: x\r\nExpect: 100-continue\r\n"
      "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      small_bound());
  ASSERT_TRUE(read.request) << read.error.message();
  std::atomic<std::uint64_t> ids{41};
  const std::string id = rewrite_for_upstream(*read.request, "10.1.2.3", ids);
  const HttpRequest& up = *read.request;
  EXPECT_EQ(id, "mepsim-42");
  EXPECT_EQ(field(up, "X-Request-Id"), "mepsim-42");
  EXPECT_EQ(field(up, "X-Forwarded-For"), "10.1.2.3");
  EXPECT_EQ(field(up, "X-Forwarded-Proto"), "http");
  EXPECT_EQ(up.version(), 11u);
  for (const char* hop : {"Connection", "Upgrade", "Keep-Alive", "TE", "Proxy-Connection", "Expect",
                          "Transfer-Encoding"}) {
    EXPECT_EQ(field(up, hop), "<none>") << hop;
  }
  EXPECT_EQ(field(up, "Content-Length"), "3");
  EXPECT_EQ(up.body(), "abc");
}

TEST(RequestRewrite, BodyFramedByALaterTransferEncodingGoesUpWithItsLength) {
  // Two Transfer-Encoding fields, the last one chunked: the body still goes upstream with a
  // Content-Length, never unframed (the backend would read it as the next request).
  auto read = read_request(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\nGET /\r\n0\r\n\r\n",
      small_bound());
  ASSERT_TRUE(read.request) << read.error.message();
  std::atomic<std::uint64_t> ids{0};
  (void)rewrite_for_upstream(*read.request, "10.0.0.1", ids);
  EXPECT_EQ(read.request->body(), "GET /");
  EXPECT_EQ(field(*read.request, "Content-Length"), "5");
  EXPECT_EQ(field(*read.request, "Transfer-Encoding"), "<none>");
}

TEST(RequestRewrite, ClientIdsAndForwardingChainsAreKeptWithinBounds) {
  // A usable X-Request-Id is kept; one past 200 bytes is replaced; X-Forwarded-For grows.
  auto kept = read_request(
      "GET / HTTP/1.1\r\nX-Request-Id: abc\r\nX-Forwarded-For: 1.1.1.1\r\n"
      "X-Forwarded-Proto: https\r\n\r\n",
      small_bound());
  ASSERT_TRUE(kept.request);
  std::atomic<std::uint64_t> ids{0};
  EXPECT_EQ(rewrite_for_upstream(*kept.request, "10.0.0.1", ids), "abc");
  EXPECT_EQ(field(*kept.request, "X-Forwarded-For"), "1.1.1.1, 10.0.0.1");
  EXPECT_EQ(field(*kept.request, "X-Forwarded-Proto"), "https");
  EXPECT_EQ(ids.load(), 0u);
  auto replaced = read_request(
      "GET / HTTP/1.1\r\nX-Request-Id: " + std::string(kRequestIdBytesMax + 1, 'r') + "\r\n\r\n",
      small_bound());
  ASSERT_TRUE(replaced.request);
  EXPECT_EQ(rewrite_for_upstream(*replaced.request, "", ids), "mepsim-1");
  EXPECT_EQ(field(*replaced.request, "X-Request-Id"), "mepsim-1");
  EXPECT_EQ(field(*replaced.request, "X-Forwarded-For"), "<none>");
}

TEST(RequestRewrite, FitsUpstreamCountsTheHeadersAsWritten) {
  // Exactly kUpstreamHeaderBytesMax as written fits; one byte more does not.
  HttpRequest request(http::verb::get, "/", 11);
  const std::size_t fixed = std::string_view("GET / HTTP/1.1\r\nX-Fill: \r\n\r\n").size();
  request.set("X-Fill", std::string(kUpstreamHeaderBytesMax - fixed, 'f'));
  EXPECT_TRUE(fits_upstream(request));
  request.set("X-Fill", std::string(kUpstreamHeaderBytesMax - fixed + 1, 'f'));
  EXPECT_FALSE(fits_upstream(request));
}

}  // namespace
}  // namespace mepsim::router
