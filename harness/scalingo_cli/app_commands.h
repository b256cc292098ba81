#pragma once
// `scalingo apps`, `review-apps` and `integration-link` (the real CLI's apps/list.go with
// its table renderer, reviewapps/show.go, integrationlink/show.go).

#include "harness/scalingo_cli/command_context.h"

namespace mepsim::scalingo_cli {

// Name, Role, Status, Project. Role is "owner" when the token's user (GET
// {SCALINGO_AUTH_URL}/v1/users/self) owns the app, else "collaborator"; "n/a" when the
// auth server cannot say (the real CLI fails there).
int run_apps(CommandContext& context);
// App, PR, PR Branch, Created At, Status, URL of the app's review apps.
int run_review_apps(CommandContext& context);
// The app's SCM link settings, as the real CLI's template lays them out (no colours).
int run_integration_link(CommandContext& context);

}  // namespace mepsim::scalingo_cli
