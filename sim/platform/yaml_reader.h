#pragma once
// Strict reading of the YAML files mepsim takes (profiles, release manifests): every
// error names `source:line:col`, and a key no handler reads is an error, so that a typo
// never passes silently.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <string>

#include "sim/core/result.h"

namespace mepsim::platform {

class YamlReader {
 public:
  explicit YamlReader(std::string source) : source_(std::move(source)) {}

  Result<YAML::Node> load(const std::string& text) const;
  Error error_at(const YAML::Node& node, const std::string& what) const;
  Error error_at(const YAML::Mark& mark, const std::string& what) const;

  template <typename T>
  Result<T> read(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return error_at(node, "'" + key + "' must be a single value");
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      return error_at(node, "'" + key + "' has the wrong type");
    }
  }

  using Handler = std::function<Result<void>(const YAML::Node& value)>;
  // Calls the handler of each key of the map `node`; unknown keys and missing `required`
  // keys are errors.
  Result<void> read_map(const YAML::Node& node, const std::string& what,
                        const std::map<std::string, Handler>& handlers,
                        const std::vector<std::string>& required = {}) const;

  // A handler that stores the value into `target`.
  template <typename T>
  Handler into(T& target, const std::string& key) const {
    return [this, &target, key](const YAML::Node& value) -> Result<void> {
      auto v = read<T>(value, key);
      if (!v) return v.error();
      target = std::move(v.value());
      return {};
    };
  }

 private:
  std::string source_;
};

}  // namespace mepsim::platform
