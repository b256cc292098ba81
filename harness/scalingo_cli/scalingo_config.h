#pragma once
// Where `mepsim scalingo` sends its requests and with which token, read from the same
// environment variables as the real `scalingo` CLI. Unlike the real CLI there are no
// defaults: a rehearsal must never reach the real Scalingo because a variable was unset.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "harness/scalingo_cli/http_url.h"
#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

struct ScalingoConfig {
  HttpUrl api_url;        // SCALINGO_API_URL, e.g. http://127.0.0.1:40001
  HttpUrl auth_url;       // SCALINGO_AUTH_URL
  std::string api_token;  // SCALINGO_API_TOKEN: a secret, never printed
  std::string region;     // SCALINGO_REGION (default osc-fr1): only shown in messages
  std::string app;        // SCALINGO_APP: the app when -a/--app is not given
};

// Reads one environment variable; nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment.
std::optional<std::string> process_env(std::string_view name);

// invalid_input errors name the variable that is missing or malformed (exit code 2).
Result<ScalingoConfig> scalingo_config_from_env(const EnvLookup& env);

}  // namespace mepsim::scalingo_cli
