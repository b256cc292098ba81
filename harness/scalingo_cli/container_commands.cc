#include "harness/scalingo_cli/container_commands.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/api_time.h"
#include "harness/scalingo_cli/arguments.h"
#include "harness/scalingo_cli/json_fields.h"
#include "harness/scalingo_cli/operation_waiter.h"
#include "harness/scalingo_cli/table.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

// The real CLI prints "Status:  " on stderr, spins, then "Done in N seconds" on stdout.
int follow_operation(CommandContext& context, const ApiResponse& accepted,
                     const std::string& done_message) {
  if (accepted.location.empty()) {
    return context.fail(make_error(ErrorCode::unavailable,
                                   "the API accepted the request without a Location header: "
                                   "there is no operation to follow"));
  }
  context.console.print_err("Status:  ");
  auto finished =
      wait_for_operation(context.api, context.clock, context.api.resolve(accepted.location));
  if (!finished) {
    context.console.print_err("\n");
    return context.fail(finished.error());
  }
  if (finished->status == "error") {
    context.console.print("Operation '{}' failed, an error occurred: {}\n", finished->type,
                          finished->error);
    return context.fail(make_error(ErrorCode::unavailable,
                                   "operation failed: operation " + finished->id + " failed"));
  }
  if (finished->elapsed_s) {
    context.console.print("Done in {:.3f} seconds\n", *finished->elapsed_s);
  } else {
    context.console.print("Done\n");
  }
  context.console.print("{}\n", done_message);
  return kExitOk;
}

// TYPE:+N and TYPE:-N are relative to the current formation, read only when needed.
Result<json> resolve_amounts(CommandContext& context, const std::vector<ScaleTarget>& targets) {
  json formation = json::array();
  const bool relative = std::any_of(targets.begin(), targets.end(), [](const ScaleTarget& t) {
    return t.change != ScaleChange::set;
  });
  if (relative) {
    auto body = context.api.call_json(HttpMethod::get, context.app_path("/containers"));
    if (!body) return body.error().context("fail to get list of running containers");
    formation = array_field(body.value(), "containers");
  }
  json containers = json::array();
  for (const auto& target : targets) {
    std::int64_t amount = target.amount;
    if (target.change != ScaleChange::set) {
      // As the real CLI: a type missing from the formation counts from 0.
      std::int64_t current = 0;
      for (const auto& type : formation) {
        if (string_field(type, "name") == target.type)
          current = int_field(type, "amount").value_or(0);
      }
      amount =
          target.change == ScaleChange::add ? current + target.amount : current - target.amount;
    }
    json container = {{"name", target.type}, {"amount", amount}};
    // The real CLI sends "size":"" to keep the size; leaving it out says the same.
    if (!target.size.empty()) container["size"] = target.size;
    containers.push_back(std::move(container));
  }
  return containers;
}

}  // namespace

int run_restart(CommandContext& context, const std::vector<std::string>& scope, bool synchronous) {
  // The real CLI sends "scope":null for everything; an empty list says the same to the API.
  const json body = {{"scope", scope}};
  auto accepted = context.api.call(ApiRequest{HttpMethod::post,
                                              context.api.api_url(context.app_path("/restart")),
                                              body,
                                              Credentials::bearer,
                                              {}});
  if (!accepted) return context.fail(accepted.error());
  if (!synchronous) {
    context.console.print("Your application is being restarted.\n");
    return kExitOk;
  }
  return follow_operation(context, accepted.value(), "Your application has been restarted.");
}

int run_scale(CommandContext& context, const std::vector<std::string>& arguments,
              bool synchronous) {
  auto targets = parse_scale_targets(arguments);
  if (!targets) return context.usage(targets.error().message);
  auto containers = resolve_amounts(context, targets.value());
  if (!containers) return context.fail(containers.error());
  auto accepted = context.api.call(ApiRequest{HttpMethod::post,
                                              context.api.api_url(context.app_path("/scale")),
                                              json{{"containers", containers.value()}},
                                              Credentials::bearer,
                                              {}});
  if (!accepted) return context.fail(accepted.error());
  auto body = decode_json(accepted.value(), "POST " + context.app_path("/scale"));
  if (!body) return context.fail(body.error());
  context.console.print("Your application is being scaled to:\n");
  for (const auto& type : array_field(body.value(), "containers")) {
    context.console.print("  {}: {} - {}\n", string_field(type, "name"),
                          int_field(type, "amount").value_or(0), string_field(type, "size"));
  }
  if (!synchronous) return kExitOk;
  // 200 instead of 202: the app had never been deployed, the formation is just recorded.
  if (accepted->status == 200 && accepted->location.empty()) {
    context.console.print("Your application has been scaled.\n");
    return kExitOk;
  }
  return follow_operation(context, accepted.value(), "Your application has been scaled.");
}

int run_ps(CommandContext& context) {
  auto body = context.api.call_json(HttpMethod::get, context.app_path("/ps"));
  if (!body) return context.fail(body.error());
  std::vector<TableRow> rows;
  for (const auto& container : array_field(body.value(), "containers")) {
    std::string name = string_field(container, "label");
    if (name.empty()) {
      name = string_field(container, "type") + "-" +
             std::to_string(int_field(container, "type_index").value_or(0));
    }
    const json& size = member(container, "container_size");
    std::string size_name = string_field(size, "human_name");
    if (size_name.empty()) size_name = string_field(size, "name");
    if (size_name.empty()) size_name = string_field(container, "size");
    rows.push_back({name, string_field(container, "state"), string_field(container, "command"),
                    size_name, format_cli_time(string_field(container, "created_at"))});
  }
  context.console.print("{}",
                        render_table({"Name", "Status", "Command", "Size", "Created At"}, rows));
  return kExitOk;
}

}  // namespace mepsim::scalingo_cli
