#include "sim/net/http_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace mepsim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kBodyBytesMax = 8u << 20;
constexpr std::size_t kHeaderBytesMax = 64u << 10;
constexpr const char* kUserAgent = "mepsim-web/0.1";

Result<std::uint16_t> parse_port(std::string_view text, const std::string& shown) {
  if (auto port = parse_port_number(text)) return *port;
  return make_error(ErrorCode::invalid_input,
                    fmt::format("URL \"{}\": port \"{}\" is not 1-65535", shown, text));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_for_messages(const HttpExchange& exchange) {
  // The target only: hosts and paths carry no secrets here, headers (api keys) may.
  const auto& url = exchange.url;
  return fmt::format("{} http://{}:{}{}", exchange.method, url.host, url.port, url.target);
}

}  // namespace

namespace {

// The URL as messages may show it: without any "user:password@".
std::string redacted(std::string_view text) {
  const auto scheme_end = text.find("://");
  const auto authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto authority_end = text.find_first_of("/?#", authority_start);
  const auto at = text.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority_start) return std::string(text);
  return fmt::format("{}…{}", text.substr(0, authority_start), text.substr(at));
}

// "host[:port]" or "[v6]:port" into `url`; `shown` names the URL in errors.
Result<void> parse_authority(std::string_view authority, const std::string& shown, HttpUrl& url) {
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::invalid_input, fmt::format("URL \"{}\": unclosed '['", shown));
    }
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("URL \"{}\": junk after the IPv6 address", shown));
    }
    if (!after.empty()) port = after.substr(1);
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    return make_error(ErrorCode::invalid_input, fmt::format("URL \"{}\" has no host", shown));
  }
  url.host = std::string(host);
  if (port) {
    auto parsed = parse_port(*port, shown);
    if (!parsed) return parsed.error();
    url.port = parsed.value();
  }
  return {};
}

}  // namespace

Result<HttpUrl> parse_http_url(const std::string& text) {
  const std::string shown = redacted(text);
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos) {
    return make_error(ErrorCode::invalid_input, fmt::format("URL \"{}\" has no scheme", shown));
  }
  const std::string_view scheme = std::string_view(text).substr(0, scheme_end);
  if (scheme == "https") {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("URL \"{}\": https is not supported (mepsim's peers speak "
                                  "plain HTTP on loopback)",
                                  shown));
  }
  if (scheme != "http") {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("URL \"{}\": scheme \"{}\" is not http", shown, scheme));
  }
  std::string_view rest = std::string_view(text).substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const auto target_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, target_start);
  if (authority.find('@') != std::string_view::npos) {
    // Credentials in a URL end up in messages and logs: callers pass them in headers.
    return make_error(ErrorCode::invalid_input,
                      fmt::format("URL \"{}\": credentials in the URL are not supported", shown));
  }
  HttpUrl url;
  if (target_start != std::string_view::npos) {
    url.target = rest[target_start] == '?' ? "/" + std::string(rest.substr(target_start))
                                           : std::string(rest.substr(target_start));
  }
  auto parsed = parse_authority(authority, shown, url);
  if (!parsed) return parsed.error();
  return url;
}

