#pragma once
// The documents of a scenario file, read without YAML::LoadAll: yaml-cpp 0.7 (Debian 12)
// loops forever on a stream such as "," — its parser hands out empty documents without
// moving on, and LoadAll keeps every one until memory runs out (yaml-cpp issue #1040, fixed
// upstream after 0.7). Here the documents are counted by the parser's events, a few at most,
// and one that starts where the previous one started is a syntax error.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace mepsim::scenario::yaml {

struct ScenarioDocuments {
  YAML::Node first;                        // Null for an empty stream
  std::optional<YAML::Mark> second_start;  // where a second document starts, if one does
};

// Throws YAML::ParserException, as YAML::Load does, at the place the reader stopped.
ScenarioDocuments read_documents(const std::string& text);

}  // namespace mepsim::scenario::yaml
