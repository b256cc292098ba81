#include "harness/scalingo_cli/operation_waiter.h"

#include "harness/scalingo_cli/api_time.h"
#include "harness/scalingo_cli/json_fields.h"

namespace mepsim::scalingo_cli {

Result<FinishedOperation> wait_for_operation(ApiClient& api, Clock& clock,
                                             const std::string& location,
                                             OperationPolling polling) {
  std::string last_status = "unknown";
  for (int poll = 0; poll < polling.polls_max; ++poll) {
    if (poll > 0) clock.sleep(polling.interval);
    auto response = api.call(ApiRequest{HttpMethod::get, location, {}, Credentials::bearer, {}});
    if (!response) return response.error().context("following the operation at " + location);
    auto body = decode_json(response.value(), "the operation at " + location);
    if (!body) return body.error();
    const nlohmann::json& operation = member(body.value(), "operation");
    last_status = string_field(operation, "status");
    if (last_status != "done" && last_status != "error") continue;
    FinishedOperation finished;
    finished.id = string_field(operation, "id");
    finished.type = string_field(operation, "type");
    finished.status = last_status;
    finished.error = string_field(operation, "error");
    finished.elapsed_s = elapsed_seconds(string_field(operation, "created_at"),
                                         string_field(operation, "finished_at"));
    finished.operation = operation;
    return finished;
  }
  return make_error(ErrorCode::timeout, "the operation at " + location + " is still '" +
                                            last_status + "' after " +
                                            std::to_string(polling.polls_max) + " polls");
}

}  // namespace mepsim::scalingo_cli