std::string url_encode(std::string_view text) {
  // RFC 3986 unreserved characters stay; a space becomes '+', as forms and PHP's
  // urlencode write it; everything else is %XX of its UTF-8 bytes.
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

Result<std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return make_error(ErrorCode::invalid_input,
                          fmt::format("bad percent escape at offset {}", i));
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

namespace {

// A name lookup on a thread of its own: getaddrinfo cannot be cancelled, and Asio's own
// resolver joins its lookup thread when the io_context goes, which would make a slow DNS
// outlast the caller's timeout. Abandoned lookups finish (and free themselves) in the
// background.
class BoundedLookup : public std::enable_shared_from_this<BoundedLookup> {
 public:
  using Done = std::function<void(beast::error_code, tcp::resolver::results_type)>;

  static std::shared_ptr<BoundedLookup> start(asio::io_context& io, std::string host,
                                              std::uint16_t port, Done done) {
    auto lookup = std::shared_ptr<BoundedLookup>(new BoundedLookup(io, std::move(done)));
    try {
      std::thread([lookup, host = std::move(host), port] { lookup->run(host, port); }).detach();
    } catch (const std::system_error&) {
      return nullptr;  // no thread to spare: the caller reports it as a value
    }
    return lookup;
  }

  // Called before the io_context goes: a late answer is then dropped, not posted.
  void abandon() {
    std::lock_guard lock(mutex_);
    io_ = nullptr;
  }

 private:
  BoundedLookup(asio::io_context& io, Done done) : io_(&io), done_(std::move(done)) {}

  void run(const std::string& host, std::uint16_t port) {
    asio::io_context own;
    tcp::resolver resolver(own);
    beast::error_code ec;
    auto results = resolver.resolve(host, std::to_string(port), ec);
    std::lock_guard lock(mutex_);
    if (io_ == nullptr) return;
    asio::post(*io_, [self = shared_from_this(), ec, results = std::move(results)] {
      self->done_(ec, results);
    });
  }

  std::mutex mutex_;
  asio::io_context* io_;  // guarded by mutex_; null once abandoned
  Done done_;
};

// One exchange on an io_context of its own, all of it under one deadline timer that
// closes the socket (and abandons the lookup) when it fires.
class Exchange {
 public:
  explicit Exchange(const HttpExchange& exchange)
      : exchange_(exchange), socket_(io_), deadline_(io_) {}

  Result<HttpReply> run();

 private:
  void on_deadline(beast::error_code ec);
  void resolve();
  void connect(const tcp::resolver::results_type& endpoints);
  void write();
  void read();
  void finish(beast::error_code ec);
  void build_request();

  const HttpExchange& exchange_;
  asio::io_context io_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  std::shared_ptr<BoundedLookup> lookup_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  std::string_view step_ = "resolving";  // what the deadline interrupted, for the message
  bool timed_out_ = false;
  bool finished_ = false;
  std::optional<Error> error_;
};

Result<HttpReply> Exchange::run() {
  if (exchange_.body.size() > kBodyBytesMax) {
    return make_error(
        ErrorCode::capacity,
        fmt::format("{}: request body of {} bytes is over the {} bytes allowed",
                    url_for_messages(exchange_), exchange_.body.size(), kBodyBytesMax));
  }
  if (exchange_.method.empty() || exchange_.method.find_first_of(" \r\n") != std::string::npos) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("HTTP method \"{}\" is not a token", exchange_.method));
  }
  if (exchange_.method == "TRACE" && !exchange_.body.empty()) {
    // RFC 9110 forbids it, and Beast would throw building the request.
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}: a TRACE request has no body", url_for_messages(exchange_)));
  }
  build_request();
  parser_.body_limit(kBodyBytesMax);
  parser_.header_limit(static_cast<std::uint32_t>(kHeaderBytesMax));
  if (exchange_.method == "HEAD") parser_.skip(true);
  deadline_.expires_after(exchange_.timeout);
  deadline_.async_wait([this](beast::error_code ec) { on_deadline(ec); });
  resolve();
  io_.run();
  if (lookup_) lookup_->abandon();
  if (error_) return *error_;
  auto response = parser_.release();
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    const auto name = field.name_string();
    const auto value = field.value();
    reply.headers.emplace_back(std::string(name.data(), name.size()),
                               std::string(value.data(), value.size()));
  }
  reply.body = std::move(response.body());
  return reply;
}

void Exchange::build_request() {
  request_.method_string(exchange_.method);
  request_.target(exchange_.url.target);
  request_.version(11);
  for (const auto& [name, value] : exchange_.headers) request_.insert(name, value);
  const auto& url = exchange_.url;
  if (request_.find(http::field::host) == request_.end()) {
    const bool ipv6 = url.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + url.host + "]" : url.host;
    request_.set(http::field::host, url.port == 80 ? host : fmt::format("{}:{}", host, url.port));
  }
  if (request_.find(http::field::user_agent) == request_.end()) {
    request_.set(http::field::user_agent, kUserAgent);
  }
  // One exchange per connection: nothing to pool, and the peer may read the body to EOF.
  request_.keep_alive(false);
  request_.body() = exchange_.body;
  // Content-Length always follows the body actually sent; a caller's value could lie.
  request_.prepare_payload();
}

