#include "harness/scalingo_cli/scalingo_config.h"

#include <cstdlib>

namespace mepsim::scalingo_cli {
namespace {

Result<std::string> required(const EnvLookup& env, std::string_view name, std::string_view hint) {
  auto value = env(name);
  if (!value || value->empty()) {
    return make_error(ErrorCode::invalid_input,
                      std::string(name) + " is not set: " + std::string(hint));
  }
  return std::move(*value);
}

Result<HttpUrl> required_url(const EnvLookup& env, std::string_view name) {
  auto text = required(env, name,
                       "set it to the Scalingo API stand-in's URL (mepsim never falls back to "
                       "the real Scalingo)");
  if (!text) return text.error();
  return parse_http_url(text.value(), name);
}

}  // namespace

std::optional<std::string> process_env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<ScalingoConfig> scalingo_config_from_env(const EnvLookup& env) {
  ScalingoConfig config;
  auto api = required_url(env, "SCALINGO_API_URL");
  if (!api) return api.error();
  config.api_url = std::move(api).value();
  auto auth = required_url(env, "SCALINGO_AUTH_URL");
  if (!auth) return auth.error();
  config.auth_url = std::move(auth).value();
  auto token = required(env, "SCALINGO_API_TOKEN",
                        "set it to an API token the Scalingo API stand-in accepts");
  if (!token) return token.error();
  config.api_token = std::move(token).value();
  config.region = env("SCALINGO_REGION").value_or("");
  if (config.region.empty()) config.region = "osc-fr1";
  config.app = env("SCALINGO_APP").value_or("");
  return config;
}

}  // namespace mepsim::scalingo_cli
