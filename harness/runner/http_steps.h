#pragma once
// The steps that act as the app's users: `http` (one request as a user class, then its
// expectations) and `sessions` (a cohort logged in). Both go through the run's UserAgents
// (ctx.users), which log in, keep cookies and publish the exchanges (user_agents.h).

#include <string>
#include <vector>

#include "harness/runner/run_context.h"
#include "harness/runner/user_agents.h"
#include "harness/scenario/scenario.h"
#include "sim/net/http_client.h"

namespace mepsim::runner {

// Passes when every `expect` of the step holds; the message names what differed (status
// got vs expected, with the start of the body when the status is wrong).
StepOutcome run_http_step(const scenario::HttpStep& step, RunContext& ctx);

// Passes when all `count` sessions logged in: "5 of 5 partner sessions logged in".
StepOutcome run_sessions_step(const scenario::SessionsStep& step, RunContext& ctx);

// ---- apart for tests ---------------------------------------------------------------------

// What differs between the answer and the expectation, one line each; empty when it holds.
std::vector<std::string> http_mismatches(const scenario::HttpExpect& expect,
                                         const HttpReply& reply);
// The step's request: method, target, Content-Type and body (form urlencoded or JSON),
// its headers after (a Content-Type of the step wins).
UserRequest user_request_of(const scenario::HttpStep& step);
// At most the first `bytes_max` bytes of a body, cut on a UTF-8 boundary, on one line.
std::string body_excerpt(const std::string& body, std::size_t bytes_max = 200);

}  // namespace mepsim::runner
