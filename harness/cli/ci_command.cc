#include "harness/cli/ci_command.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/cli/exit_code.h"

namespace mepsim {
namespace ci_cli {
namespace {

// An env-file line's value: bare, or single-quoted pieces with '\'' between them, as
// shell_quote writes them. nullopt when a quote is left open.
std::optional<std::string> unquote(std::string_view text) {
  std::string value;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\'') {
        quoted = false;
      } else {
        value.push_back(c);
      }
    } else if (c == '\'') {
      quoted = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      value.push_back(text[++i]);
    } else {
      value.push_back(c);
    }
  }
  if (quoted) return std::nullopt;
  return value;
}

std::optional<std::string> process_env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// " !     message", the CLI's error prefix, as `mepsim scalingo` prints them.
template <typename... Args>
void error_line(std::FILE* err, fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(err, " !     {}\n", fmt::format(format, std::forward<Args>(args)...));
  std::fflush(err);
}

// The reason a 4xx/5xx answer gives, in GitHub's {"message": …} shape when it has one.
std::string refusal_of(const HttpReply& reply) {
  auto body = nlohmann::json::parse(reply.body, nullptr, false);
  std::string reason;
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    reason = body["message"].get<std::string>();
    if (body.contains("errors") && !body["errors"].empty()) reason += ": " + body["errors"].dump();
  }
  return fmt::format("HTTP {}{}", reply.status, reason.empty() ? "" : " " + reason);
}

}  // namespace

Result<GithubTarget> github_target(const EnvLookup& env) {
  GithubTarget target;
  auto url = env("GITHUB_API_URL");
  if (!url || url->empty()) {
    return make_error(ErrorCode::invalid_input,
                      "GITHUB_API_URL is not set: set it to the GitHub fake's URL (mepsim never "
                      "falls back to github.com), or give --env-file");
  }
  auto parsed = parse_http_url(*url);
  if (!parsed) return parsed.error().context("GITHUB_API_URL");
  target.api_url = parsed.value();
  while (target.api_url.target.size() > 1 && target.api_url.target.back() == '/') {
    target.api_url.target.pop_back();
  }
  if (target.api_url.target == "/") target.api_url.target.clear();
  auto token = env("GITHUB_TOKEN");
  if (!token || token->empty()) {
    return make_error(ErrorCode::invalid_input,
                      "GITHUB_TOKEN is not set: set it to the token the GitHub fake accepts");
  }
  target.token = *token;
  return target;
}

Result<std::map<std::string, std::string>> read_env_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorCode::invalid_input, "--env-file: cannot read " + path.string());
  std::map<std::string, std::string> entries;
  std::string line;
  int number = 0;
  // Env files are a few dozen lines; past this the file is not one.
  constexpr int kLinesMax = 10'000;
  while (std::getline(in, line)) {
    if (++number > kLinesMax) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{}: more than {} lines", path.string(), kLinesMax));
    }
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto equal = line.find('=');
    if (equal == std::string::npos || equal == 0) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: not a KEY=value line", path.string(), number));
    }
    auto value = unquote(std::string_view(line).substr(equal + 1));
    if (!value) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: unterminated quote", path.string(), number));
    }
    entries[line.substr(0, equal)] = std::move(*value);
  }
  return entries;
}

bool is_branch_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '-' || name.front() == '/' ||
      name.back() == '/' || name.back() == '.' || name.ends_with(".lock") || name == "@" ||
      name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos ||
      name.find("@{") != std::string_view::npos) {
    return false;
  }
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

int run_ci_with(const CiOptions& options, const EnvLookup& env, std::FILE* out, std::FILE* err) {
  if (!is_branch_name(options.branch)) {
    error_line(err, "--branch: '{}' is not a branch name", options.branch);
    return exit_code::bad_input;
  }
  if (options.result != "success" && options.result != "failure" && options.result != "default") {
    error_line(err, "--result: '{}' is not one of success, failure, default", options.result);
    return exit_code::bad_input;
  }
  EnvLookup lookup = env;
  if (options.env_file) {
    auto entries = read_env_file(*options.env_file);
    if (!entries) {
      error_line(err, "{}", entries.error().message);
      return exit_code::bad_input;
    }
    // The file wins over the environment: it names the topology the user pointed at.
    lookup = [file = std::move(entries).value(), env](std::string_view name) {
      const auto found = file.find(std::string(name));
      return found != file.end() ? std::optional<std::string>(found->second) : env(name);
    };
  }
  auto target = github_target(lookup);
  if (!target) {
    error_line(err, "{}", target.error().message);
    return exit_code::bad_input;
  }
  HttpExchange exchange;
  exchange.method = "PUT";
  exchange.url = target->api_url;
  exchange.url.target += "/_mepsim/ci/branches/" + url_encode(options.branch);
  exchange.headers = {{"Authorization", "token " + target->token},
                      {"Accept", "application/vnd.github+json"},
                      {"Content-Type", "application/json"},
                      {"User-Agent", "mepsim-ci"}};
  exchange.body = nlohmann::json{{"result", options.result}}.dump();
  exchange.timeout = std::chrono::seconds(10);
  auto reply = http_exchange(exchange);
  if (!reply) {
    error_line(err, "the GitHub fake did not answer: {}", reply.error().message);
    return exit_code::failure;
  }
  if (reply->status < 200 || reply->status > 299) {
    error_line(err, "the GitHub fake refused: {}", refusal_of(reply.value()));
    return exit_code::failure;
  }
  if (options.result == "default") {
    fmt::print(out, "-----> CI runs on {} are back to the default result\n", options.branch);
  } else {
    fmt::print(out, "-----> The next CI runs on {} will end in {}\n", options.branch,
               options.result);
  }
  std::fflush(out);
  return exit_code::ok;
}

}  // namespace ci_cli

CLI::App* add_ci_command(CLI::App& app, CiOptions& options) {
  auto* ci = app.add_subcommand(
      "ci",
      "Set the result of the next CI runs on a branch of the GitHub fake (GITHUB_API_URL, "
      "GITHUB_TOKEN)");
  ci->add_option("--branch", options.branch, "The branch (develop, main…)")->required();
  ci->add_option("--result", options.result, "success, failure, or default (the profile's)")
      ->required();
  ci->add_option("--env-file", options.env_file,
                 "Read GITHUB_API_URL and GITHUB_TOKEN from the env file `mepsim up` wrote");
  ci->footer("Environment: GITHUB_API_URL, GITHUB_TOKEN (unless --env-file names them).");
  return ci;
}

int run_ci(const CiOptions& options) {
  return ci_cli::run_ci_with(options, ci_cli::process_env, stdout, stderr);
}

}  // namespace mepsim
