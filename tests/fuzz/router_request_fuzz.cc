// libFuzzer target: the router's handling of what a client sends, the requests of one
// keep-alive connection in a row, as ProxyConnection handles them: read with the router's
// bounds (a small body bound here, so that 413 is reachable), refused with 413/400 or
// rewritten for the backend. Whatever the router forwards must be a request its backend can
// read back as the same request, with the router's headers set and no hop-by-hop header left.

#include <atomic>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/router/request_rewrite.h"

namespace {

namespace http = boost::beast::http;
using mepsim::router::HttpRequest;

constexpr std::string_view kClientAddress = "10.0.0.7";
constexpr int kRequestsPerConnectionMax = 16;

void check_rewritten(const HttpRequest& request, const std::string& request_id) {
  const auto id = request.find("X-Request-Id");
  if (id == request.end() || id->value() != request_id || request_id.empty() ||
      request_id.size() > mepsim::router::kRequestIdBytesMax) {
    std::abort();
  }
  for (const auto field :
       {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
        http::field::te, http::field::trailer, http::field::transfer_encoding, http::field::upgrade,
        http::field::expect}) {
    if (request.find(field) != request.end()) std::abort();
  }
  if (request.version() != 11 || request.find("X-Forwarded-Proto") == request.end()) std::abort();
  const auto forwarded = request.find("X-Forwarded-For");
  if (forwarded == request.end()) std::abort();
  const auto chain = forwarded->value();
  if (!std::string_view(chain.data(), chain.size()).ends_with(kClientAddress)) std::abort();
  if (request.has_content_length() &&
      request[http::field::content_length] != std::to_string(request.body().size())) {
    std::abort();
  }
}

// The bytes the backend gets, read back as the backend's own parser reads them.
void check_backend_reads(const HttpRequest& request) {
  std::ostringstream wire;
  wire << request;
  http::request_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::string bytes = wire.str();
  parser.put(boost::asio::buffer(bytes), ec);
  if (ec || !parser.is_done()) std::abort();
  const auto& back = parser.get();
  if (back.method_string() != request.method_string() || back.target() != request.target() ||
      back.body() != request.body()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mepsim::router::RouterOptions options;
  options.request_body_bytes_max = 4096;
  std::atomic<std::uint64_t> request_ids{0};
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (int n = 0; n < kRequestsPerConnectionMax && !bytes.empty(); ++n) {
    auto read = mepsim::router::read_request(bytes, options);
    if (read.bytes_used > bytes.size()) std::abort();
    if (!read.request) {
      // No request: the read failed, and the router either refuses it or hangs up.
      if (!read.error) std::abort();
      (void)mepsim::router::refusal_for(read.error);
      return 0;
    }
    if (read.error || mepsim::router::refusal_for(read.error)) std::abort();
    if (read.request->body().size() > options.request_body_bytes_max) std::abort();
    const std::string id =
        mepsim::router::rewrite_for_upstream(*read.request, kClientAddress, request_ids);
    check_rewritten(*read.request, id);
    // What would not fit the backend's bound is answered 400 by the router itself.
    if (mepsim::router::fits_upstream(*read.request)) check_backend_reads(*read.request);
    if (read.bytes_used == 0) return 0;
    bytes.remove_prefix(read.bytes_used);
  }
  return 0;
}
