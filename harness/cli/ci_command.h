#pragma once
// `mepsim ci --branch B --result failure|success|default`: the result of the next CI runs
// on a branch of the GitHub fake (its admin route `PUT /_mepsim/ci/branches/{branch}`),
// so that a rehearsal can make `develop` red before a push. Like `mepsim scalingo`, it
// reads where to go from the environment (GITHUB_API_URL, GITHUB_TOKEN), or from the env
// file `mepsim up` wrote when `--env-file` is given; it never falls back to github.com.
//
// Exit codes: 0 done, 2 bad input (nothing sent), 1 the fake refused or did not answer.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/result.h"
#include "sim/net/http_client.h"

namespace mepsim {

struct CiOptions {
  std::string branch;
  std::string result;                   // "success", "failure" or "default"
  std::optional<std::string> env_file;  // read GITHUB_API_URL/GITHUB_TOKEN from it
};

CLI::App* add_ci_command(CLI::App& app, CiOptions& options);
int run_ci(const CiOptions& options);

namespace ci_cli {

// Reads one variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct GithubTarget {
  HttpUrl api_url;    // GITHUB_API_URL
  std::string token;  // GITHUB_TOKEN: a secret, never printed
};

// invalid_input naming the variable that is missing or malformed.
Result<GithubTarget> github_target(const EnvLookup& env);

// KEY=value lines as `mepsim up` writes them (values bare or in single quotes, '\'' for a
// quote); blank lines and # comments skipped. invalid_input names `path:line`.
Result<std::map<std::string, std::string>> read_env_file(const std::filesystem::path& path);

// A branch name git accepts (git check-ref-format's rules, the common part).
bool is_branch_name(std::string_view name);

// Checks the options, then sends the request; what it prints goes to `out`/`err`.
int run_ci_with(const CiOptions& options, const EnvLookup& env, std::FILE* out, std::FILE* err);

}  // namespace ci_cli
}  // namespace mepsim
