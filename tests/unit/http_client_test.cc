// Unit tests of sim/net/http_client.h: URL parsing and its errors, query-string escaping,
// and whole exchanges against in-process loopback peers — an answering one, a silent one
// (timeout), a refused port and one that hangs up (unavailable), oversized bodies
// (capacity). No assertion is made on elapsed time.

#include "sim/net/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "tests/unit/stub_http_peer.h"

namespace mepsim {
namespace {

using stub::header_of;
using stub::make_response;
using stub::StubHttpPeer;
namespace http = boost::beast::http;

const HttpReply* find_ok(const Result<HttpReply>& reply) {
  EXPECT_TRUE(reply.ok()) << reply.error().message;
  return reply.ok() ? &reply.value() : nullptr;
}

std::string reply_header(const HttpReply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(HttpUrl, SplitsHostPortAndTarget) {
  // The forms the container's configuration uses parse into host, port and target.
  auto url = parse_http_url("http://127.0.0.1:4011/search/?q=a&limit=1");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 4011);
  EXPECT_EQ(url->target, "/search/?q=a&limit=1");

  url = parse_http_url("http://geo.example.org");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "geo.example.org");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");

  url = parse_http_url("http://h?x=1#fragment");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->target, "/?x=1");

  url = parse_http_url("http://[::1]:8080/p");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);

  url = parse_http_url("http://[fe80::1:2]/");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->host, "fe80::1:2");
  EXPECT_EQ(url->port, 80);
}

TEST(HttpUrl, RefusesWhatItCannotReachWithReasons) {
  // Each malformed or unsupported URL is invalid_input, and the message says which part.
  const std::pair<const char*, const char*> cases[] = {
      {"https://api.brevo.com/v3", "https"},
      {"ftp://h/", "ftp"},
      {"127.0.0.1:80/", "no scheme"},
      {"http://:80/", "no host"},
      {"http://h:0/", "port"},
      {"http://h:70000/", "port"},
      {"http://h:8a/", "port"},
      {"http://h:/", "port"},
      {"http://[::1/", "'['"},
  };
  for (const auto& [text, reason] : cases) {
    const auto url = parse_http_url(text);
    ASSERT_FALSE(url.ok()) << text;
    EXPECT_EQ(url.error().code, ErrorCode::invalid_input) << text;
    EXPECT_NE(url.error().message.find(reason), std::string::npos) << url.error().message;
  }
  for (const char* with_password : {"http://user:s3cret@h/", "https://user:s3cret@h/"}) {
    const auto url = parse_http_url(with_password);
    ASSERT_FALSE(url.ok());
    EXPECT_EQ(url.error().message.find("s3cret"), std::string::npos) << url.error().message;
  }
}

TEST(UrlEncode, EscapesAsFormsDo) {
  // Unreserved characters stay, spaces become '+', the rest (UTF-8 included) %XX.
  EXPECT_EQ(url_encode("8 bd du Port, 80000 Amiens"), "8+bd+du+Port%2C+80000+Amiens");
  EXPECT_EQ(url_encode("a-b_c.d~e09AZ"), "a-b_c.d~e09AZ");
  EXPECT_EQ(url_encode("&=?/+#%"), "%26%3D%3F%2F%2B%23%25");
  EXPECT_EQ(url_encode("rue de l'Église"), "rue+de+l%27%C3%89glise");
  EXPECT_EQ(url_encode(""), "");
}

TEST(UrlEncode, DecodesWhatItEncodes) {
  // url_decode inverts url_encode and refuses broken escapes.
  for (const char* text : {"", "plain", "8 bd du Port, Amiens", "é&=+%/~", "xkeysib-abc"}) {
    const auto decoded = url_decode(url_encode(text));
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(decoded.value(), text);
  }
  EXPECT_EQ(url_decode("a%2").error().code, ErrorCode::invalid_input);
  EXPECT_EQ(url_decode("%zz").error().code, ErrorCode::invalid_input);
  EXPECT_EQ(url_decode("%").error().code, ErrorCode::invalid_input);
}

