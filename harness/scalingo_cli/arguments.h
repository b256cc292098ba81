#pragma once
// The command-line arguments of `scalingo env-set`, `scale` and `run -e`, checked before
// any request is sent (nothing half-applied). Errors quote the bad argument the way the
// real CLI does (env/edit.go, apps/scale.go, apps/run.go) and are invalid_input (exit 2).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::scalingo_cli {

struct VariableAssignment {
  std::string name;
  std::string value;
};

// "NAME=value": the name made of letters, digits, '-' and '_', the value not empty (the
// real CLI refuses `NAME=`); the value may itself hold '='.
Result<VariableAssignment> parse_variable_assignment(std::string_view argument);
// All of them, or the first error. A name given twice keeps its last value, at the place
// of its first appearance.
Result<std::vector<VariableAssignment>> parse_variable_assignments(
    const std::vector<std::string>& arguments);

enum class ScaleChange { set, add, remove };

// "web:2", "web:2:L", "worker:+1", "worker:-1".
struct ScaleTarget {
  std::string type;
  ScaleChange change = ScaleChange::set;
  int amount = 0;    // with add/remove: how many to add or remove
  std::string size;  // "" keeps the current size
};

Result<ScaleTarget> parse_scale_target(std::string_view argument);
Result<std::vector<ScaleTarget>> parse_scale_targets(const std::vector<std::string>& arguments);

// `run -e NAME=value`: both sides non-empty.
Result<VariableAssignment> parse_run_env(std::string_view argument);

}  // namespace mepsim::scalingo_cli
