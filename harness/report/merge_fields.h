#pragma once
// Reading the fields of saved JSON reports for `mepsim report merge`, so that a bad input
// is refused with its file and the field at fault: "shard-2.json: field series[3].requests:
// not an integer".

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mepsim::report::merge {

using nlohmann::json;

// A bad field of one input. `field` is a path ("per_class.admin.status"), empty when the
// fault is the whole document's.
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string file, std::string field, const std::string& message);
  const std::string& file() const { return file_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }
  // "file: field path: message", or "file: message" when no field is at fault.
  std::string str() const;

 private:
  std::string file_, field_, message_;
};

// A value inside one input: where it came from, for errors.
struct Part {
  const std::string* file = nullptr;
  const json* value = nullptr;
  std::string path;  // "" for the document itself

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_at(std::string_view key, const std::string& message) const;
  // The member `key` of this object; fails when this is no object or `key` is missing.
  Part at(std::string_view key) const;
  Part at(std::size_t index) const;
  // The member, or nullopt when absent or null.
  std::optional<Part> find(std::string_view key) const;

  const json& object() const;  // fails unless an object
  const json& array() const;   // fails unless an array
  std::int64_t integer() const;
  double number() const;
  std::string text() const;
  bool boolean() const;
};

// "a.b" or "a[3]" from a parent path and a key or index.
std::string child_path(const std::string& parent, std::string_view key);
std::string child_path(const std::string& parent, std::size_t index);

// For a reader that throws on a document (run_report_from_json): the path of the deepest
// field that makes it throw by itself, found by reading documents that keep only that
// field on the way to it. "" when no single field does.
std::string failing_field(const json& document, const std::function<void(const json&)>& read);

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string plain_message(const std::exception& e);

}  // namespace mepsim::report::merge
