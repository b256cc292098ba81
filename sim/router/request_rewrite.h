#pragma once
// The router's handling of one request apart from its sockets: the bounds a request is read
// with, the read failures the router answers itself (413, 400), and the rewrite that turns
// the client's request into the one its backend gets (X-Request-Id, X-Forwarded-*, hop-by-hop
// headers, framing). ProxyConnection streams requests through these; the tests and the fuzz
// target feed them bytes with read_request().

#include <atomic>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/router/router_options.h"

namespace mepsim::router {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// An incoming id longer than this is replaced: it ends up in logs and headers downstream.
inline constexpr std::size_t kRequestIdBytesMax = 200;

// The router's bounds, on a parser about to read a request.
void apply_request_limits(RequestParser& parser, const RouterOptions& options);

// A malformed message (not a client that left mid-request).
bool is_parse_error(boost::beast::error_code ec);

// The status the router answers a failed read with itself: 413 past the body bound, 400 for
// a malformed request; nullopt when the read ended otherwise (the client left or went quiet,
// the router is closing), which gets no answer.
std::optional<boost::beast::http::status> refusal_for(boost::beast::error_code ec);

// Headers that describe one hop, not the message: each side of the router sets its own.
void erase_hop_by_hop(boost::beast::http::fields& fields);

// The request line and headers the web containers read (Beast's bound): past it they answer
// 400 and close the pooled connection.
inline constexpr std::size_t kUpstreamHeaderBytesMax = 8 << 10;
// Whether the rewritten request's line and headers, as the router writes them ("Name:
// value" each), fit kUpstreamHeaderBytesMax. A client's headers within the router's own
// bound can outgrow it once the router's are added, or written with the space after each
// colon that the client left out; the router answers such a request 400 itself.
bool fits_upstream(const HttpRequest& request);

// Turns the client's request into the backend's, in place, and gives the request's id: the
// client's X-Request-Id when usable, else "mepsim-<n>" with n drawn from `request_ids`.
// `client_address` is "" when unknown (no X-Forwarded-For is added then).
std::string rewrite_for_upstream(HttpRequest& request, std::string_view client_address,
                                 std::atomic<std::uint64_t>& request_ids);

// One request read from `bytes` as the router reads it from a client that closes after them:
// the request, or the error the read ended with (what refusal_for takes). `bytes_used` is
// where the next request of a keep-alive connection starts.
struct RequestRead {
  std::optional<HttpRequest> request;
  boost::beast::error_code error;
  std::size_t bytes_used = 0;
};
RequestRead read_request(std::string_view bytes, const RouterOptions& options);

}  // namespace mepsim::router
