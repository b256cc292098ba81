#pragma once
// Strict reading of JSON request bodies, shared by the fakes. A body that is not JSON is
// the caller's syntax error (400); a field of the wrong type or a required one missing
// is a validation error reported per field, as Rails does (422
// {"errors":{"name":["can't be blank"]}}); a field the fake does not know is accepted but
// noted, so that a report can show what a client sent that nobody read.
//
// Nothing here throws: nlohmann's parse error is caught where it is raised.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::fakes {

// An empty body reads as {}: clients send none when every field is optional. Anything
// but a JSON object is invalid_input, with the parser's line and column.
Result<nlohmann::json> parse_json_object(std::string_view body);

class FieldErrors {
 public:
  void add(const std::string& field, std::string message);
  bool empty() const { return by_field_.empty(); }
  // {"errors":{"field":["message", …]}}
  nlohmann::json to_json() const;

 private:
  std::map<std::string, std::vector<std::string>> by_field_;
};

enum class Presence { required, optional };

// Reads one JSON object field by field. A null value reads as absent (Go clients send
// null for unset pointers). Errors are keyed by the field's own name, as the real APIs
// key them; notes name the whole path ("deployment.postdeploy").
class JsonObjectReader {
 public:
  // `object` must outlive the reader; `path` is "" for the body itself.
  JsonObjectReader(const nlohmann::json& object, std::string path, FieldErrors& errors);

  std::optional<std::string> string(std::string_view key, Presence presence);
  std::optional<bool> boolean(std::string_view key, Presence presence);
  std::optional<std::int64_t> integer(std::string_view key, Presence presence);
  // Null when absent or of another type (the error is recorded).
  const nlohmann::json* object(std::string_view key, Presence presence);
  const nlohmann::json* array(std::string_view key, Presence presence);
  // {"KEY": "value", …}, every value a string.
  std::optional<std::map<std::string, std::string>> string_map(std::string_view key,
                                                               Presence presence);
  // A field the real service knows but this fake does not model: accepted, noted.
  void ignore(std::string_view key, std::vector<std::string>& notes);
  // "unknown field <path>.<key>" for every key no call above asked for.
  void note_unknown(std::vector<std::string>& notes) const;

  // "deployment.git_ref": the path a note or a nested reader uses.
  std::string path_of(std::string_view key) const;

 private:
  // The value when present and not null; records "can't be blank" when required.
  const nlohmann::json* find(std::string_view key, Presence presence);
  void wrong_type(std::string_view key, std::string_view expected);

  const nlohmann::json& object_;
  std::string path_;
  FieldErrors& errors_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace mepsim::fakes
