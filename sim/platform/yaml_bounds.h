#pragma once
// A bound on the YAML trees mepsim walks. Anchors and aliases let a few lines stand for a
// tree of billions of values ("billion laughs"): the YAML reader shares the aliased node,
// but every reader after it (a scenario's step, `to_json`, a profile's handlers) walks it
// once per reference. The whole document is walked here first, aliases followed, and
// stops counting past the bound.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>

namespace mepsim::platform {

struct YamlBounds {
  std::size_t max_values = 100'000;  // every scalar, list and map, each alias counted again
  std::size_t max_depth = 64;
};

struct YamlBoundsBreach {
  YAML::Mark mark;  // of the value past the bound (null for a value without a place)
  std::string message;
};

std::optional<YamlBoundsBreach> check_yaml_bounds(const YAML::Node& root, YamlBounds bounds = {});

}  // namespace mepsim::platform
