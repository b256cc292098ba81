#include <fmt/format.h>

#include <algorithm>

#include "harness/scenario/expectation_parsers.h"
#include "harness/scenario/step_parsers.h"

namespace mepsim::scenario::expectations {
namespace {

using Parser = Expectation (*)(yaml::Diagnostics&, const YAML::Node&);

struct Kind {
  std::string_view name;
  Parser parse;
};

const std::vector<Kind>& table() {
  static const std::vector<Kind> kinds = {
      {"deployment", parse_deployment}, {"app", parse_app},
      {"variables", parse_variables},   {"containers", parse_containers},
      {"sentry", parse_sentry},         {"github", parse_github},
      {"mattermost", parse_mattermost}, {"mail", parse_mail},
      {"mysql", parse_mysql},           {"redis", parse_redis},
      {"sessions", parse_sessions},     {"load", parse_load},
      {"converged", parse_converged},   {"violations", parse_violations},
  };
  return kinds;
}

// YAML as one line: maps as `key=value` pairs, their subject (app, name, cohort) first.
std::string compact(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  std::vector<std::string> parts;
  if (node.IsSequence()) {
    for (const auto& item : node) parts.push_back(compact(item));
    return fmt::format("[{}]", fmt::join(parts, ", "));
  }
  if (!node.IsMap()) return "";
  for (const auto subject : {"app", "name", "cohort"}) {
    if (node[subject] && node[subject].IsScalar()) parts.push_back(node[subject].Scalar());
  }
  for (const auto& field : node) {
    const auto key = field.first.Scalar();
    if (key == "app" || key == "name" || key == "cohort") continue;
    const auto value = compact(field.second);
    parts.push_back(field.second.IsMap() ? fmt::format("{}={{{}}}", key, value)
                                         : fmt::format("{}={}", key, value));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace

const std::vector<std::string_view>& kinds() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const auto& kind : table()) all.push_back(kind.name);
    return all;
  }();
  return names;
}

bool is_kind(std::string_view key) {
  const auto& all = kinds();
  return std::find(all.begin(), all.end(), key) != all.end();
}

Expectation parse(yaml::Diagnostics& diag, std::string_view kind, const YAML::Node& value) {
  for (const auto& candidate : table()) {
    if (candidate.name == kind) return candidate.parse(diag, value);
  }
  diag.error(value, fmt::format("unknown expectation '{}'", kind));  // callers check is_kind
  return ViolationsExpect{};
}

std::string describe(std::string_view kind, const YAML::Node& value) {
  return steps::shorten(fmt::format("{} {}", kind, compact(value)), 120);
}

}  // namespace mepsim::scenario::expectations
