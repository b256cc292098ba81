#pragma once
// An incremental HTTP/1.1 response parser for the load generator: bytes go in as they
// arrive, split anywhere; out come the status and the few headers the generator acts
// on (Set-Cookie, Location, X-Cache, Content-Length, Transfer-Encoding, Connection).
// Bodies are kept only when asked (JSON answers the flows read) and up to a bound;
// HTML pages are counted and dropped. No allocation per response once warm.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mepsim::load {

// What the generator keeps of one response.
struct HttpResponse {
  int status = 0;
  std::vector<std::string> set_cookies;  // each Set-Cookie value, in order
  std::string location;
  std::string x_cache;  // "hit", "miss" or "" when absent
  bool keep_alive = true;
  std::int64_t body_bytes = 0;  // received, kept or not
  std::string body;             // when kept, up to the bound
  bool body_truncated = false;
};

enum class ParseStatus {
  need_more,  // everything given was consumed; the response is not complete yet
  complete,   // a whole response ends at `consumed`; what follows is the next one's
  error,      // malformed or over a bound: the connection cannot be trusted any more
};

class HttpResponseParser {
 public:
  // A head over this is refused (a real server sends a few hundred bytes).
  static constexpr std::size_t kHeadBytesMax = 64 * 1024;
  // A kept body stops growing here (the flows read small JSON answers).
  static constexpr std::size_t kKeptBodyBytesMax = 1 << 20;

  // Ready for the next response; `keep_body`: store its body; `head_request`: the
  // request was a HEAD, so the response has no body whatever its headers say.
  void reset(bool keep_body, bool head_request = false);

  // Consumes a prefix of `data` and says how far it went in `consumed`.
  ParseStatus feed(std::string_view data, std::size_t& consumed);
  // The peer closed the connection: a body delimited by the close ends here.
  ParseStatus finish_on_close();

  const HttpResponse& response() const { return response_; }
  HttpResponse& response() { return response_; }
  const std::string& error() const { return error_; }
  // Whether any byte of this response arrived (a connection closed before any byte is
  // a stale keep-alive connection, safe to retry an idempotent request on).
  bool started() const { return started_; }

 private:
  enum class State {
    head,
    body_length,
    body_until_close,
    chunk_size,
    chunk_data,
    chunk_data_end,
    trailers,
    done,
    failed
  };

  ParseStatus fail(std::string why);
  ParseStatus parse_head(std::string_view head);
  bool parse_status_line(std::string_view line);
  void on_header(std::string_view name, std::string_view value);
  void take_body(std::string_view bytes);
  ParseStatus feed_chunked(std::string_view data, std::size_t& consumed);

  State state_ = State::head;
  HttpResponse response_;
  std::string head_;  // the head so far (kept until its blank line arrives)
  std::string line_;  // a chunk-size or trailer line so far
  std::string error_;
  bool keep_body_ = false;
  bool head_request_ = false;
  bool started_ = false;
  bool chunked_ = false;
  bool has_length_ = false;
  std::uint64_t remaining_ = 0;  // body or chunk bytes still to come
};

}  // namespace mepsim::load
