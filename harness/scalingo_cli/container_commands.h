#pragma once
// `scalingo restart`, `scale` and `ps` (the real CLI's apps/restart.go, apps/scale.go,
// apps/ps.go). Like the real CLI, restart and scale return once the API accepted them;
// with -s/--synchronous they follow the operation until it is done, and fail (exit 1)
// when it ends in error.

#include <string>
#include <vector>

#include "harness/scalingo_cli/command_context.h"

namespace mepsim::scalingo_cli {

// `scope`: container types ("web") or containers ("web-1"); empty restarts everything.
int run_restart(CommandContext& context, const std::vector<std::string>& scope, bool synchronous);
// `targets`: TYPE:N[:SIZE], TYPE:+N, TYPE:-N, all checked before the request.
int run_scale(CommandContext& context, const std::vector<std::string>& targets, bool synchronous);
// The app's containers: Name, Status, Command, Size, Created At.
int run_ps(CommandContext& context);

}  // namespace mepsim::scalingo_cli
