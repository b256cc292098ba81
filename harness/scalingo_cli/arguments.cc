#include "harness/scalingo_cli/arguments.h"

#include <algorithm>
#include <charconv>

namespace mepsim::scalingo_cli {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_input, std::move(message));
}

// A whole, non-negative decimal integer that fits an int (the API's amounts are int32).
std::optional<int> parse_amount(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

Result<VariableAssignment> parse_variable_assignment(std::string_view argument) {
  const std::string quoted = "'" + std::string(argument) + "' is invalid: ";
  const auto equals = argument.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == argument.size()) {
    return invalid(quoted + "format is invalid, accepted: VAR=VAL");
  }
  const std::string_view name = argument.substr(0, equals);
  if (!std::all_of(name.begin(), name.end(), is_name_char)) {
    return invalid(quoted +
                   "name can only be composed with alphanumerical characters, hyphens and "
                   "underscores");
  }
  return VariableAssignment{std::string(name), std::string(argument.substr(equals + 1))};
}

Result<std::vector<VariableAssignment>> parse_variable_assignments(
    const std::vector<std::string>& arguments) {
  std::vector<VariableAssignment> assignments;
  for (const auto& argument : arguments) {
    auto parsed = parse_variable_assignment(argument);
    if (!parsed) return parsed.error();
    auto same = std::find_if(assignments.begin(), assignments.end(),
                             [&](const auto& a) { return a.name == parsed->name; });
    if (same != assignments.end()) {
      same->value = std::move(parsed->value);
    } else {
      assignments.push_back(std::move(parsed).value());
    }
  }
  return assignments;
}

Result<ScaleTarget> parse_scale_target(std::string_view argument) {
  const std::string text(argument);
  const auto format_error = [&] {
    return invalid(text + " is invalid, format is <type>:<amount>[:<size>]");
  };
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto colon = argument.find(':', start);
    parts.push_back(argument.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 2 && parts.size() != 3) return format_error();
  if (parts[0].empty() || parts[1].empty()) return format_error();
  ScaleTarget target;
  target.type = std::string(parts[0]);
  if (parts.size() == 3) {
    if (parts[2].empty()) return format_error();
    target.size = std::string(parts[2]);
  }
  std::string_view amount = parts[1];
  if (amount.front() == '+' || amount.front() == '-') {
    target.change = amount.front() == '+' ? ScaleChange::add : ScaleChange::remove;
    amount.remove_prefix(1);
    if (!target.size.empty()) {
      return invalid(text +
                     " is invalid, can't use relative modificator with size, change the size "
                     "first");
    }
  }
  if (amount.empty()) return format_error();
  const auto value = parse_amount(amount);
  if (!value) return invalid(std::string(amount) + " in " + text + " should be an integer");
  target.amount = *value;
  return target;
}

Result<std::vector<ScaleTarget>> parse_scale_targets(const std::vector<std::string>& arguments) {
  std::vector<ScaleTarget> targets;
  for (const auto& argument : arguments) {
    auto parsed = parse_scale_target(argument);
    if (!parsed) return parsed.error();
    targets.push_back(std::move(parsed).value());
  }
  return targets;
}

Result<VariableAssignment> parse_run_env(std::string_view argument) {
  const auto equals = argument.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == argument.size()) {
    return invalid("'" + std::string(argument) +
                   "': Invalid environment, format is '--env VARIABLE=value'");
  }
  return VariableAssignment{std::string(argument.substr(0, equals)),
                            std::string(argument.substr(equals + 1))};
}

}  // namespace mepsim::scalingo_cli
