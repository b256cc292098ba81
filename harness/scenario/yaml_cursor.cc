#include "harness/scenario/yaml_cursor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mepsim::scenario::yaml {

SourcePos Diagnostics::pos(const YAML::Node& node) const {
  const auto mark = node.Mark();
  if (mark.is_null()) return SourcePos{file_, 0, 0};
  // The reader marks an empty list item (`-` and nothing) at the next token, often on a
  // later line: the dash before it is where the user looks.
  if (node.IsNull() && mark.pos > 0 && static_cast<std::size_t>(mark.pos) <= text_.size()) {
    auto at = static_cast<std::size_t>(mark.pos);
    while (at > 0 && std::isspace(static_cast<unsigned char>(text_[at - 1])) != 0) --at;
    if (at > 0 && text_[at - 1] == '-') {
      const auto offset = at - 1;
      const auto line_start = text_.rfind('\n', offset);
      const auto column = line_start == std::string_view::npos ? offset : offset - line_start - 1;
      const auto line =
          std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
      return SourcePos{file_, static_cast<int>(line) + 1, static_cast<int>(column) + 1};
    }
  }
  return SourcePos{file_, mark.line + 1, mark.column + 1};
}

void Diagnostics::error(const SourcePos& at, std::string message) {
  if (errors_.size() >= kMaxParseErrors) {
    ++dropped_;
    return;
  }
  errors_.push_back(ParseError{at, std::move(message)});
}

std::vector<ParseError> Diagnostics::sorted() const {
  auto errors = errors_;
  std::stable_sort(errors.begin(), errors.end(), [](const ParseError& a, const ParseError& b) {
    return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
  });
  if (dropped_ > 0) {
    errors.push_back(
        ParseError{SourcePos{file_, 0, 0}, fmt::format("{} more error(s) not shown", dropped_)});
  }
  return errors;
}

MapCursor::MapCursor(Diagnostics& diag, const YAML::Node& node, std::string what)
    : diag_(diag), what_(std::move(what)), pos_(diag.pos(node)), is_map_(node.IsMap()) {
  if (!is_map_) {
    diag_.error(node, fmt::format("{} must be a map of keys to values", what_));
    return;
  }
  for (const auto& field : node) {
    Entry entry{"", field.first, field.second, false};
    if (!field.first.IsScalar()) {
      diag_.error(field.first, fmt::format("a key of {} must be a plain name", what_));
      continue;
    }
    entry.key = field.first.Scalar();
    if (const auto* first = find(entry.key)) {
      diag_.error(field.first, fmt::format("duplicate key '{}' (first at {})", entry.key,
                                           diag_.pos(first->key_node).str()));
      continue;
    }
    entries_.push_back(std::move(entry));
  }
}

MapCursor::~MapCursor() {
  for (const auto& entry : entries_) {
    if (entry.taken) continue;
    std::string hint;
    if (!known_.empty()) hint = fmt::format(" (known: {})", fmt::join(known_, ", "));
    diag_.error(entry.key_node,
                fmt::format("unknown key '{}' in {}: nothing reads it{}", entry.key, what_, hint));
  }
}

MapCursor::Entry* MapCursor::find(std::string_view key) {
  for (auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const MapCursor::Entry* MapCursor::find(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void MapCursor::note(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
}

void MapCursor::note_known(const std::vector<std::string_view>& keys) {
  for (const auto key : keys) note(key);
}

SourcePos MapCursor::key_pos(std::string_view key) const {
  const auto* entry = find(key);
  return entry == nullptr ? pos_ : diag_.pos(entry->key_node);
}

SourcePos MapCursor::value_pos(std::string_view key) const {
  const auto* entry = find(key);
  if (entry == nullptr) return pos_;
  return entry->value.IsNull() ? diag_.pos(entry->key_node) : diag_.pos(entry->value);
}

bool MapCursor::has(std::string_view key) const {
  return find(key) != nullptr;
}

std::vector<std::string> MapCursor::keys() const {
  std::vector<std::string> keys;
  for (const auto& entry : entries_) keys.push_back(entry.key);
  return keys;
}

std::vector<std::string> MapCursor::present(const std::vector<std::string_view>& choices) const {
  std::vector<std::string> found;
  for (const auto& entry : entries_) {
    if (std::find(choices.begin(), choices.end(), entry.key) != choices.end()) {
      found.push_back(entry.key);
    }
  }
  return found;
}

std::optional<YAML::Node> MapCursor::take(std::string_view key, bool null_ok) {
  note(key);
  auto* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  entry->taken = true;
  if (entry->value.IsNull() && !null_ok) {
    diag_.error(entry->key_node, fmt::format("'{}' has no value", key));
    return std::nullopt;
  }
  return entry->value;
}

std::optional<YAML::Node> MapCursor::require(std::string_view key) {
  const bool present_before = has(key);
  auto value = take(key);
  if (!present_before && is_map_) diag_.error(pos_, fmt::format("{} needs '{}'", what_, key));
  return value;
}

std::optional<std::string> MapCursor::choose(const std::vector<std::string_view>& choices) {
  note_known(choices);
  if (!is_map_) return std::nullopt;
  const auto found = present(choices);
  if (found.empty()) {
    diag_.error(pos_, fmt::format("{} needs one of {}", what_, fmt::join(choices, ", ")));
    return std::nullopt;
  }
  for (std::size_t i = 1; i < found.size(); ++i) {
    auto* extra = find(found[i]);
    extra->taken = true;
    diag_.error(extra->key_node, fmt::format("{} takes one of {}: '{}' after '{}' is one too many",
                                             what_, fmt::join(choices, ", "), found[i], found[0]));
  }
  return found.front();
}

void MapCursor::require_any(const std::vector<std::string_view>& keys) {
  note_known(keys);
  if (is_map_ && present(keys).empty()) {
    diag_.error(pos_,
                fmt::format("{} checks nothing: give one of {}", what_, fmt::join(keys, ", ")));
  }
}

std::vector<MapCursor::Entry> MapCursor::take_rest() {
  std::vector<Entry> rest;
  for (auto& entry : entries_) {
    if (entry.taken) continue;
    entry.taken = true;
    rest.push_back(entry);
  }
  return rest;
}

}  // namespace mepsim::scenario::yaml
