#pragma once
// `scalingo env`, `env-set` and `env-unset` (the real CLI's env/display.go, env/edit.go).
// Changing variables does not restart the app: both change commands end with the real
// CLI's reminder to restart.

#include <string>
#include <vector>

#include "harness/scalingo_cli/command_context.h"

namespace mepsim::scalingo_cli {

// `NAME=value` lines, in the API's order.
int run_env(CommandContext& context);
// One bulk PUT /variables of every assignment, checked all first.
int run_env_set(CommandContext& context, const std::vector<std::string>& assignments);
// Looks the names up, then one bulk DELETE /variables of their ids; an unknown name fails
// before anything is deleted.
int run_env_unset(CommandContext& context, const std::vector<std::string>& names);

}  // namespace mepsim::scalingo_cli
