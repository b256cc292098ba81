#include "fakes/common/json_fields.h"

#include <utility>

namespace mepsim::fakes {

Result<nlohmann::json> parse_json_object(std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return nlohmann::json::object();
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 9: …",
    // or "[json.exception.out_of_range.406] number overflow parsing '1e999'": a number past
    // a double's range is the body's fault too, not an internal error.
    return make_error(ErrorCode::invalid_input, std::string("invalid JSON: ") + e.what());
  }
  if (!parsed.is_object()) {
    return make_error(ErrorCode::invalid_input,
                      std::string("the body must be a JSON object, not ") + parsed.type_name());
  }
  return parsed;
}

void FieldErrors::add(const std::string& field, std::string message) {
  by_field_[field].push_back(std::move(message));
}

nlohmann::json FieldErrors::to_json() const {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [field, messages] : by_field_) errors[field] = messages;
  return {{"errors", std::move(errors)}};
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& object, std::string path,
                                   FieldErrors& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {}

std::string JsonObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const nlohmann::json* JsonObjectReader::find(std::string_view key, Presence presence) {
  read_.emplace(key);
  const nlohmann::json* value = nullptr;
  if (object_.is_object()) {
    const auto found = object_.find(key);
    if (found != object_.end() && !found->is_null()) value = &*found;
  }
  if (value == nullptr && presence == Presence::required) {
    errors_.add(std::string(key), "can't be blank");
  }
  return value;
}

void JsonObjectReader::wrong_type(std::string_view key, std::string_view expected) {
  errors_.add(std::string(key), "must be " + std::string(expected));
}

std::optional<std::string> JsonObjectReader::string(std::string_view key, Presence presence) {
  const auto* value = find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    wrong_type(key, "a string");
    return std::nullopt;
  }
  return value->get_ref<const std::string&>();
}

std::optional<bool> JsonObjectReader::boolean(std::string_view key, Presence presence) {
  const auto* value = find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    wrong_type(key, "a boolean");
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<std::int64_t> JsonObjectReader::integer(std::string_view key, Presence presence) {
  const auto* value = find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned()) {
    const auto n = value->get<std::uint64_t>();
    if (n <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(n);
  } else if (value->is_number_integer()) {
    return value->get<std::int64_t>();
  }
  wrong_type(key, "an integer");
  return std::nullopt;
}

const nlohmann::json* JsonObjectReader::object(std::string_view key, Presence presence) {
  const auto* value = find(key, presence);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    wrong_type(key, "an object");
    return nullptr;
  }
  return value;
}

const nlohmann::json* JsonObjectReader::array(std::string_view key, Presence presence) {
  const auto* value = find(key, presence);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    wrong_type(key, "an array");
    return nullptr;
  }
  return value;
}

std::optional<std::map<std::string, std::string>> JsonObjectReader::string_map(std::string_view key,
                                                                               Presence presence) {
  const auto* value = object(key, presence);
  if (value == nullptr) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const auto& [name, item] : value->items()) {
    if (!item.is_string()) {
      errors_.add(std::string(key), "value of " + name + " must be a string");
      return std::nullopt;
    }
    out.emplace(name, item.get<std::string>());
  }
  return out;
}

void JsonObjectReader::ignore(std::string_view key, std::vector<std::string>& notes) {
  read_.emplace(key);
  if (object_.is_object() && object_.contains(key)) {
    notes.push_back("field " + path_of(key) + " accepted but not modelled");
  }
}

void JsonObjectReader::note_unknown(std::vector<std::string>& notes) const {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (read_.find(key) == read_.end()) notes.push_back("unknown field " + path_of(key));
  }
}

}  // namespace mepsim::fakes