TEST(HttpExchange, SendsTheRequestAndReturnsTheReply) {
  // Method, target, headers and body reach the peer; status, headers and body come back.
  StubHttpPeer peer([](const web::Request& request) {
    auto response = make_response(http::status::created, "got " + request.body(), "text/plain");
    response.set("X-Echo-Method", std::string(request.method_string()));
    return response;
  });
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = {"127.0.0.1", peer.port(), "/v1/things?x=1"};
  exchange.headers = {{"X-Custom", "yes"}, {"Content-Length", "999"}};
  exchange.body = "hello";
  const auto result = http_exchange(exchange);
  const HttpReply* reply = find_ok(result);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->status, 201);
  EXPECT_EQ(reply->body, "got hello");
  EXPECT_EQ(reply_header(*reply, "X-Echo-Method"), "POST");
  EXPECT_EQ(reply_header(*reply, "Content-Type"), "text/plain");

  const auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.target(), "/v1/things?x=1");
  EXPECT_EQ(header_of(request, "Host"), "127.0.0.1:" + std::to_string(peer.port()));
  EXPECT_EQ(header_of(request, "Content-Length"), "5");  // the body's, not the caller's
  EXPECT_EQ(header_of(request, "Connection"), "close");
  EXPECT_FALSE(header_of(request, "User-Agent").empty());
  EXPECT_EQ(header_of(request, "X-Custom"), "yes");
}

TEST(HttpExchange, KeepsTheCallersHostAndUserAgent) {
  // Host and User-Agent are defaults only: what the caller sets is what is sent.
  StubHttpPeer peer([](const web::Request&) { return make_response(http::status::ok, "{}"); });
  HttpExchange exchange;
  exchange.url = {"127.0.0.1", peer.port(), "/"};
  exchange.headers = {{"Host", "api.brevo.com"}, {"User-Agent", "Symfony HttpClient/Curl"}};
  const auto result = http_exchange(exchange);
  ASSERT_NE(find_ok(result), nullptr);
  const auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(header_of(requests[0], "Host"), "api.brevo.com");
  EXPECT_EQ(header_of(requests[0], "User-Agent"), "Symfony HttpClient/Curl");
  EXPECT_EQ(header_of(requests[0], "Content-Length"), "");  // a GET without a body
}

TEST(HttpExchange, ResolvesHostNames) {
  // A name goes through the lookup (localhost may give ::1 first; 127.0.0.1 then answers).
  StubHttpPeer peer([](const web::Request&) { return make_response(http::status::ok, "{}"); });
  HttpExchange exchange;
  exchange.url = {"localhost", peer.port(), "/"};
  const auto result = http_exchange(exchange);
  const HttpReply* reply = find_ok(result);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->status, 200);
}

TEST(HttpExchange, SilentPeerIsATimeout) {
  // A peer that takes the connection and never answers costs the bound, then `timeout`.
  stub::SilentPeer peer;
  HttpExchange exchange;
  exchange.url = {"127.0.0.1", peer.port(), "/search/?q=x"};
  exchange.timeout = std::chrono::milliseconds(200);
  const auto reply = http_exchange(exchange);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::timeout) << reply.error().message;
}

TEST(HttpExchange, RefusedPortIsUnavailable) {
  // Nobody listening: `unavailable`, naming the target.
  HttpExchange exchange;
  exchange.url = {"127.0.0.1", stub::refused_port(), "/x"};
  const auto reply = http_exchange(exchange);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::unavailable) << reply.error().message;
  EXPECT_NE(reply.error().message.find("/x"), std::string::npos);
}

TEST(HttpExchange, PeerHangingUpIsUnavailable) {
  // A peer that accepts then closes without a word: `unavailable`, not a hang.
  using boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), 0));
  std::thread closer([&] {
    tcp::socket socket(io);
    boost::system::error_code ec;
    acceptor.accept(socket, ec);
    socket.close(ec);
  });
  HttpExchange exchange;
  exchange.url = {"127.0.0.1", acceptor.local_endpoint().port(), "/"};
  exchange.timeout = std::chrono::seconds(10);
  const auto reply = http_exchange(exchange);
  closer.join();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::unavailable) << reply.error().message;
}

TEST(HttpExchange, BodiesOverEightMebibytesAreCapacity) {
  // Neither direction carries more than 8 MiB: the reply is cut off, the request not sent.
  StubHttpPeer peer([](const web::Request&) {
    return make_response(http::status::ok, std::string((8u << 20) + 1, 'x'), "text/plain");
  });
  HttpExchange exchange;
  exchange.url = {"127.0.0.1", peer.port(), "/big"};
  exchange.timeout = std::chrono::seconds(10);
  const auto big_reply = http_exchange(exchange);
  ASSERT_FALSE(big_reply.ok());
  EXPECT_EQ(big_reply.error().code, ErrorCode::capacity) << big_reply.error().message;

  exchange.method = "POST";
  exchange.body = std::string((8u << 20) + 1, 'y');
  const auto big_request = http_exchange(exchange);
  ASSERT_FALSE(big_request.ok());
  EXPECT_EQ(big_request.error().code, ErrorCode::capacity);
  EXPECT_EQ(peer.requests().size(), 1u);  // only the GET reached the peer
}

}  // namespace
}  // namespace mepsim
