#include "harness/cli/shell_command.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/cli/ci_command.h"
#include "harness/cli/cli_output.h"
#include "harness/cli/exit_code.h"
#include "harness/profile/default_profile.h"
#include "harness/rehearsal/attached_shell.h"
#include "harness/rehearsal/rehearsal_monitor.h"
#include "harness/rehearsal/report_files.h"
#include "harness/rehearsal/shell_setup.h"
#include "harness/rehearsal/working_clone.h"
#include "sim/net/http_client.h"
#include "sim/platform/platform_profile.h"

namespace mepsim {

using cli::say;
namespace {

namespace fs = std::filesystem;

// The topology the shell works on: one already running behind the env file, or its own.
struct Target {
  EnvEntries env;
  std::unique_ptr<UpSession> own;  // null when attached
};

std::string value_of(const EnvEntries& env, const std::string& key) {
  for (const auto& [k, v] : env) {
    if (k == key) return v;
  }
  return {};
}

// The env file's variables when its admin API answers; nullopt when there is none to use.
std::optional<EnvEntries> running_topology(const fs::path& env_file) {
  if (!fs::exists(env_file)) return std::nullopt;
  auto entries = ci_cli::read_env_file(env_file);
  if (!entries) return std::nullopt;
  const auto admin = entries->find("MEPSIM_ADMIN_URL");
  if (admin == entries->end()) return std::nullopt;
  auto url = parse_http_url(admin->second + "/fakes");
  if (!url) return std::nullopt;
  HttpExchange probe;
  probe.url = url.value();
  probe.timeout = std::chrono::seconds(1);
  auto reply = http_exchange(probe);
  if (!reply || reply->status != 200) return std::nullopt;
  return EnvEntries(entries->begin(), entries->end());
}

Result<Target> attach_or_start(const ShellOptions& options) {
  Target target;
  if (auto env = running_topology(options.up.env_file)) {
    say("attached to the running topology of {} (its own flags stand)", options.up.env_file);
    target.env = std::move(*env);
    return target;
  }
  auto session = UpSession::start(options.up);
  if (!session) return session.error();
  target.own = std::move(session.value());
  target.env = target.own->env();
  return target;
}

Result<platform::PlatformProfile> read_profile(const std::optional<std::string>& path) {
  if (!path) {
    return platform::parse_platform_profile(std::string(default_profile_yaml()),
                                            std::string(kDefaultProfileName));
  }
  std::ifstream in(*path);
  if (!in) return make_error(ErrorCode::invalid_input, "--profile: cannot read " + *path);
  std::stringstream text;
  text << in.rdbuf();
  return platform::parse_platform_profile(text.str(), *path);
}

// The folder given (made if missing), or a fresh one under $TMPDIR that outlives the shell.
Result<fs::path> make_workdir(const std::optional<std::string>& given) {
  std::error_code ec;
  if (given) {
    fs::create_directories(*given, ec);
    if (ec)
      return make_error(ErrorCode::invalid_input, "--workdir " + *given + ": " + ec.message());
    return fs::absolute(*given);
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/mepsim-shell-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return make_error(ErrorCode::internal, "cannot make a folder " + pattern);
  }
  return fs::path(pattern);
}

void print_banner(const platform::PlatformProfile& profile, const fs::path& clone_dir,
                  const fs::path& workdir) {
  const std::string production_branch = "main";
  const std::string staging_branch = "develop";
  std::string production = "histologe";
  for (const auto& app : profile.apps) {
    if (app.scm_link && app.scm_link->branch == production_branch) production = app.name;
  }
  say("shell in {}: a clone of GIT_ORIGIN_URL, `origin` is the local git origin",
      clone_dir.string());
  say("the env file's variables are exported; `scalingo` and `mepsim` are this build's");
  say("the procedure, literally:");
  fmt::print(
      "    git checkout {1} && git pull origin {1}\n"
      "    git checkout {2} && git pull origin {2}\n"
      "    git merge {1}\n"
      "    git push origin {2}\n"
      "    scalingo -a {0} deployments\n"
      "    scalingo -a {0} env-set MAINTENANCE_ENABLE=1 && scalingo -a {0} restart -s\n"
      "    scalingo -a {0} run php bin/console app:<command>\n"
      "    mepsim rehearsal report    # the violations so far (JSON and HTML in .mepsim/)\n",
      production, staging_branch, production_branch);
  say("leave the shell (exit) to write the rehearsal report in {}", workdir.string());
}

// Fetched from the topology it attached to, or taken from its own monitor.
int write_report(Target& target, const fs::path& workdir) {
  const ReportPaths paths{workdir / "rehearsal-report.json", workdir / "rehearsal-report.html"};
  auto document = target.own ? Result<nlohmann::json>(target.own->monitor().report_json())
                             : fetch_rehearsal_report(value_of(target.env, "MEPSIM_ADMIN_URL"));
  if (!document) {
    fmt::print(stderr, "mepsim: error: no rehearsal report: {}\n", document.error().message);
    return exit_code::failure;
  }
  auto written = write_rehearsal_report(document.value(), paths);
  if (!written) {
    fmt::print(stderr, "mepsim: error: {}\n", written.error().message);
    return exit_code::failure;
  }
  print_rehearsal_summary(stdout, written.value(), paths);
  return exit_code::ok;
}

// The clone, the shell, then the report; a topology of its own is stopped last.
int run_in_clone(const ShellOptions& options, const platform::PlatformProfile& profile,
                 const fs::path& mepsim_dir, const fs::path& workdir, Target& target) {
  const std::string origin = value_of(target.env, "GIT_ORIGIN_URL");
  if (origin.empty()) {
    fmt::print(stderr, "mepsim: error: the env file has no GIT_ORIGIN_URL: nothing to clone\n");
    return exit_code::bad_input;
  }
  const fs::path clone_dir = workdir / profile.repository->name;
  std::vector<std::string> branches;
  for (const auto& app : profile.apps) {
    if (app.scm_link) branches.push_back(app.scm_link->branch);
  }
  auto cloned =
      make_working_clone({origin, value_of(target.env, "GITHUB_TOKEN"), clone_dir, branches});
  if (!cloned) {
    fmt::print(stderr, "mepsim: error: the working clone: {}\n", cloned.error().message);
    return exit_code_for(cloned.error());
  }
  const char* user_shell = std::getenv("SHELL");
  const ShellSetup setup{
      target.env,     profile.user,
      mepsim_dir,     clone_dir,
      workdir,        user_shell != nullptr && *user_shell != '\0' ? user_shell : "/bin/bash",
      options.command};
  auto shell = prepare_shell(setup);
  if (!shell) {
    fmt::print(stderr, "mepsim: error: {}\n", shell.error().message);
    return exit_code_for(shell.error());
  }
  if (options.command) {
    say("shell in {}: {}", clone_dir.string(), *options.command);
  } else {
    print_banner(profile, clone_dir, workdir);
  }
  auto ended = run_attached(shell.value());
  int code = exit_code::ok;
  if (!ended) {
    fmt::print(stderr, "mepsim: error: {}\n", ended.error().message);
    code = exit_code::failure;
  } else if (options.command && ended.value() != 0) {
    say("the command exited {}", ended.value());
    code = exit_code::failure;
  }
  if (const int reported = write_report(target, workdir); reported != exit_code::ok)
    code = reported;
  if (target.own) target.own->stop();
  return code;
}

}  // namespace

CLI::App* add_shell_command(CLI::App& app, ShellOptions& options) {
  auto* shell = app.add_subcommand(
      "shell",
      "Rehearse by hand: a shell in a working clone of the git origin, on the running "
      "topology (or one it stands up as `mepsim up` does), with the env file loaded and the "
      "procedure's rules watched; leaving it writes the rehearsal report");
  add_up_flags(*shell, options.up);
  shell->add_option("--workdir", options.workdir,
                    "Where to clone and write the report (default: a fresh folder under "
                    "$TMPDIR, kept and printed)");
  shell->add_option("--command", options.command,
                    "Run `$SHELL -c COMMAND` instead of an interactive shell");
  return shell;
}

int run_shell(const ShellOptions& options) {
  auto profile = read_profile(options.up.topology.profile_path);
  auto folder = mepsim_folder();
  auto workdir = make_workdir(options.workdir);
  for (const Error* error :
       {profile ? nullptr : &profile.error(), folder ? nullptr : &folder.error(),
        workdir ? nullptr : &workdir.error()}) {
    if (error == nullptr) continue;
    fmt::print(stderr, "mepsim: error: {}\n", error->message);
    return exit_code_for(*error);
  }
  if (!profile->repository) {
    fmt::print(stderr, "mepsim: error: the profile has no repository: nothing to clone\n");
    return exit_code::bad_input;
  }
  say("workdir {}", workdir->string());
  auto target = attach_or_start(options);
  if (!target) {
    fmt::print(stderr, "mepsim: error: {}\n", target.error().message);
    return exit_code_for(target.error());
  }
  return run_in_clone(options, *profile, *folder, *workdir, *target);
}

}  // namespace mepsim
