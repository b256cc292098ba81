#include "sim/web/sentry_reporter.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "sim/net/http_client.h"

namespace mepsim::web {

namespace {

using nlohmann::json;

constexpr const char* kSdkName = "sentry.php.symfony";
constexpr const char* kSdkVersion = "5.0.0";
constexpr const char* kClient = "sentry.php/4.0";
// condition_variable::wait_for adds the timeout to now(): a "forever" must not overflow.
constexpr Duration kFlushWaitMax = std::chrono::hours(24);

Error dsn_error(std::string message) {
  // Never the DSN itself: it holds the key.
  return make_error(ErrorCode::invalid_input, "SENTRY_DSN: " + std::move(message));
}

bool all_of_class(std::string_view text, bool (*in_class)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), in_class);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

Result<std::uint16_t> parse_dsn_port(std::string_view text) {
  if (auto port = parse_port_number(text)) return *port;
  return dsn_error(fmt::format("port \"{}\" is not 1-65535", text));
}

std::string dsn_text(const SentryDsn& dsn) {
  return fmt::format("http://{}@{}:{}/{}", dsn.public_key, dsn.host, dsn.port, dsn.project_id);
}

json event_payload(const SentryEvent& event) {
  json frames = json::array();
  for (const auto& frame : event.frames) {
    frames.push_back(
        {{"filename", frame.filename}, {"function", frame.function}, {"in_app", true}});
  }
  if (frames.empty()) {
    frames.push_back({{"filename", "public/index.php"}, {"function", "{main}"}, {"in_app", true}});
  }
  json exception = {{"type", event.exception_type},
                    {"value", event.exception_value},
                    {"stacktrace", {{"frames", std::move(frames)}}}};
  json payload = {
      {"event_id", event.event_id},
      {"timestamp", std::chrono::duration<double>(event.timestamp.time_since_epoch()).count()},
      {"platform", "php"},
      {"level", event.level},
      // The SDK's own default when SENTRY_ENVIRONMENT is unset.
      {"environment", event.environment.empty() ? "production" : event.environment},
      {"transaction", event.transaction},
      {"server_name", event.server_name},
      {"tags", event.tags},
      {"exception", {{"values", json::array({std::move(exception)})}}},
      {"sdk", {{"name", kSdkName}, {"version", kSdkVersion}}},
  };
  // Relay refuses an empty release; the SDK leaves the field out when it has none.
  if (!event.release.empty()) payload["release"] = event.release;
  return payload;
}

std::string dump(const json& value) {
  // Exception messages are outside input: invalid UTF-8 is replaced, never thrown on.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Result<SentryDsn> parse_sentry_dsn(const std::string& dsn) {
  const auto scheme_end = dsn.find("://");
  if (scheme_end == std::string::npos) {
    return dsn_error("not a DSN (http://KEY@HOST:PORT/PROJECT_ID)");
  }
  const std::string_view scheme = std::string_view(dsn).substr(0, scheme_end);
  if (scheme != "http") {
    return dsn_error(fmt::format("scheme \"{}\" is not supported: mepsim speaks plain http",
                                 scheme.substr(0, 40)));
  }
  const std::string_view rest = std::string_view(dsn).substr(scheme_end + 3);
  const auto path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return dsn_error("no public key (http://KEY@HOST…)");
  // A legacy "key:secret" still parses, as the SDKs allow; the secret is not used.
  const std::string_view key = authority.substr(0, std::min(at, authority.find(':')));
  if (!all_of_class(key, is_word)) {
    return dsn_error("the public key (before '@') must be letters, digits or '_'");
  }
  const std::string_view host_port = authority.substr(at + 1);
  const auto colon = host_port.rfind(':');
  SentryDsn parsed;
  parsed.public_key = std::string(key);
  parsed.host = std::string(host_port.substr(0, colon));
  if (parsed.host.empty()) return dsn_error("no host after '@'");
  parsed.port = 80;
  if (colon != std::string_view::npos) {
    auto port = parse_dsn_port(host_port.substr(colon + 1));
    if (!port) return port.error();
    parsed.port = port.value();
  }
  std::string_view project =
      path_start == std::string_view::npos ? "" : rest.substr(path_start + 1);
  if (project.ends_with('/')) project.remove_suffix(1);
  if (!all_of_class(project, is_digit)) {
    return dsn_error(
        fmt::format("the project id \"{}\" (the path) must be digits", project.substr(0, 40)));
  }
  parsed.project_id = std::string(project);
  return parsed;
}

std::string sentry_envelope(const SentryEvent& event, const SentryDsn& dsn) {
  const json header = {{"event_id", event.event_id},
                       {"dsn", dsn_text(dsn)},
                       {"sent_at", format_iso8601(event.timestamp)},
                       {"sdk", {{"name", kSdkName}, {"version", kSdkVersion}}}};
  const std::string payload = dump(event_payload(event));
  const json item_header = {{"type", "event"}, {"length", payload.size()}};
  return dump(header) + "\n" + dump(item_header) + "\n" + payload;
}

SentryReporter::SentryReporter(std::optional<SentryDsn> dsn, Duration timeout,
                               std::size_t queue_max)
    : dsn_(std::move(dsn)), timeout_(timeout), queue_max_(queue_max) {
  if (dsn_) thread_ = std::thread([this] { run(); });
}

SentryReporter::~SentryReporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SentryReporter::capture(SentryEvent event) {
  if (!enabled()) return;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= queue_max_) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(event));
  }
  wake_.notify_one();
}

std::uint64_t SentryReporter::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

std::uint64_t SentryReporter::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::uint64_t SentryReporter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::string SentryReporter::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

bool SentryReporter::flush(Duration timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, std::min(timeout, kFlushWaitMax),
                        [this] { return queue_.empty() && !in_flight_; });
}

void SentryReporter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued has been sent
    const SentryEvent event = std::move(queue_.front());
    queue_.pop_front();
    in_flight_ = true;
    lock.unlock();
    const bool delivered = post(event);
    lock.lock();
    in_flight_ = false;
    ++(delivered ? sent_ : failed_);
    if (queue_.empty()) idle_.notify_all();
  }
}

bool SentryReporter::post(const SentryEvent& event) {
  const SentryDsn& dsn = *dsn_;
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = HttpUrl{dsn.host, dsn.port, fmt::format("/api/{}/envelope/", dsn.project_id)};
  exchange.headers = {
      {"X-Sentry-Auth", fmt::format("Sentry sentry_version=7, sentry_key={}, sentry_client={}",
                                    dsn.public_key, kClient)},
      {"Content-Type", "application/x-sentry-envelope"}};
  exchange.body = sentry_envelope(event, dsn);
  exchange.timeout = timeout_;
  const auto reply = http_exchange(exchange);
  std::string why;
  if (!reply) {
    why = reply.error().message;
  } else if (reply->status < 200 || reply->status > 299) {
    why = fmt::format("Sentry answered {}: {}", reply->status, reply->body.substr(0, 200));
  }
  if (why.empty()) return true;
  std::lock_guard lock(mutex_);
  last_error_ = std::move(why);
  return false;
}

}  // namespace mepsim::web
