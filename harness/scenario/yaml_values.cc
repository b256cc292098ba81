#include "harness/scenario/yaml_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "harness/scenario/duration_text.h"

namespace mepsim::scenario::yaml {
namespace {

const char* shape_of(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "a single value";
}

// The node's text when it is a single value; reported otherwise.
std::optional<std::string> scalar(Diagnostics& diag, const YAML::Node& node, std::string_view key,
                                  std::string_view expected) {
  if (node.IsScalar()) return node.Scalar();
  diag.error(node, fmt::format("'{}' must be {}, not {}", key, expected, shape_of(node)));
  return std::nullopt;
}

template <typename Int>
std::optional<Int> parse_whole(const std::string& text) {
  Int value{};
  const auto* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> text(Diagnostics& diag, const YAML::Node& node, std::string_view key) {
  return scalar(diag, node, key, "a text");
}

std::optional<std::string> name(Diagnostics& diag, const YAML::Node& node, std::string_view key) {
  auto value = scalar(diag, node, key, "a name");
  if (value && value->find_first_not_of(" \t\r\n") == std::string::npos) {
    diag.error(node, fmt::format("'{}' must not be empty", key));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> boolean(Diagnostics& diag, const YAML::Node& node, std::string_view key) {
  auto value = scalar(diag, node, key, "true or false");
  if (!value) return std::nullopt;
  if (*value == "true" || *value == "True" || *value == "TRUE") return true;
  if (*value == "false" || *value == "False" || *value == "FALSE") return false;
  diag.error(node, fmt::format("'{}' must be true or false, not '{}'", key, *value));
  return std::nullopt;
}

std::optional<Duration> duration(Diagnostics& diag, const YAML::Node& node, std::string_view key) {
  auto value = scalar(diag, node, key, "a duration (90s, 30m, 1h30m…)");
  if (!value) return std::nullopt;
  auto parsed = parse_duration(*value);
  if (parsed) return parsed.value();
  diag.error(node, fmt::format("'{}': {}", key, parsed.error().message));
  return std::nullopt;
}

std::optional<std::int64_t> read_integer(Diagnostics& diag, const YAML::Node& node,
                                         std::string_view key, std::int64_t min, std::int64_t max) {
  auto value = scalar(diag, node, key, "a whole number");
  if (!value) return std::nullopt;
  const auto parsed = parse_whole<std::int64_t>(*value);
  if (!parsed) {
    diag.error(node, fmt::format("'{}' must be a whole number, not '{}'", key, *value));
    return std::nullopt;
  }
  if (*parsed < min || *parsed > max) {
    diag.error(node, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, *parsed));
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::uint64_t> unsigned_integer(Diagnostics& diag, const YAML::Node& node,
                                              std::string_view key) {
  auto value = scalar(diag, node, key, "a whole number");
  if (!value) return std::nullopt;
  const auto parsed = parse_whole<std::uint64_t>(*value);
  if (!parsed) {
    diag.error(node, fmt::format("'{}' must be a whole number from 0 to {}, not '{}'", key,
                                 UINT64_MAX, *value));
  }
  return parsed;
}

std::optional<double> read_number(Diagnostics& diag, const YAML::Node& node, std::string_view key,
                                  double min, double max) {
  auto value = scalar(diag, node, key, "a number");
  if (!value) return std::nullopt;
  double parsed = 0;
  const auto* end = value->data() + value->size();
  const auto [stop, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc() || stop != end || !std::isfinite(parsed)) {
    diag.error(node, fmt::format("'{}' must be a number, not '{}'", key, *value));
    return std::nullopt;
  }
  if (parsed < min || parsed > max) {
    diag.error(node, fmt::format("'{}' must be between {} and {}, not {}", key, min, max, parsed));
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::string> read_choice(Diagnostics& diag, const YAML::Node& node,
                                       std::string_view key,
                                       const std::vector<std::string_view>& choices) {
  auto value = scalar(diag, node, key, "a single value");
  if (!value) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *value) != choices.end()) return value;
  diag.error(
      node, fmt::format("'{}' must be one of {}, not '{}'", key, fmt::join(choices, ", "), *value));
  return std::nullopt;
}

std::optional<std::vector<std::string>> text_list(Diagnostics& diag, const YAML::Node& node,
                                                  std::string_view key) {
  if (!node.IsSequence()) {
    diag.error(node, fmt::format("'{}' must be a list, not {}", key, shape_of(node)));
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (const auto& item : node) {
    auto value = scalar(diag, item, fmt::format("an item of {}", key), "a text");
    if (value) items.push_back(std::move(*value));
    ok = ok && value.has_value();
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<std::vector<std::string>> text_or_list(Diagnostics& diag, const YAML::Node& node,
                                                     std::string_view key) {
  if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  return text_list(diag, node, key);
}

std::optional<std::map<std::string, std::string>> text_map(Diagnostics& diag,
                                                           const YAML::Node& node,
                                                           std::string_view key) {
  MapCursor map(diag, node, fmt::format("'{}'", key));
  std::map<std::string, std::string> values;
  bool ok = map.is_map();
  for (const auto& entry : map.take_rest()) {
    auto value = scalar(diag, entry.value, entry.key, "a text");
    if (value) values[entry.key] = std::move(*value);
    ok = ok && value.has_value();
  }
  if (!ok) return std::nullopt;
  return values;
}

std::optional<CountRange> count_range(Diagnostics& diag, const YAML::Node& node,
                                      std::string_view key) {
  constexpr std::int64_t kMax = INT64_MAX;
  if (!node.IsMap()) {
    auto exact = read_integer(diag, node, key, 0, kMax);
    if (!exact) return std::nullopt;
    return CountRange{*exact, *exact};
  }
  const auto errors_before = diag.count();
  CountRange range;
  {
    MapCursor map(diag, node, fmt::format("'{}'", key));
    map.get("min", range.min, integer<std::int64_t>(0, kMax));
    map.get("max", range.max, integer<std::int64_t>(0, kMax));
  }
  if (diag.count() > errors_before) return std::nullopt;
  if (!range.min && !range.max) {
    diag.error(node, fmt::format("'{}' needs 'min' or 'max' (or is a number)", key));
    return std::nullopt;
  }
  if (range.min && range.max && *range.min > *range.max) {
    diag.error(node, fmt::format("'{}': min {} is above max {}", key, *range.min, *range.max));
    return std::nullopt;
  }
  return range;
}

std::optional<UserClass> user_class(Diagnostics& diag, const YAML::Node& node,
                                    std::string_view key) {
  static const std::vector<std::string_view> kNames = {"anonymous", "usager", "partner", "admin",
                                                       "api"};
  auto value = read_choice(diag, node, key, kNames);
  if (!value) return std::nullopt;
  const auto index = std::find(kNames.begin(), kNames.end(), *value) - kNames.begin();
  return static_cast<UserClass>(index);
}

std::optional<std::string> rule_id(Diagnostics& diag, const YAML::Node& node,
                                   std::string_view key) {
  auto value = scalar(diag, node, key, "a rule id");
  if (!value) return std::nullopt;
  const auto& ids = rule_ids();
  if (std::find(ids.begin(), ids.end(), *value) != ids.end()) return value;
  diag.error(node, fmt::format("unknown rule id '{}' in '{}' (rules: {})", *value, key,
                               fmt::join(ids, ", ")));
  return std::nullopt;
}

std::optional<std::vector<std::string>> rule_id_list(Diagnostics& diag, const YAML::Node& node,
                                                     std::string_view key) {
  if (!node.IsSequence()) {
    diag.error(node, fmt::format("'{}' must be a list of rule ids, not {}", key, shape_of(node)));
    return std::nullopt;
  }
  std::vector<std::string> ids;
  bool ok = true;
  for (const auto& item : node) {
    auto id = rule_id(diag, item, key);
    if (id) ids.push_back(std::move(*id));
    ok = ok && id.has_value();
  }
  if (!ok) return std::nullopt;
  return ids;
}

nlohmann::json to_json(const YAML::Node& node) {
  if (node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    auto array = nlohmann::json::array();
    for (const auto& item : node) array.push_back(to_json(item));
    return array;
  }
  if (node.IsMap()) {
    auto object = nlohmann::json::object();
    for (const auto& field : node) object[field.first.Scalar()] = to_json(field.second);
    return object;
  }
  const std::string& value = node.Scalar();
  if (node.Tag() == "!") return value;  // quoted: a string whatever it looks like
  if (value == "true" || value == "false") return value == "true";
  if (value == "null" || value == "~") return nullptr;
  if (auto whole = parse_whole<std::int64_t>(value)) return *whole;
  double real = 0;
  const auto* end = value.data() + value.size();
  const auto [stop, ec] = std::from_chars(value.data(), end, real);
  if (ec == std::errc() && stop == end && std::isfinite(real)) return real;
  return value;
}

}  // namespace mepsim::scenario::yaml
