#include "harness/scalingo_cli/run_command.h"

#include <nlohmann/json.hpp>

#include "harness/scalingo_cli/api_error.h"
#include "harness/scalingo_cli/arguments.h"
#include "harness/scalingo_cli/json_fields.h"
#include "harness/scalingo_cli/operation_waiter.h"
#include "harness/scalingo_cli/scalingo_config.h"

namespace mepsim::scalingo_cli {
namespace {

using nlohmann::json;

// The longest a one-off may run attached: /wait answers only when the command ends.
constexpr std::chrono::seconds kAttachedRunMax{3600};
// What the real CLI exits with when the platform cuts an idle one-off (os.Exit(-127)).
constexpr int kExitIdleTimeout = 129;

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The real CLI adds TERM and CLIENT_OS to the one-off's environment, then the -e overrides.
Result<json> one_off_env(const std::vector<std::string>& overrides) {
  json env = json::object();
  if (auto term = process_env("TERM"); term && !term->empty()) env["TERM"] = *term;
  env["CLIENT_OS"] = "linux";
  for (const auto& item : overrides) {
    auto parsed = parse_run_env(item);
    if (!parsed) return parsed.error();
    env[parsed->name] = parsed->value;
  }
  return env;
}

// The attach URL: in the answer (what the brief's API and older CLIs read), or in the
// start-one-off operation's data (what the current CLI follows).
Result<std::string> attach_url(CommandContext& context, const ApiResponse& started,
                               const json& body) {
  std::string url = string_field(body, "attach_url");
  if (!url.empty()) return url;
  std::string operation_url = string_field(body, "operation_url");
  if (operation_url.empty()) operation_url = started.location;
  if (operation_url.empty()) {
    return make_error(ErrorCode::unavailable,
                      "the API started the one-off without an attach_url or an operation");
  }
  auto finished =
      wait_for_operation(context.api, context.clock, context.api.resolve(operation_url));
  if (!finished) return finished.error();
  if (finished->status == "error") {
    return make_error(ErrorCode::unavailable, "the one-off failed to start: " + finished->error);
  }
  url = string_field(member(finished->operation, "start_one_off_data"), "attach_url");
  if (url.empty()) return make_error(ErrorCode::unavailable, "the operation has no attach_url");
  return url;
}

Result<ApiResponse> attach_get(CommandContext& context, const std::string& url) {
  return context.api.send(
      ApiRequest{HttpMethod::get, url, {}, Credentials::basic_with_bearer, kAttachedRunMax});
}

int print_idle_timeout(CommandContext& context) {
  auto& c = context.console;
  c.print("\n  /!\\  Connection timed out due to inactivity, one-off aborted.\n");
  c.print("       Data should be sent to/from the container regularly to avoid such timeout\n\n");
  c.print("       If you need to run long background tasks, the '--detached' should be used\n");
  c.print("       In this case, output will be available in the main logs of your application:\n");
  c.print("         $ scalingo -a {} logs\n", context.app);
  return kExitIdleTimeout;
}

}  // namespace

int run_one_off(CommandContext& context, const RunOptions& options) {
  if (options.command.empty()) {
    return context.usage("nothing to run: give the command, e.g. 'scalingo --app " + context.app +
                         " run php bin/console app:my-command'");
  }
  auto env = one_off_env(options.env);
  if (!env) return context.usage(env.error().message);
  const std::string command = join(options.command);
  const json request = {{"command", command},
                        {"env", env.value()},
                        {"size", options.size},
                        {"detached", options.detached}};
  auto started = context.api.call(ApiRequest{HttpMethod::post,
                                             context.api.api_url(context.app_path("/run")),
                                             request,
                                             Credentials::bearer,
                                             {}});
  if (!started) return context.fail(started.error());
  auto body = decode_json(started.value(), "POST " + context.app_path("/run"));
  if (!body) return context.fail(body.error());
  const json& container = member(body.value(), "container");
  std::string label = string_field(container, "label");
  if (label.empty()) label = string_field(container, "id");

  if (options.detached) {
    context.console.print(
        "Starting one-off '{}' for app '{}'.\n"
        "Run `scalingo --region {} --app {} logs --filter {}` to get the output\n",
        command, context.app, context.region, context.app, label);
    return kExitOk;
  }
  auto url = attach_url(context, started.value(), body.value());
  if (!url) return context.fail(url.error());
  context.console.print_err("-----> Connecting to container [{}]...  \n", label);
  context.console.print_err("-----> Process '{}' is starting...  \n\n", command);

  auto waited = attach_get(context, context.api.resolve(url.value()) + "/wait");
  if (!waited) return context.fail(waited.error());
  if (waited->status == 408) return print_idle_timeout(context);
  if (waited->status < 200 || waited->status >= 300) {
    return context.fail(api_error(waited->status, waited->body));
  }
  auto exit = decode_json(waited.value(), "the one-off's /wait");
  if (!exit) return context.fail(exit.error());
  const auto exit_code = int_field(exit.value(), "exit_code");
  if (!exit_code) {
    return context.fail(make_error(ErrorCode::unavailable, "the one-off's /wait has no exit_code"));
  }
  auto output = attach_get(context, context.api.resolve(url.value()) + "/output");
  if (!output) return context.fail(output.error());
  if (output->status < 200 || output->status >= 300) {
    return context.fail(api_error(output->status, output->body));
  }
  context.console.print("{}", output->body);
  return static_cast<int>(*exit_code);
}

}  // namespace mepsim::scalingo_cli
