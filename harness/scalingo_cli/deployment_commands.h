#pragma once
// `scalingo deployments` and `deployment-follow` (the real CLI's deployments/list.go and
// deployments/follow.go). The real `deployment-follow` reads a websocket and never ends;
// this one polls the API once a second: it follows the newest deployment if it is still
// running, else waits for the next one, prints its new output lines as "[LOG] …" and its
// status changes as "[STATUS] …", and ends with it: exit 0 on success, 1 on any error
// status (build-error, hook-error, crashed-error, timeout-error, aborted).

#include "harness/scalingo_cli/command_context.h"

namespace mepsim::scalingo_cli {

struct DeploymentsPage {
  int page = 1;
  int per_page = 20;
};

// ID, Date, Duration, User, Git Ref, Status; "Page: N, Last Page: M" on stderr.
int run_deployments(CommandContext& context, DeploymentsPage page);

struct FollowPolling {
  Duration interval = std::chrono::seconds(1);
  int start_polls_max = 1800;   // waiting for a deployment to start: 30 minutes
  int follow_polls_max = 7200;  // one deployment from queued to its end: 2 hours
};

int run_deployment_follow(CommandContext& context, FollowPolling polling = {});

// Whether a status is final (Go's IsFinishedString): anything but queued, building,
// pushing, starting.
bool is_finished_status(const std::string& status);

}  // namespace mepsim::scalingo_cli
