// The variables' bodies (request_body.h). Values are the app's secrets: no message here
// quotes one.

#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

// {name, value}: both strings, the name not blank.
std::optional<platform::VariableInput> read_input(const nlohmann::json& item,
                                                  const std::string& path, FieldErrors& errors,
                                                  Notes& notes) {
  if (!item.is_object()) {
    errors.add("variables", "each entry must be an object");
    return std::nullopt;
  }
  JsonObjectReader reader(item, path, errors);
  const auto name = reader.string("name", Presence::required);
  const auto value = reader.string("value", Presence::optional);
  reader.note_unknown(notes);
  if (name && name->empty()) errors.add("name", "can't be blank");
  if (!name || name->empty()) return std::nullopt;
  return platform::VariableInput{*name, value.value_or("")};
}

}  // namespace

std::optional<platform::VariableInput> read_variable_create(const nlohmann::json& body,
                                                            FieldErrors& errors, Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("variable", Presence::required);
  root.note_unknown(notes);
  if (fields == nullptr) return std::nullopt;
  auto input = read_input(*fields, "variable", errors, notes);
  if (!errors.empty()) return std::nullopt;
  return input;
}

std::optional<std::vector<platform::VariableInput>> read_variables_bulk_update(
    const nlohmann::json& body, FieldErrors& errors, Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("variables", Presence::required);
  root.note_unknown(notes);
  if (items == nullptr) return std::nullopt;
  std::vector<platform::VariableInput> inputs;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "variables[" + std::to_string(i) + "]";
    auto input = read_input((*items)[i], path, errors, notes);
    if (input) inputs.push_back(std::move(*input));
  }
  if (!errors.empty()) return std::nullopt;
  return inputs;
}

std::optional<std::string> read_variable_update(const nlohmann::json& body, FieldErrors& errors,
                                                Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("variable", Presence::required);
  root.note_unknown(notes);
  if (fields == nullptr) return std::nullopt;
  JsonObjectReader reader(*fields, "variable", errors);
  auto value = reader.string("value", Presence::required);
  // The real PATCH does not rename either: accepted, noted.
  reader.ignore("name", notes);
  reader.note_unknown(notes);
  if (!errors.empty()) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> read_variable_ids(const nlohmann::json& body,
                                                          FieldErrors& errors, Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("variable_ids", Presence::required);
  root.note_unknown(notes);
  if (items == nullptr) return std::nullopt;
  if (items->empty()) errors.add("variable_ids", "can't be empty");
  std::vector<std::string> ids;
  for (const auto& item : *items) {
    if (!item.is_string()) {
      errors.add("variable_ids", "must be an array of strings");
      break;
    }
    ids.push_back(item.get<std::string>());
  }
  if (!errors.empty()) return std::nullopt;
  return ids;
}

}  // namespace mepsim::fakes::scalingo
