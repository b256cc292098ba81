#pragma once
// Following an operation the API started (restart, scale, a one-off's start) from the
// absolute URL of its 202's Location, until it is done or failed: the real CLI's
// apps/operation_waiter.go, which polls once a second.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/scalingo_cli/api_client.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

struct OperationPolling {
  Duration interval = std::chrono::seconds(1);
  // Bound of the wait: 30 minutes at one poll a second.
  int polls_max = 1800;
};

struct FinishedOperation {
  std::string id;
  std::string type;    // "restart", "scale", "start-one-off"…
  std::string status;  // "done" or "error"
  std::string error;   // why it failed
  std::optional<double> elapsed_s;
  nlohmann::json operation;  // the whole object, for type-specific data
};

// An Error when the operation cannot be read or is still pending after the bound; a
// FinishedOperation (done or error) otherwise.
Result<FinishedOperation> wait_for_operation(ApiClient& api, Clock& clock,
                                             const std::string& location,
                                             OperationPolling polling = {});

}  // namespace mepsim::scalingo_cli
