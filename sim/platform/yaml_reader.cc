#include "sim/platform/yaml_reader.h"

#include <fmt/format.h>

#include <set>

#include "sim/platform/yaml_bounds.h"

namespace mepsim::platform {

Result<YAML::Node> YamlReader::load(const std::string& text) const {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return error_at(e.mark, e.msg);
  }
  if (auto breach = check_yaml_bounds(root)) return error_at(breach->mark, breach->message);
  return root;
}

Error YamlReader::error_at(const YAML::Node& node, const std::string& what) const {
  return error_at(node.Mark(), what);
}

Error YamlReader::error_at(const YAML::Mark& mark, const std::string& what) const {
  if (mark.is_null()) return make_error(ErrorCode::invalid_input, source_ + ": " + what);
  return make_error(ErrorCode::invalid_input,
                    fmt::format("{}:{}:{}: {}", source_, mark.line + 1, mark.column + 1, what));
}

Result<void> YamlReader::read_map(const YAML::Node& node, const std::string& what,
                                  const std::map<std::string, Handler>& handlers,
                                  const std::vector<std::string>& required) const {
  if (!node.IsMap()) return error_at(node, what + " must be a map");
  std::set<std::string> seen;
  for (const auto& field : node) {
    const auto key = field.first.as<std::string>();
    const auto handler = handlers.find(key);
    if (handler == handlers.end()) {
      return error_at(field.first, fmt::format("unknown key '{}' in {}", key, what));
    }
    if (!seen.insert(key).second) return error_at(field.first, "duplicate key '" + key + "'");
    if (auto done = handler->second(field.second); !done) return done.error();
  }
  for (const auto& key : required) {
    if (!seen.contains(key)) return error_at(node, fmt::format("{} needs '{}'", what, key));
  }
  return {};
}

}  // namespace mepsim::platform