void Exchange::on_deadline(beast::error_code ec) {
  if (ec == asio::error::operation_aborted || finished_) return;
  timed_out_ = true;
  if (lookup_) lookup_->abandon();
  // Closing the socket makes its pending operation complete (aborted) at once.
  finish(asio::error::timed_out);
}

void Exchange::resolve() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(exchange_.url.host, ec);
  if (!ec) {
    // A literal address (every fake on loopback): no lookup, no thread.
    const tcp::endpoint endpoint(address, exchange_.url.port);
    connect(tcp::resolver::results_type::create(endpoint, exchange_.url.host,
                                                std::to_string(exchange_.url.port)));
    return;
  }
  lookup_ = BoundedLookup::start(
      io_, exchange_.url.host, exchange_.url.port,
      [this](beast::error_code lookup_ec, tcp::resolver::results_type endpoints) {
        if (finished_) return;
        if (lookup_ec) return finish(lookup_ec);
        connect(endpoints);
      });
  if (!lookup_) {
    finish({});
    error_ = make_error(ErrorCode::internal, fmt::format("{}: no thread left for the name lookup",
                                                         url_for_messages(exchange_)));
  }
}

void Exchange::connect(const tcp::resolver::results_type& endpoints) {
  step_ = "connecting";
  asio::async_connect(socket_, endpoints, [this](beast::error_code ec, const tcp::endpoint&) {
    if (ec) return finish(ec);
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    write();
  });
}

void Exchange::write() {
  step_ = "writing";
  http::async_write(socket_, request_, [this](beast::error_code ec, std::size_t) {
    if (ec) return finish(ec);
    read();
  });
}

void Exchange::read() {
  step_ = "reading";
  // The head first, then the body: Boost 1.74's eager parser loses the body_limit error
  // when the head and the start of an oversized body arrive in one read.
  http::async_read_header(socket_, buffer_, parser_, [this](beast::error_code ec, std::size_t) {
    if (ec) return finish(ec);
    if (parser_.is_done()) return finish({});  // HEAD, 204, 304: no body to follow
    const auto length = parser_.content_length();
    if (length && *length > kBodyBytesMax) return finish(http::error::body_limit);
    http::async_read(socket_, buffer_, parser_,
                     [this](beast::error_code body_ec, std::size_t) { finish(body_ec); });
  });
}

void Exchange::finish(beast::error_code ec) {
  if (finished_) return;
  finished_ = true;
  beast::error_code ignored;
  deadline_.cancel();
  socket_.close(ignored);
  if (!ec) return;
  const std::string where = url_for_messages(exchange_);
  if (timed_out_) {
    const auto timeout_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(exchange_.timeout).count();
    error_ = make_error(ErrorCode::timeout, fmt::format("{}: timed out after {} ms while {}", where,
                                                        timeout_ms, step_));
  } else if (ec == http::error::body_limit || ec == http::error::header_limit) {
    error_ = make_error(
        ErrorCode::capacity,
        fmt::format("{}: reply over the {} bytes allowed ({})", where,
                    ec == http::error::body_limit ? kBodyBytesMax : kHeaderBytesMax, ec.message()));
  } else {
    error_ = make_error(ErrorCode::unavailable,
                        fmt::format("{}: {} failed: {}", where, step_, ec.message()));
  }
}

}  // namespace

Result<HttpReply> http_exchange(const HttpExchange& exchange) {
  if (exchange.url.host.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}: no host", url_for_messages(exchange)));
  }
  // On the heap: handlers hold `this`, and the io_context and parser are not small.
  auto state = std::make_unique<Exchange>(exchange);
  return state->run();
}

std::optional<std::uint16_t> parse_port_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace mepsim
