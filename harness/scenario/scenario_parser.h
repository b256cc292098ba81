#pragma once
// Scenario files (scenario.h) read strictly: everything the parser does not understand is an
// error naming `file:line:col`, and every error of a file is reported at once, in file
// order, so that one `mepsim check` shows all there is to fix. Unknown keys, unknown step
// kinds, wrong types, missing keys, bad durations and enum values, out-of-range values and
// keys that no handler read are all errors; a scenario with any error is not returned.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim::scenario {

struct ParseError {
  SourcePos pos;
  std::string message;
  std::string str() const;  // "file:line:col: message"
};

struct ParseOutcome {
  std::optional<Scenario> scenario;  // present exactly when `errors` is empty
  std::vector<ParseError> errors;    // in file order; at most kMaxParseErrors + 1
};

// Past this many errors a file is mostly noise: the rest is counted in one last error.
inline constexpr std::size_t kMaxParseErrors = 100;
// Scenario files are written by hand; a bigger one is a mistake (a log, a dump).
inline constexpr std::uintmax_t kMaxScenarioFileBytes = 1 << 20;

// `file` names the text in positions and becomes Scenario::file.
ParseOutcome parse_scenario(const std::string& yaml_text, const std::string& file);
ParseOutcome parse_scenario_file(const std::filesystem::path& path);

// The scenario files the paths name, in order: a file as given, a folder as every *.yaml /
// *.yml below it, sorted, skipping `profiles/` folders (profiles are not scenarios).
// not_found when a path does not exist.
Result<std::vector<std::filesystem::path>> scenario_files(const std::vector<std::string>& paths);

}  // namespace mepsim::scenario
