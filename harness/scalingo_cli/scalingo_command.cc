#include "harness/scalingo_cli/scalingo_command.h"

#include <signal.h>

#include <string_view>

#include "harness/scalingo_cli/app_commands.h"
#include "harness/scalingo_cli/container_commands.h"
#include "harness/scalingo_cli/deployment_commands.h"
#include "harness/scalingo_cli/env_commands.h"
#include "harness/scalingo_cli/run_command.h"
#include "harness/scalingo_cli/scalingo_config.h"

namespace mepsim {
namespace {

using namespace scalingo_cli;

// Commands that act on one app (all but `apps`).
bool needs_app(std::string_view command) {
  return command != "apps";
}

CLI::App* add_positionals(CLI::App* command, ScalingoOptions& options, const char* name,
                          const char* description, bool required) {
  auto* positional = command->add_option(name, options.arguments, description);
  if (required) positional->required();
  return command;
}

// main() blocks SIGINT and SIGTERM for `mepsim up`'s orderly shutdown; a CLI command that
// waits on a deployment or a one-off must die on Ctrl-C like the real one.
void restore_default_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

int dispatch(const std::string& command, CommandContext& context, const ScalingoOptions& options) {
  if (command == "env") return run_env(context);
  if (command == "env-set") return run_env_set(context, options.arguments);
  if (command == "env-unset") return run_env_unset(context, options.arguments);
  if (command == "restart") return run_restart(context, options.arguments, options.synchronous);
  if (command == "scale") return run_scale(context, options.arguments, options.synchronous);
  if (command == "ps") return run_ps(context);
  if (command == "run") {
    return run_one_off(context,
                       RunOptions{options.arguments, options.env, options.size, options.detached});
  }
  if (command == "deployments") {
    return run_deployments(context, DeploymentsPage{options.page, options.per_page});
  }
  if (command == "deployment-follow") return run_deployment_follow(context);
  if (command == "apps") return run_apps(context);
  if (command == "review-apps") return run_review_apps(context);
  if (command == "integration-link") return run_integration_link(context);
  return context.usage("unknown command '" + command + "'");
}

}  // namespace

CLI::App* add_scalingo_command(CLI::App& app, ScalingoOptions& options) {
  auto* scalingo = app.add_subcommand(
      "scalingo",
      "Run Scalingo CLI commands (scalingo -a APP env-set K=V, run, restart, scale, ps, "
      "deployments…) against the Scalingo API at SCALINGO_API_URL, authenticated by "
      "SCALINGO_API_TOKEN at SCALINGO_AUTH_URL");
  scalingo->add_option("-a,--app", options.app, "Name of the app (default: $SCALINGO_APP)");
  scalingo->add_option("--region", options.region,
                       "Region shown in messages (default: $SCALINGO_REGION or osc-fr1)");
  scalingo->require_subcommand(1, 1);
  // Inherited by the commands below: `scalingo env -a APP` works as the real CLI's does.
  scalingo->fallthrough();
  scalingo->footer(
      "Environment: SCALINGO_API_URL, SCALINGO_AUTH_URL, SCALINGO_API_TOKEN (required), "
      "SCALINGO_APP, SCALINGO_REGION.");

  scalingo->add_subcommand("env", "Display the environment of your apps");
  add_positionals(scalingo->add_subcommand("env-set", "Set the environment variables of your apps"),
                  options, "assignments", "VAR=VALUE…", true);
  add_positionals(scalingo->add_subcommand("env-unset", "Unset environment variables of your apps"),
                  options, "names", "VAR…", true);
  auto* restart =
      add_positionals(scalingo->add_subcommand("restart", "Restart processes of your app"), options,
                      "scope", "Container types or containers to restart (default: all)", false);
  restart->add_flag("-s,--synchronous", options.synchronous, "Do the restart synchronously");
  auto* scale =
      add_positionals(scalingo->add_subcommand("scale", "Scale your application instantly"),
                      options, "targets", "TYPE:AMOUNT[:SIZE], TYPE:+N, TYPE:-N…", true);
  scale->add_flag("-s,--synchronous", options.synchronous, "Do the scaling synchronously");
  scalingo->add_subcommand("ps", "Display your application containers");

  auto* run = scalingo->add_subcommand("run", "Run any command for your app");
  // No fallthrough: CLI11 would hand the command's words to `scalingo` before stopping at
  // the first one; run takes -a itself instead, as the real CLI's does.
  run->fallthrough(false);
  run->add_option("-a,--app", options.app, "Name of the app (default: $SCALINGO_APP)");
  run->add_flag("-d,--detached", options.detached, "Run a detached container");
  // One value per -e, repeatable: `-e A=1 php …` must leave `php …` to the command.
  run->add_option("-e,--env", options.env, "Environment variables (VARIABLE=value)")
      ->allow_extra_args(false);
  run->add_option("-s,--size", options.size, "Size of the container")->capture_default_str();
  // Everything from the command's first word on is the command, dashes included:
  // `run php bin/console app:x --no-interaction`.
  run->prefix_command();

  auto* deployments = scalingo->add_subcommand("deployments", "List app deployments");
  deployments->add_option("--page", options.page, "Page to display")->capture_default_str();
  deployments->add_option("--per-page", options.per_page, "Number of deployments to display")
      ->capture_default_str();
  scalingo->add_subcommand("deployment-follow",
                           "Follow the running (or next) deployment until it ends");
  scalingo->add_subcommand("apps", "List your apps");
  scalingo->add_subcommand("review-apps", "Show review apps of the parent application");
  scalingo->add_subcommand("integration-link", "Show integration link of your app");
  return scalingo;
}

int run_scalingo(const CLI::App& scalingo, const ScalingoOptions& options) {
  restore_default_signals();
  Console console;
  const auto subcommands = scalingo.get_subcommands();
  if (subcommands.empty()) return kExitUsage;  // CLI11 requires one; kept for safety
  const CLI::App& parsed = *subcommands.front();
  const std::string command = parsed.get_name();

  auto config = scalingo_config_from_env(process_env);
  if (!config) {
    console.error(config.error().message);
    return kExitUsage;
  }
  std::string app = options.app.empty() ? config->app : options.app;
  if (app.empty() && needs_app(command)) {
    console.error("Unable to find the application name, please use --app flag.");
    return kExitUsage;
  }
  ScalingoOptions effective = options;
  if (command == "run") effective.arguments = parsed.remaining();
  ApiClient api(config.value());
  RealClock clock;
  CommandContext context{api, console, clock, app,
                         options.region.empty() ? config->region : options.region};
  return dispatch(command, context, effective);
}

std::vector<const char*> busybox_arguments(int argc, char** argv) {
  std::vector<const char*> arguments(argv, argv + argc);
  if (argc < 1 || argv[0] == nullptr) return arguments;
  std::string_view program = argv[0];
  if (const auto slash = program.rfind('/'); slash != std::string_view::npos) {
    program.remove_prefix(slash + 1);
  }
  if (program == "scalingo") arguments.insert(arguments.begin() + 1, "scalingo");
  return arguments;
}

}  // namespace mepsim
