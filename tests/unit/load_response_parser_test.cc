// Unit tests of harness/load/http_response_parser.h: responses split anywhere across
// reads, chunked bodies, bodies kept or dropped, keep-alive, and malformed input refused.

#include <gtest/gtest.h>

#include <string>

#include "harness/load/http_response_parser.h"

namespace mepsim::load {
namespace {

constexpr std::string_view kRedirect =
    "HTTP/1.1 302 Found\r\n"
    "Location: /bo\r\n"
    "Set-Cookie: PHPSESSID=abc; path=/; httponly; samesite=lax\r\n"
    "set-cookie: REMEMBERME=deleted; max-age=0; path=/\r\n"
    "X-Cache: HIT\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

// Feeds `bytes` in pieces of `piece` bytes; the status after the last piece.
ParseStatus feed_in_pieces(HttpResponseParser& parser, std::string_view bytes, std::size_t piece,
                           std::size_t* total_consumed = nullptr) {
  ParseStatus status = ParseStatus::need_more;
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::size_t consumed = 0;
    status = parser.feed(bytes.substr(at, piece), consumed);
    at += consumed;
    if (status != ParseStatus::need_more) break;
    if (consumed == 0) break;
  }
  if (total_consumed != nullptr) *total_consumed = at;
  return status;
}

TEST(LoadResponseParser, ReadsTheHeadersTheFlowsNeed) {
  // Status, every Set-Cookie in order, Location, X-Cache (lowercased), the kept body.
  HttpResponseParser parser;
  parser.reset(true);
  std::size_t consumed = 0;
  ASSERT_EQ(parser.feed(kRedirect, consumed), ParseStatus::complete) << parser.error();
  EXPECT_EQ(consumed, kRedirect.size());
  const auto& r = parser.response();
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.location, "/bo");
  ASSERT_EQ(r.set_cookies.size(), 2u);
  EXPECT_EQ(r.set_cookies[0], "PHPSESSID=abc; path=/; httponly; samesite=lax");
  EXPECT_EQ(r.x_cache, "hit");
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.body_bytes, 5);
}

TEST(LoadResponseParser, SplitAtEveryByteGivesTheSameResponse) {
  // Whatever the read boundaries (1 byte to all at once), the result is the same.
  for (std::size_t piece = 1; piece <= kRedirect.size(); ++piece) {
    HttpResponseParser parser;
    parser.reset(true);
    std::size_t consumed = 0;
    ASSERT_EQ(feed_in_pieces(parser, kRedirect, piece, &consumed), ParseStatus::complete)
        << "piece " << piece << ": " << parser.error();
    EXPECT_EQ(consumed, kRedirect.size());
    EXPECT_EQ(parser.response().status, 302) << piece;
    EXPECT_EQ(parser.response().set_cookies.size(), 2u) << piece;
    EXPECT_EQ(parser.response().body, "hello") << piece;
  }
}

TEST(LoadResponseParser, ChunkedBodiesWithExtensionsAndTrailers) {
  // Chunks of any size, split anywhere, an extension and a trailer: the body joined.
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
      "4\r\n{\"a\"\r\nA;ext=1\r\n:123456789\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (std::size_t piece = 1; piece <= chunked.size(); ++piece) {
    HttpResponseParser parser;
    parser.reset(true);
    std::size_t consumed = 0;
    ASSERT_EQ(feed_in_pieces(parser, chunked, piece, &consumed), ParseStatus::complete)
        << "piece " << piece << ": " << parser.error();
    EXPECT_EQ(consumed, chunked.size());
    EXPECT_EQ(parser.response().body, "{\"a\":123456789}") << piece;
    EXPECT_EQ(parser.response().body_bytes, 15);
  }
}

