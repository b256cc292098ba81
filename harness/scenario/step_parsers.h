#pragma once
// The parser of each step kind (the value under its key), inside the scenario parser. Each
// reads everything it can and reports every mistake; its result is only used when the file
// has no error at all.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/scenario/yaml_cursor.h"

namespace mepsim::scenario::steps {

struct StepDraft {
  StepBody body;
  std::string description;  // the default one: "git merge develop --no-edit"
};
using StepParser = StepDraft (*)(yaml::Diagnostics& diag, const YAML::Node& value);

// Every step kind, in the order scenario.h lists them.
const std::vector<std::pair<std::string_view, StepParser>>& step_parsers();

StepDraft parse_git(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_write_file(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_scalingo(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_github(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_ci(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_mattermost(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_http(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_sessions(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_wait(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_wait_until(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_load(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_fault(yaml::Diagnostics& diag, const YAML::Node& value);
// The value under `fault: {network: …}`.
NetworkFault parse_network_fault(yaml::Diagnostics& diag, const YAML::Node& value);
StepDraft parse_expect(yaml::Diagnostics& diag, const YAML::Node& value);

// The first line of `text`, cut to `max_chars` with "…": free text in a description.
std::string shorten(std::string_view text, std::size_t max_chars = 60);

}  // namespace mepsim::scenario::steps
