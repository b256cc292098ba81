#pragma once
// Strict reading of a scenario's YAML that collects every error instead of stopping at the
// first. A MapCursor hands out a map's values key by key and, when it goes, reports each key
// that nobody took: unknown keys and options nothing reads are caught the same way.
// Readers (yaml_values.h) turn one node into one typed value or report why they cannot.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario_parser.h"

namespace mepsim::scenario::yaml {

// The errors of one file.
class Diagnostics {
 public:
  // `text` (the file's, outliving this) places empty values better than the YAML reader.
  explicit Diagnostics(std::string file, std::string_view text = {})
      : file_(std::move(file)), text_(text) {}
  const std::string& file() const { return file_; }
  SourcePos pos(const YAML::Node& node) const;  // the file alone when the node has no mark
  void error(const SourcePos& at, std::string message);
  void error(const YAML::Node& at, std::string message) { error(pos(at), std::move(message)); }
  std::size_t count() const { return errors_.size() + dropped_; }
  // Sorted by position (stable: one place's errors keep their order), plus one line for
  // those past kMaxParseErrors.
  std::vector<ParseError> sorted() const;

 private:
  std::string file_;
  std::string_view text_;
  std::vector<ParseError> errors_;  // at most kMaxParseErrors
  std::size_t dropped_ = 0;
};

class MapCursor {
 public:
  // `what` names the map in messages: "http step", "deployment expectation". A node that is
  // not a map is reported once; the cursor then hands out nothing and reports nothing more.
  MapCursor(Diagnostics& diag, const YAML::Node& node, std::string what);
  ~MapCursor();  // reports the keys nobody took
  MapCursor(const MapCursor&) = delete;
  MapCursor& operator=(const MapCursor&) = delete;

  Diagnostics& diag() { return diag_; }
  const std::string& what() const { return what_; }
  bool is_map() const { return is_map_; }
  SourcePos pos() const { return pos_; }
  SourcePos key_pos(std::string_view key) const;    // the map's when absent
  SourcePos value_pos(std::string_view key) const;  // the key's when it has no value
  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;  // in file order
  // Of `choices`, those present, in file order (not taken).
  std::vector<std::string> present(const std::vector<std::string_view>& choices) const;

  // The value under `key`, now taken; nullopt when absent. A key written without a value is
  // reported ("'key' has no value") and treated as absent, unless `null_ok`.
  std::optional<YAML::Node> take(std::string_view key, bool null_ok = false);
  // Same, and absence is an error: "<what> needs 'key'".
  std::optional<YAML::Node> require(std::string_view key);
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
    bool taken = false;
  };
  // Every key not taken yet, in file order, now taken (maps of free keys: chaos settings).
  std::vector<Entry> take_rest();
  // The one key of `choices` present, not taken yet. None is an error at the map ("<what>
  // needs one of a, b"); each extra one an error at its key, and taken so that it is not
  // also reported as unknown.
  std::optional<std::string> choose(const std::vector<std::string_view>& choices);
  // At least one of `keys` present, or an error at the map: "<what> checks nothing: give
  // one of a, b" (an expectation that holds whatever happens is a mistake).
  void require_any(const std::vector<std::string_view>& keys);
  // Keys the hint of an unknown-key error lists, besides those asked for with take().
  void note_known(const std::vector<std::string_view>& keys);

  // Reads `key` with `reader` (a callable (Diagnostics&, node, key) -> optional<V>) into
  // `out` (a V or an optional<V>); false when absent or wrong.
  template <typename Target, typename Reader>
  bool get(std::string_view key, Target& out, Reader&& reader) {
    return assign(take(key), key, out, reader);
  }
  template <typename Target, typename Reader>
  bool get_required(std::string_view key, Target& out, Reader&& reader) {
    return assign(require(key), key, out, reader);
  }

 private:
  template <typename Target, typename Reader>
  bool assign(const std::optional<YAML::Node>& node, std::string_view key, Target& out,
              Reader& reader) {
    if (!node) return false;
    auto value = reader(diag_, *node, key);
    if (!value) return false;
    out = std::move(*value);
    return true;
  }
  Entry* find(std::string_view key);
  const Entry* find(std::string_view key) const;
  void note(std::string_view key);

  Diagnostics& diag_;
  std::string what_;
  SourcePos pos_;
  bool is_map_ = false;
  std::vector<Entry> entries_;      // the map's keys, bounded by the file
  std::vector<std::string> known_;  // for the unknown-key hint
};

}  // namespace mepsim::scenario::yaml
