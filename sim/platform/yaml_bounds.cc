#include "sim/platform/yaml_bounds.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace mepsim::platform {

std::optional<YamlBoundsBreach> check_yaml_bounds(const YAML::Node& root, YamlBounds bounds) {
  // Iterative, and values are counted as they are queued, not walked: one list of many
  // aliases, itself aliased, must not fill the queue before the count stops it.
  std::vector<std::pair<YAML::Node, std::size_t>> pending;
  std::size_t values = 0;
  std::optional<YamlBoundsBreach> breach;
  const auto queue = [&](const YAML::Node& node, std::size_t depth) {
    if (++values > bounds.max_values) {
      breach = YamlBoundsBreach{
          node.Mark(), fmt::format("the document holds more than {} values once its aliases are "
                                   "expanded (anchors and '*' references multiply what they name)",
                                   bounds.max_values)};
    } else if (depth > bounds.max_depth) {
      breach = YamlBoundsBreach{
          node.Mark(), fmt::format("values nested deeper than {} levels", bounds.max_depth)};
    } else {
      pending.emplace_back(node, depth);
    }
    return !breach;
  };
  if (!queue(root, 1)) return breach;
  while (!pending.empty()) {
    auto [node, depth] = std::move(pending.back());
    pending.pop_back();
    if (node.IsSequence()) {
      for (const auto& item : node) {
        if (!queue(item, depth + 1)) return breach;
      }
    } else if (node.IsMap()) {
      for (const auto& field : node) {
        if (!queue(field.first, depth + 1) || !queue(field.second, depth + 1)) return breach;
      }
    }
  }
  return std::nullopt;
}

}  // namespace mepsim::platform
