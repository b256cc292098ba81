#pragma once
// Reading fields of the API's JSON without trusting its shape: a missing field or one of
// another type reads as empty, never as an exception (DESIGN.md: no assert, no throw on
// what the outside world sends).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace mepsim::scalingo_cli {

// The string at `key` of an object; "" when absent or not a string.
std::string string_field(const nlohmann::json& object, std::string_view key);
// The integer at `key` of an object; nullopt when absent or not an integer.
std::optional<std::int64_t> int_field(const nlohmann::json& object, std::string_view key);
// The boolean at `key`; false when absent or not a boolean.
bool bool_field(const nlohmann::json& object, std::string_view key);
// The member at `key` when `object` is an object that has it; a null json otherwise.
const nlohmann::json& member(const nlohmann::json& object, std::string_view key);
// The array at `key`; an empty array when absent or not an array.
const nlohmann::json& array_field(const nlohmann::json& object, std::string_view key);

}  // namespace mepsim::scalingo_cli