TEST(LoadResponseParser, TwoResponsesBackToBackStopAtTheFirst) {
  // The parser consumes exactly one response; the caller sees where the next begins.
  const std::string two = std::string(kRedirect) + "HTTP/1.1 204 No Content\r\n\r\n";
  HttpResponseParser parser;
  parser.reset(false);
  std::size_t consumed = 0;
  ASSERT_EQ(parser.feed(two, consumed), ParseStatus::complete);
  EXPECT_EQ(consumed, kRedirect.size());
  EXPECT_TRUE(parser.response().body.empty()) << "a body not asked for is not kept";
  EXPECT_EQ(parser.response().body_bytes, 5);
  parser.reset(false);
  ASSERT_EQ(parser.feed(std::string_view(two).substr(consumed), consumed), ParseStatus::complete);
  EXPECT_EQ(parser.response().status, 204);
}

TEST(LoadResponseParser, ConnectionCloseAndBodiesUntilClose) {
  // "Connection: close" and HTTP/1.0 end keep-alive; a body without length ends at close.
  HttpResponseParser parser;
  parser.reset(true);
  std::size_t consumed = 0;
  ASSERT_EQ(parser.feed("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial", consumed),
            ParseStatus::need_more);
  EXPECT_EQ(parser.feed(" body", consumed), ParseStatus::need_more);
  ASSERT_EQ(parser.finish_on_close(), ParseStatus::complete);
  EXPECT_FALSE(parser.response().keep_alive);
  EXPECT_EQ(parser.response().body, "partial body");

  parser.reset(false);
  ASSERT_EQ(parser.feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", consumed),
            ParseStatus::complete);
  EXPECT_FALSE(parser.response().keep_alive);
}

TEST(LoadResponseParser, InterimResponsesAreSkipped) {
  // A 100 Continue before the real answer is not the answer.
  HttpResponseParser parser;
  parser.reset(false);
  std::size_t consumed = 0;
  const std::string bytes =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
  ASSERT_EQ(parser.feed(bytes, consumed), ParseStatus::complete);
  EXPECT_EQ(parser.response().status, 201);
  EXPECT_EQ(consumed, bytes.size());
}

TEST(LoadResponseParser, KeptBodiesAreBounded) {
  // A body over 1 MiB is counted whole but kept only up to the bound.
  HttpResponseParser parser;
  parser.reset(true);
  const std::size_t size = HttpResponseParser::kKeptBodyBytesMax + 100;
  std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n";
  bytes.append(size, 'x');
  std::size_t consumed = 0;
  ASSERT_EQ(feed_in_pieces(parser, bytes, 16 * 1024, &consumed), ParseStatus::complete);
  EXPECT_EQ(parser.response().body.size(), HttpResponseParser::kKeptBodyBytesMax);
  EXPECT_TRUE(parser.response().body_truncated);
  EXPECT_EQ(parser.response().body_bytes, static_cast<std::int64_t>(size));
}

TEST(LoadResponseParser, MalformedInputIsAnError) {
  // Each of these is refused with a reason, never taken for a response.
  for (const std::string& bad : {
           std::string("HTTP/2 200 OK\r\n\r\n"),
           std::string("HTTP/1.1 2x0 OK\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
           std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n"),
       }) {
    HttpResponseParser parser;
    parser.reset(true);
    std::size_t consumed = 0;
    EXPECT_EQ(parser.feed(bad, consumed), ParseStatus::error) << bad;
    EXPECT_FALSE(parser.error().empty()) << bad;
  }
}

TEST(LoadResponseParser, OversizedHeadAndEarlyCloseAreErrors) {
  // A head past 64 KiB is refused; a close before the body's end is an error, and a
  // close before any byte is told apart (a stale keep-alive connection).
  HttpResponseParser parser;
  parser.reset(false);
  std::string head = "HTTP/1.1 200 OK\r\nX-Big: ";
  head.append(HttpResponseParser::kHeadBytesMax, 'a');
  std::size_t consumed = 0;
  EXPECT_EQ(feed_in_pieces(parser, head, 4096), ParseStatus::error);

  parser.reset(false);
  EXPECT_FALSE(parser.started());
  EXPECT_EQ(parser.finish_on_close(), ParseStatus::error);
  parser.reset(false);
  ASSERT_EQ(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", consumed),
            ParseStatus::need_more);
  EXPECT_TRUE(parser.started());
  EXPECT_EQ(parser.finish_on_close(), ParseStatus::error);
}

}  // namespace
}  // namespace mepsim::load
