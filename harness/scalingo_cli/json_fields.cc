#include "harness/scalingo_cli/json_fields.h"

namespace mepsim::scalingo_cli {

using nlohmann::json;

const json& member(const json& object, std::string_view key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string string_field(const json& object, std::string_view key) {
  const json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::optional<std::int64_t> int_field(const json& object, std::string_view key) {
  const json& value = member(object, key);
  if (!value.is_number_integer()) return std::nullopt;
  return value.get<std::int64_t>();
}

bool bool_field(const json& object, std::string_view key) {
  const json& value = member(object, key);
  return value.is_boolean() && value.get<bool>();
}

const json& array_field(const json& object, std::string_view key) {
  static const json kEmpty = json::array();
  const json& value = member(object, key);
  return value.is_array() ? value : kEmpty;
}

}  // namespace mepsim::scalingo_cli
