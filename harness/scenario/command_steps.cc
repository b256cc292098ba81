// Steps that run a command or change the working clone: git, write_file, scalingo, ci,
// mattermost.

#include <fmt/format.h>

#include <filesystem>

#include "harness/scenario/shell_words.h"
#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::steps {
namespace {

struct CommandLine {
  std::vector<std::string> args;
  int expect_exit = 0;
  std::optional<std::string> output_contains;
  std::string description;
};

// `kind: "a b 'c d'"` or `kind: {command: "…", exit: 1, output_contains: "…"}`.
CommandLine parse_command_line(yaml::Diagnostics& diag, const YAML::Node& value,
                               std::string_view kind) {
  CommandLine line;
  std::optional<YAML::Node> command_node;
  if (value.IsScalar()) {
    command_node = value;
  } else if (!value.IsMap()) {
    diag.error(value, fmt::format("{} step must be a command line, or a map with 'command', "
                                  "'exit', 'output_contains'",
                                  kind));
  } else {
    yaml::MapCursor map(diag, value, fmt::format("{} step", kind));
    command_node = map.require("command");
    map.get("exit", line.expect_exit, yaml::integer<int>(0, 255));
    map.get("output_contains", line.output_contains, yaml::text);
  }
  if (!command_node) return line;
  const auto command = yaml::name(diag, *command_node, "command");
  if (!command) return line;
  auto args = split_shell_words(*command);
  if (!args) {
    diag.error(*command_node, fmt::format("{} command: {}", kind, args.error().message));
    return line;
  }
  line.args = std::move(args.value());
  line.description = fmt::format("{} {}", kind, shorten(*command, 100));
  if (line.expect_exit != 0) line.description += fmt::format(" (exit {})", line.expect_exit);
  return line;
}

bool escapes_clone(const std::filesystem::path& path) {
  for (const auto& part : path) {
    if (part == "..") return true;
  }
  return false;
}

}  // namespace

std::string shorten(std::string_view text, std::size_t max_chars) {
  auto line = text.substr(0, text.find('\n'));
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  // Cut on a character boundary: UTF-8 continuation bytes are 10xxxxxx.
  if (line.size() <= max_chars) return std::string(line);
  std::size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string(line.substr(0, cut)) + "…";
}

StepDraft parse_git(yaml::Diagnostics& diag, const YAML::Node& value) {
  auto line = parse_command_line(diag, value, "git");
  return {GitStep{std::move(line.args), line.expect_exit, std::move(line.output_contains)},
          std::move(line.description)};
}

StepDraft parse_scalingo(yaml::Diagnostics& diag, const YAML::Node& value) {
  auto line = parse_command_line(diag, value, "scalingo");
  return {ScalingoStep{std::move(line.args), line.expect_exit, std::move(line.output_contains)},
          std::move(line.description)};
}

StepDraft parse_write_file(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "write_file step");
  WriteFileStep step;
  if (map.get_required("path", step.path, yaml::name)) {
    const std::filesystem::path path(step.path);
    if (path.is_absolute() || escapes_clone(path)) {
      diag.error(map.value_pos("path"),
                 fmt::format("write_file path '{}' must stay in the clone: relative, without '..'",
                             step.path));
    }
  }
  map.get_required("content", step.content, yaml::text);
  auto description = fmt::format("write_file {}", step.path);
  return {std::move(step), std::move(description)};
}

StepDraft parse_ci(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "ci step");
  CiStep step;
  const auto target = map.choose({"branch", "commit"});
  if (target == "branch") map.get("branch", step.branch, yaml::name);
  if (target == "commit") map.get("commit", step.commit, yaml::name);
  if (map.get_required("result", step.result, yaml::one_of({"success", "failure", "default"})) &&
      step.result == "default" && target == "commit") {
    diag.error(map.value_pos("result"),
               "'result: default' returns a branch to the profile's result; a commit takes "
               "success or failure");
  }
  auto description = step.branch
                         ? fmt::format("ci branch {}: {}", *step.branch, step.result)
                         : fmt::format("ci commit {}: {}", step.commit.value_or(""), step.result);
  return {std::move(step), std::move(description)};
}

StepDraft parse_mattermost(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "mattermost step");
  MattermostStep step;
  const auto what = map.choose({"release_note", "text"});
  if (what == "release_note") map.get("release_note", step.release_note, yaml::name);
  if (what == "text") map.get("text", step.text, yaml::name);
  auto description = step.release_note
                         ? fmt::format("mattermost release note {}", *step.release_note)
                         : fmt::format("mattermost \"{}\"", shorten(step.text.value_or("")));
  return {std::move(step), std::move(description)};
}

}  // namespace mepsim::scenario::steps
