#pragma once
// Readers of one YAML value into one typed value, for MapCursor::get: each reports at the
// value's position why it cannot (`'count' must be a whole number, not 'many'`) and returns
// nullopt. `key` names the value in messages.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/yaml_cursor.h"

namespace mepsim::scenario::yaml {

std::optional<std::string> text(Diagnostics& diag, const YAML::Node& node, std::string_view key);
// Text that is not empty nor blank: names, apps, refs.
std::optional<std::string> name(Diagnostics& diag, const YAML::Node& node, std::string_view key);
std::optional<bool> boolean(Diagnostics& diag, const YAML::Node& node, std::string_view key);
std::optional<Duration> duration(Diagnostics& diag, const YAML::Node& node, std::string_view key);
std::optional<std::uint64_t> unsigned_integer(Diagnostics& diag, const YAML::Node& node,
                                              std::string_view key);
// A list of texts; with `text_or_list`, one text alone is a list of one.
std::optional<std::vector<std::string>> text_list(Diagnostics& diag, const YAML::Node& node,
                                                  std::string_view key);
std::optional<std::vector<std::string>> text_or_list(Diagnostics& diag, const YAML::Node& node,
                                                     std::string_view key);
std::optional<std::map<std::string, std::string>> text_map(Diagnostics& diag,
                                                           const YAML::Node& node,
                                                           std::string_view key);
// `3`, or `{min: 1, max: 5}` with either bound; never negative.
std::optional<CountRange> count_range(Diagnostics& diag, const YAML::Node& node,
                                      std::string_view key);
std::optional<UserClass> user_class(Diagnostics& diag, const YAML::Node& node,
                                    std::string_view key);
// One of rule_ids(), or a list of them.
std::optional<std::string> rule_id(Diagnostics& diag, const YAML::Node& node, std::string_view key);
std::optional<std::vector<std::string>> rule_id_list(Diagnostics& diag, const YAML::Node& node,
                                                     std::string_view key);

std::optional<std::int64_t> read_integer(Diagnostics& diag, const YAML::Node& node,
                                         std::string_view key, std::int64_t min, std::int64_t max);
std::optional<double> read_number(Diagnostics& diag, const YAML::Node& node, std::string_view key,
                                  double min, double max);
std::optional<std::string> read_choice(Diagnostics& diag, const YAML::Node& node,
                                       std::string_view key,
                                       const std::vector<std::string_view>& choices);

// Readers with bounds, for MapCursor::get.
template <typename Int>
auto integer(Int min, Int max) {
  return [min, max](Diagnostics& diag, const YAML::Node& node,
                    std::string_view key) -> std::optional<Int> {
    auto value = read_integer(diag, node, key, min, max);
    if (!value) return std::nullopt;
    return static_cast<Int>(*value);
  };
}
inline auto number(double min, double max) {
  return [min, max](Diagnostics& diag, const YAML::Node& node, std::string_view key) {
    return read_number(diag, node, key, min, max);
  };
}
inline auto one_of(std::vector<std::string_view> choices) {
  return [choices = std::move(choices)](Diagnostics& diag, const YAML::Node& node,
                                        std::string_view key) {
    return read_choice(diag, node, key, choices);
  };
}

// Any YAML as JSON: quoted scalars stay strings, plain ones become numbers, booleans or null
// when they read as such.
nlohmann::json to_json(const YAML::Node& node);

}  // namespace mepsim::scenario::yaml
