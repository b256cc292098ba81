#include "harness/report/merge_fields.h"

#include <fmt/format.h>

namespace mepsim::report::merge {
namespace {

const char* type_of(const json& v) {
  return v.type_name();
}

bool throws(const std::function<void(const json&)>& read, const json& document) {
  try {
    read(document);
    return false;
  } catch (const std::exception&) {
    return true;
  }
}

using Wrap = std::function<json(const json&)>;

// `wrap(v)` is the document in which this position holds `v` and nothing beside it.
std::string deepest(const json& value, const Wrap& wrap,
                    const std::function<void(const json&)>& read, const std::string& path) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      const Wrap wrap_child = [&wrap, &key](const json& v) {
        json object = json::object();
        object[key] = v;
        return wrap(object);
      };
      if (throws(read, wrap_child(child))) {
        return deepest(child, wrap_child, read, child_path(path, key));
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Wrap wrap_child = [&wrap](const json& v) {
        json array = json::array();
        array.push_back(v);
        return wrap(array);
      };
      if (throws(read, wrap_child(value[i]))) {
        return deepest(value[i], wrap_child, read, child_path(path, i));
      }
    }
  }
  return path;
}

}  // namespace

FieldError::FieldError(std::string file, std::string field, const std::string& message)
    : std::runtime_error(field.empty() ? fmt::format("{}: {}", file, message)
                                       : fmt::format("{}: field {}: {}", file, field, message)),
      file_(std::move(file)),
      field_(std::move(field)),
      message_(message) {}

std::string FieldError::str() const {
  return what();
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string child_path(const std::string& parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

void Part::fail(const std::string& message) const {
  throw FieldError(*file, path, message);
}

void Part::fail_at(std::string_view key, const std::string& message) const {
  throw FieldError(*file, child_path(path, key), message);
}

Part Part::at(std::string_view key) const {
  const auto& o = object();
  const auto found = o.find(key);
  if (found == o.end()) fail_at(key, "missing");
  return {file, &*found, child_path(path, key)};
}

Part Part::at(std::size_t index) const {
  const auto& a = array();
  if (index >= a.size()) fail(fmt::format("no element {}", index));
  return {file, &a[index], child_path(path, index)};
}

std::optional<Part> Part::find(std::string_view key) const {
  const auto& o = object();
  const auto found = o.find(key);
  if (found == o.end() || found->is_null()) return std::nullopt;
  return Part{file, &*found, child_path(path, key)};
}

const json& Part::object() const {
  if (!value->is_object()) fail(fmt::format("not an object but {}", type_of(*value)));
  return *value;
}

const json& Part::array() const {
  if (!value->is_array()) fail(fmt::format("not an array but {}", type_of(*value)));
  return *value;
}

std::int64_t Part::integer() const {
  if (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX) {
    fail("integer out of range");
  }
  if (!value->is_number_integer()) fail(fmt::format("not an integer but {}", type_of(*value)));
  return value->get<std::int64_t>();
}

double Part::number() const {
  if (!value->is_number()) fail(fmt::format("not a number but {}", type_of(*value)));
  return value->get<double>();
}

std::string Part::text() const {
  if (!value->is_string()) fail(fmt::format("not a string but {}", type_of(*value)));
  return value->get<std::string>();
}

bool Part::boolean() const {
  if (!value->is_boolean()) fail(fmt::format("not a boolean but {}", type_of(*value)));
  return value->get<bool>();
}

std::string failing_field(const json& document, const std::function<void(const json&)>& read) {
  return deepest(
      document, [](const json& v) { return v; }, read, "");
}

std::string plain_message(const std::exception& e) {
  std::string_view text = e.what();
  if (text.starts_with("[json.exception.")) {
    if (const auto end = text.find("] "); end != std::string_view::npos)
      text.remove_prefix(end + 2);
  }
  return std::string(text);
}

}  // namespace mepsim::report::merge
