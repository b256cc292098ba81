#include "sim/web/web_config.h"

#include <charconv>
#include <cstdlib>

extern char** environ;  // NOLINT: POSIX

namespace mepsim::web {
namespace {

std::string value_of(const Environment& env, const std::string& name, std::string fallback = "") {
  const auto found = env.find(name);
  return found == env.end() ? fallback : found->second;
}

Result<bool> read_flag(const Environment& env, const std::string& name) {
  const std::string value = value_of(env, name, "0");
  if (value == "1" || value == "true") return true;
  if (value == "0" || value == "false" || value.empty()) return false;
  return make_error(ErrorCode::invalid_input, name + ": \"" + value + "\" is not 0 or 1");
}

Result<long> read_number(const Environment& env, const std::string& name, long fallback, long lo,
                         long hi) {
  const auto found = env.find(name);
  if (found == env.end() || found->second.empty()) return fallback;
  const std::string& text = found->second;
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) {
    return make_error(ErrorCode::invalid_input, name + ": \"" + text + "\" is not a number in [" +
                                                    std::to_string(lo) + ", " + std::to_string(hi) +
                                                    "]");
  }
  return value;
}

Result<void> read_datastores(const Environment& env, bool required, WebConfig& config) {
  const std::string database = value_of(env, "DATABASE_URL");
  const std::string redis = value_of(env, "REDIS_URL");
  if (required && database.empty()) {
    return make_error(ErrorCode::invalid_input, "DATABASE_URL: not set");
  }
  if (required && redis.empty()) return make_error(ErrorCode::invalid_input, "REDIS_URL: not set");
  if (!database.empty()) {
    auto url = parse_mysql_url(database);
    if (!url) return url.error().context("DATABASE_URL");
    config.database = std::move(url.value());
  }
  if (!redis.empty()) {
    auto url = parse_redis_url(redis);
    if (!url) return url.error().context("REDIS_URL");
    config.redis = std::move(url.value());
  }
  return {};
}

Result<void> read_switches(const Environment& env, WebConfig& config) {
  for (auto [name, target] : {std::pair{"MAINTENANCE_ENABLE", &config.maintenance},
                              std::pair{"MAINTENANCE_BANNER_ENABLE", &config.banner}}) {
    auto flag = read_flag(env, name);
    if (!flag) return flag.error();
    *target = flag.value();
  }
  const std::string order = value_of(env, "MEPSIM_MAINTENANCE_LISTENER", "after_firewall");
  if (order == "after_firewall") {
    config.listener_order = ListenerOrder::after_firewall;
  } else if (order == "before_firewall") {
    config.listener_order = ListenerOrder::before_firewall;
  } else {
    return make_error(ErrorCode::invalid_input,
                      "MEPSIM_MAINTENANCE_LISTENER: \"" + order +
                          "\" is neither after_firewall nor before_firewall");
  }
  const std::string limits = value_of(env, "MEPSIM_RATE_LIMITS", "on");
  if (limits != "on" && limits != "off") {
    return make_error(ErrorCode::invalid_input,
                      "MEPSIM_RATE_LIMITS: \"" + limits + "\" is neither on nor off");
  }
  config.rate_limits = limits == "on";
  return {};
}

}  // namespace

Result<WebConfig> read_web_config(const Environment& env, bool datastores_required) {
  WebConfig config;
  auto port = read_number(env, "PORT", 0, 0, 65535);
  if (!port) return port.error();
  config.port = static_cast<std::uint16_t>(port.value());
  if (auto read = read_datastores(env, datastores_required, config); !read) return read.error();
  if (auto read = read_switches(env, config); !read) return read.error();

  const std::string release = value_of(env, "MEPSIM_RELEASE");
  if (!release.empty()) {
    auto manifest = platform::parse_release_manifest(release, "app.yaml");
    if (!manifest) return manifest.error().context("MEPSIM_RELEASE");
    config.release = std::move(manifest.value());
  }
  config.app_version = value_of(env, "APP_VERSION", config.release.version);
  if (config.app_version.empty()) config.app_version = "unknown";
  config.container = value_of(env, "CONTAINER", "");
  config.app_secret = value_of(env, "APP_SECRET");
  config.banner_message = value_of(env, "MAINTENANCE_BANNER_MESSAGE");
  config.sentry_dsn = value_of(env, "SENTRY_DSN");
  config.sentry_environment = value_of(env, "SENTRY_ENVIRONMENT", "production");
  config.mailer_dsn = value_of(env, "MAILER_DSN", "null://null");
  config.mailer_from = value_of(env, "MAILER_FROM", config.mailer_from);
  config.geocoding_url = value_of(env, "GEOCODING_API_URL");
  config.fixture_password = value_of(env, "MEPSIM_FIXTURE_PASSWORD");

  auto timeout_ms = read_number(env, "MEPSIM_THIRD_PARTY_TIMEOUT_MS", 2000, 1, 600'000);
  if (!timeout_ms) return timeout_ms.error();
  config.third_party_timeout = std::chrono::milliseconds(timeout_ms.value());
  auto threads = read_number(env, "MEPSIM_WEB_THREADS", 4, 1, 64);
  if (!threads) return threads.error();
  config.threads = static_cast<int>(threads.value());
  return config;
}

Environment process_environment() {
  Environment env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

}  // namespace mepsim::web
