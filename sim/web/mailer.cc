#include "sim/web/mailer.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "sim/net/http_client.h"

namespace mepsim::web {

namespace {

using nlohmann::json;

constexpr std::string_view kBrevoHost = "api.brevo.com";
constexpr std::size_t kBodyExcerptChars = 200;

Error dsn_error(std::string message) {
  // Never the DSN itself: it holds the API key.
  return make_error(ErrorCode::invalid_input, "MAILER_DSN: " + std::move(message));
}

Result<std::uint16_t> parse_dsn_port(std::string_view text) {
  if (auto port = parse_port_number(text)) return *port;
  return dsn_error(fmt::format("port \"{}\" is not 1-65535", text));
}

// "HOST[:PORT]" after the '@': "default" is the real Brevo; a port means the plain-HTTP fake.
Result<MailerDsn> parse_brevo_host(MailerDsn dsn, std::string_view authority) {
  const auto colon = authority.ends_with(']') ? std::string_view::npos : authority.rfind(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty()) return dsn_error("no host after '@' (brevo+api://KEY@default)");
  if (host == "default") {
    if (colon != std::string_view::npos) return dsn_error("\"default\" takes no port");
    dsn.host = kBrevoHost;
    dsn.port = 443;
    dsn.https = true;
    return dsn;
  }
  const bool bracketed = host.size() > 2 && host.front() == '[' && host.back() == ']';
  dsn.host = std::string(bracketed ? host.substr(1, host.size() - 2) : host);
  if (colon == std::string_view::npos) {
    // Symfony speaks HTTPS to a named host without a port; so "does" mepsim, and fails.
    dsn.port = 443;
    dsn.https = true;
    return dsn;
  }
  auto port = parse_dsn_port(authority.substr(colon + 1));
  if (!port) return port.error();
  dsn.port = port.value();
  return dsn;
}

std::string brevo_error_text(const std::string& body) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_object()) {
    const auto code = document.find("code");
    const auto message = document.find("message");
    if (code != document.end() && code->is_string() && message != document.end() &&
        message->is_string()) {
      return fmt::format("{}: \"{}\"", code->get<std::string>(), message->get<std::string>());
    }
  }
  return fmt::format("\"{}\"", body.substr(0, kBodyExcerptChars));
}

}  // namespace

Result<MailerDsn> parse_mailer_dsn(const std::string& dsn) {
  const auto scheme_end = dsn.find("://");
  if (scheme_end == std::string::npos) return dsn_error("not a DSN (scheme://…)");
  const std::string_view scheme = std::string_view(dsn).substr(0, scheme_end);
  if (scheme == "null") return MailerDsn{};
  if (scheme != "brevo+api") {
    return dsn_error(fmt::format("scheme \"{}\" is not supported (brevo+api:// or null://)",
                                 scheme.substr(0, 40)));
  }
  std::string_view rest = std::string_view(dsn).substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));  // options are not read
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos || at == 0) {
    return dsn_error("no API key (brevo+api://KEY@default)");
  }
  // Symfony takes the key from the user part and URL-decodes it; a password is unused.
  std::string_view user = rest.substr(0, at);
  user = user.substr(0, user.find(':'));
  auto key = url_decode(user);
  if (!key) return dsn_error("the API key is not valid URL-encoding");
  MailerDsn parsed;
  parsed.api_key = std::move(key.value());
  parsed.enabled = true;
  return parse_brevo_host(std::move(parsed), rest.substr(at + 1));
}

Mailer::Mailer(MailerDsn dsn, Duration timeout) : dsn_(std::move(dsn)), timeout_(timeout) {}

Result<std::string> Mailer::send(const Mail& mail) const {
  if (!enabled()) return std::string();
  if (dsn_.https) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("sending mail to https://{}: mepsim speaks no TLS; point "
                                  "MAILER_DSN at the Brevo fake (brevo+api://KEY@HOST:PORT)",
                                  dsn_.host));
  }
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = HttpUrl{dsn_.host, dsn_.port, "/v3/smtp/email"};
  exchange.headers = {{"api-key", dsn_.api_key},
                      {"content-type", "application/json"},
                      {"accept", "application/json"}};
  exchange.body = json{
      {"sender", {{"email", mail.from}}},
      {"to", json::array({{{"email", mail.to}}})},
      {"subject", mail.subject},
      {"htmlContent",
       mail.html}}.dump(-1, ' ', false, json::error_handler_t::replace);
  exchange.timeout = timeout_;
  auto reply = http_exchange(exchange);
  if (!reply) return reply.error().context("sending mail through Brevo");
  if (reply->status == 201) {
    const json document = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    const auto id = document.is_object() ? document.find("messageId") : document.end();
    if (id == document.end() || !id->is_string()) {
      return make_error(ErrorCode::unavailable,
                        fmt::format("Brevo answered 201 without a messageId: \"{}\"",
                                    reply->body.substr(0, kBodyExcerptChars)));
    }
    return id->get<std::string>();
  }
  const bool caller_fault = reply->status >= 400 && reply->status < 500 && reply->status != 429;
  return make_error(
      caller_fault ? ErrorCode::invalid_input : ErrorCode::unavailable,
      fmt::format("Brevo answered {}: {}", reply->status, brevo_error_text(reply->body)));
}

}  // namespace mepsim::web
