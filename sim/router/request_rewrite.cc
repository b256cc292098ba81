#include "sim/router/request_rewrite.h"

#include <fmt/format.h>

#include <boost/asio/buffer.hpp>

namespace mepsim::router {

namespace beast = boost::beast;
namespace http = beast::http;

void apply_request_limits(RequestParser& parser, const RouterOptions& options) {
  parser.body_limit(options.request_body_bytes_max);
  parser.header_limit(static_cast<std::uint32_t>(options.request_header_bytes_max));
}

bool is_parse_error(beast::error_code ec) {
  static const auto& http_category = http::make_error_code(http::error::end_of_stream).category();
  return ec.category() == http_category && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

std::optional<http::status> refusal_for(beast::error_code ec) {
  if (ec == http::error::body_limit) return http::status::payload_too_large;
  if (ec && is_parse_error(ec)) return http::status::bad_request;
  return std::nullopt;
}

void erase_hop_by_hop(http::fields& fields) {
  for (const auto field : {http::field::connection, http::field::keep_alive,
                           http::field::proxy_connection, http::field::te, http::field::trailer,
                           http::field::transfer_encoding, http::field::upgrade}) {
    fields.erase(field);
  }
}

bool fits_upstream(const HttpRequest& request) {
  // "METHOD target HTTP/1.1\r\n", each "Name: value\r\n", then "\r\n".
  constexpr std::string_view kVersionLine = " HTTP/1.1\r\n";
  std::size_t bytes =
      request.method_string().size() + 1 + request.target().size() + kVersionLine.size() + 2;
  for (const auto& field : request) {
    bytes += field.name_string().size() + 2 + field.value().size() + 2;
    if (bytes > kUpstreamHeaderBytesMax) return false;
  }
  return bytes <= kUpstreamHeaderBytesMax;
}

std::string rewrite_for_upstream(HttpRequest& request, std::string_view client_address,
                                 std::atomic<std::uint64_t>& request_ids) {
  std::string request_id;
  const auto incoming = request.find("X-Request-Id");
  if (incoming != request.end() && !incoming->value().empty() &&
      incoming->value().size() <= kRequestIdBytesMax) {
    request_id = std::string(incoming->value());
  } else {
    request_id = fmt::format("mepsim-{}", request_ids.fetch_add(1) + 1);
    request.set("X-Request-Id", request_id);
  }
  // The body was read whole: it goes upstream with a length, whatever framing it came in.
  // Any Transfer-Encoding field counts, not only a first one saying chunked: the parser
  // reads the last one, and a body sent on without a length would be read by the backend
  // as the start of the next request on the pooled connection.
  const bool had_body = request.has_content_length() ||
                        request.find(http::field::transfer_encoding) != request.end() ||
                        !request.body().empty();
  erase_hop_by_hop(request);
  // The router answers 100-continue itself by reading the body; the backend must not.
  request.erase(http::field::expect);
  if (had_body) request.content_length(request.body().size());
  if (!client_address.empty()) {
    const auto forwarded = request.find("X-Forwarded-For");
    if (forwarded == request.end()) {
      request.set("X-Forwarded-For",
                  beast::string_view(client_address.data(), client_address.size()));
    } else {
      const auto earlier = forwarded->value();
      request.set(
          "X-Forwarded-For",
          fmt::format("{}, {}", std::string_view(earlier.data(), earlier.size()), client_address));
    }
  }
  if (request.find("X-Forwarded-Proto") == request.end()) {
    request.set("X-Forwarded-Proto", "http");
  }
  request.version(11);
  request.keep_alive(true);
  return request_id;
}

RequestRead read_request(std::string_view bytes, const RouterOptions& options) {
  RequestParser parser;
  apply_request_limits(parser, options);
  parser.eager(true);
  RequestRead read;
  // As http::read does: the parser takes what has arrived until the message ends; when the
  // rest cannot complete it, the client's close is the end of its input.
  const auto end_of_input = [&parser](beast::error_code& ec) {
    if (parser.got_some()) {
      parser.put_eof(ec);
    } else {
      ec = http::error::end_of_stream;
    }
  };
  while (!parser.is_done()) {
    const std::string_view rest = bytes.substr(read.bytes_used);
    if (rest.empty()) {
      end_of_input(read.error);
      break;
    }
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), read.error);
    read.bytes_used += used;
    if (read.error == http::error::need_more || (!read.error && used == 0)) {
      end_of_input(read.error);
      break;
    }
    if (read.error) break;
  }
  if (!read.error && parser.is_done()) read.request = parser.release();
  return read;
}

}  // namespace mepsim::router
