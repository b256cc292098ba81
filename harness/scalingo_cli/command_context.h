#pragma once
// What every `mepsim scalingo` command works with: the API client, the console, the clock
// its polling waits on, and the app it acts on.

#include <string>

#include "harness/scalingo_cli/api_client.h"
#include "harness/scalingo_cli/console.h"
#include "harness/scalingo_cli/http_url.h"
#include "sim/core/clock.h"

namespace mepsim::scalingo_cli {

struct CommandContext {
  ApiClient& api;
  Console& console;
  Clock& clock;
  std::string app;     // "" for commands that take none (`apps`)
  std::string region;  // only shown in messages

  // "/apps/<app>" + rest, the app name encoded for a path.
  std::string app_path(const std::string& rest = "") const {
    return "/apps/" + percent_encode(app) + rest;
  }
  // Prints the error the real CLI's way and gives the exit code of an API failure.
  int fail(const Error& error) {
    console.error(error.message);
    return kExitFailure;
  }
  // The same for the user's own input (exit code 2).
  int usage(const std::string& message) {
    console.error(message);
    return kExitUsage;
  }
};

}  // namespace mepsim::scalingo_cli
