#include "harness/scenario/scenario_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_documents.h"
#include "harness/scenario/yaml_values.h"
#include "sim/platform/yaml_bounds.h"

namespace mepsim::scenario {
namespace {

bool is_scenario_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string step_kind_names() {
  std::vector<std::string_view> names;
  for (const auto& [kind, parser] : steps::step_parsers()) names.push_back(kind);
  return fmt::format("{}", fmt::join(names, ", "));
}

steps::StepParser parser_of(std::string_view kind) {
  for (const auto& [name, parser] : steps::step_parsers()) {
    if (name == kind) return parser;
  }
  return nullptr;
}

// `- <kind>: <value>` with an optional `desc:` beside it.
std::optional<Step> read_step(yaml::Diagnostics& diag, const YAML::Node& item) {
  if (item.IsNull()) {
    diag.error(item, "empty step: a '-' with nothing after it");
    return std::nullopt;
  }
  if (!item.IsMap()) {
    diag.error(item,
               fmt::format("a step must be a map with one step kind ({})", step_kind_names()));
    return std::nullopt;
  }
  yaml::MapCursor map(diag, item, "step");
  std::optional<std::string> desc;
  map.get("desc", desc, yaml::name);
  std::vector<std::string> kinds;
  std::size_t unknown = 0;
  for (const auto& key : map.keys()) {
    if (key == "desc") continue;
    if (parser_of(key) != nullptr) {
      kinds.push_back(key);
      continue;
    }
    diag.error(map.key_pos(key),
               fmt::format("unknown step kind '{}' (known: {})", key, step_kind_names()));
    (void)map.take(key, true);
    ++unknown;
  }
  if (kinds.empty()) {
    if (unknown == 0) {
      diag.error(map.pos(), fmt::format("a step needs a step kind ({})", step_kind_names()));
    }
    return std::nullopt;
  }
  for (std::size_t i = 1; i < kinds.size(); ++i) {
    diag.error(map.key_pos(kinds[i]),
               fmt::format("one step kind per step: '{}' follows '{}' in the same step (start "
                           "a new '- {}:' item)",
                           kinds[i], kinds[0], kinds[i]));
    (void)map.take(kinds[i], true);
  }
  const auto value = map.take(kinds[0]);
  if (!value) return std::nullopt;
  auto draft = parser_of(kinds[0])(diag, *value);
  return Step{kinds[0], desc.value_or(std::move(draft.description)), std::move(draft.body),
              map.pos()};
}

std::optional<std::vector<Step>> read_steps(yaml::Diagnostics& diag, const YAML::Node& node,
                                            std::string_view) {
  if (!node.IsSequence() || node.size() == 0) {
    diag.error(node, "'steps' must be a list of at least one step");
    return std::nullopt;
  }
  std::vector<Step> steps;
  for (const auto& item : node) {
    if (auto step = read_step(diag, item)) steps.push_back(std::move(*step));
  }
  return steps;
}

std::optional<std::vector<Waiver>> read_waivers(yaml::Diagnostics& diag, const YAML::Node& node,
                                                std::string_view) {
  if (!node.IsSequence()) {
    diag.error(node, "'waive' must be a list of {rule, reason}");
    return std::nullopt;
  }
  std::vector<Waiver> waivers;
  for (const auto& item : node) {
    yaml::MapCursor map(diag, item, "waiver");
    Waiver waiver;
    map.get_required("rule", waiver.rule, yaml::rule_id);
    map.get_required("reason", waiver.reason, yaml::name);
    waivers.push_back(std::move(waiver));
  }
  return waivers;
}

Scenario read_scenario(yaml::Diagnostics& diag, const YAML::Node& root) {
  Scenario scenario;
  yaml::MapCursor map(diag, root, "scenario");
  if (map.get_required("name", scenario.name, yaml::name) && !is_scenario_name(scenario.name)) {
    diag.error(
        map.value_pos("name"),
        fmt::format("scenario name '{}' must be lowercase letters, digits and '-'", scenario.name));
  }
  map.get_required("description", scenario.description, yaml::name);
  map.get("tags", scenario.tags, yaml::text_list);
  map.get("profile", scenario.profile, yaml::name);
  map.get("seed", scenario.seed, yaml::unsigned_integer);
  map.get("expect_violations", scenario.expect_violations, yaml::rule_id_list);
  map.get("waive", scenario.waivers, read_waivers);
  map.get_required("steps", scenario.steps, read_steps);
  return scenario;
}

// The YAML reader's marks count from 0; a null one is the file as a whole (0:0).
SourcePos pos_of(const std::string& file, const YAML::Mark& mark) {
  return mark.is_null() ? SourcePos{file, 0, 0} : SourcePos{file, mark.line + 1, mark.column + 1};
}

ParseOutcome syntax_error(const std::string& file, const YAML::Exception& e) {
  return ParseOutcome{std::nullopt,
                      {ParseError{pos_of(file, e.mark), "YAML syntax error: " + e.msg}}};
}

}  // namespace

std::string ParseError::str() const {
  return fmt::format("{}: {}", pos.str(), message);
}

ParseOutcome parse_scenario(const std::string& yaml_text, const std::string& file) {
  yaml::ScenarioDocuments documents;
  try {
    documents = yaml::read_documents(yaml_text);
  } catch (const YAML::Exception& e) {
    return syntax_error(file, e);
  }
  if (auto breach = platform::check_yaml_bounds(documents.first)) {
    return ParseOutcome{std::nullopt,
                        {ParseError{pos_of(file, breach->mark), std::move(breach->message)}}};
  }
  yaml::Diagnostics diag(file, yaml_text);
  Scenario scenario;
  if (documents.first.IsNull()) {
    diag.error(SourcePos{file, 1, 1}, "the file holds no scenario (name, description, steps)");
  } else {
    scenario = read_scenario(diag, documents.first);
  }
  if (documents.second_start) {
    diag.error(pos_of(file, *documents.second_start),
               "one scenario per file: a second YAML document starts here");
  }
  scenario.file = file;
  ParseOutcome outcome{std::nullopt, diag.sorted()};
  if (outcome.errors.empty()) outcome.scenario = std::move(scenario);
  return outcome;
}

ParseOutcome parse_scenario_file(const std::filesystem::path& path) {
  const auto file = path.string();
  const auto fail = [&file](std::string message) {
    return ParseOutcome{std::nullopt, {ParseError{SourcePos{file, 0, 0}, std::move(message)}}};
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(fmt::format("cannot read: {}", ec.message()));
  if (size > kMaxScenarioFileBytes) {
    return fail(fmt::format("{} bytes is too big for a scenario (at most {})", size,
                            kMaxScenarioFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return fail("cannot read the file");
  return parse_scenario(text.str(), file);
}

}  // namespace mepsim::scenario
