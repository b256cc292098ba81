#include "harness/topology/app_database.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mepsim {
namespace {

// A fresh schema and the fixtures take a few seconds; a sanitizer build several times that.
constexpr auto kConsoleTimeout = std::chrono::seconds(120);

Result<void> run_console(platform::ContainerRuntime& runtime, const platform::ContainerSpec& spec,
                         std::vector<std::string> command) {
  const std::string shown = fmt::format("mepsim-web console {}", fmt::join(command, " "));
  command.insert(command.begin(), "console");
  auto outcome = runtime.run_task(spec, std::move(command), kConsoleTimeout);
  if (!outcome) {
    return outcome.error().context(
        fmt::format("preparing the database of {}: `{}`", spec.app_name, shown));
  }
  if (outcome->exit_code != 0) {
    std::string output = outcome->output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return make_error(ErrorCode::internal,
                      fmt::format("preparing the database of {}: `{}` exited with code {}:\n{}",
                                  spec.app_name, shown, outcome->exit_code, output));
  }
  return {};
}

}  // namespace

std::string draw_fixture_password(Rng& rng) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string password;
  for (int i = 0; i < 20; ++i) {
    password += kAlphabet[static_cast<std::size_t>(
        rng.uniform_int(0, static_cast<std::int64_t>(kAlphabet.size()) - 1))];
  }
  return password;
}

Result<void> prepare_app_database(platform::ContainerRuntime& runtime,
                                  const platform::AppProfile& app,
                                  const platform::ReleaseManifest& release,
                                  const std::string& fixture_password) {
  platform::ContainerSpec spec{app.name,        "console-1", "one-off",
                               release.version, release,     app.variables};
  spec.env["CONTAINER"] = spec.label;
  spec.env["APP_VERSION"] = release.version;
  if (auto migrated =
          run_console(runtime, spec, {"doctrine:migrations:migrate", "--no-interaction"});
      !migrated) {
    return migrated.error();
  }
  spec.env["MEPSIM_FIXTURE_PASSWORD"] = fixture_password;
  return run_console(runtime, spec, {"doctrine:fixtures:load", "--no-interaction"});
}

}  // namespace mepsim
