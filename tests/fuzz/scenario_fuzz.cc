// libFuzzer target: the scenario parser on any text. The outcome is a scenario or errors,
// never both, never neither; every error names the file and a place inside the text (or
// the file as a whole, 0:0), errors come in file order and their number is bounded. A crash,
// an exception escaping or a sanitizer report is a bug of the parser.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "harness/scenario/scenario_parser.h"

namespace {

using mepsim::scenario::ParseError;

void check_error(const ParseError& error, int lines) {
  if (error.pos.file != "fuzz.yaml" || error.message.empty()) std::abort();
  const bool whole_file = error.pos.line == 0 && error.pos.column == 0;
  const bool inside = error.pos.line >= 1 && error.pos.line <= lines && error.pos.column >= 1;
  if (!whole_file && !inside) std::abort();
  if (error.str().rfind("fuzz.yaml:", 0) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto outcome = mepsim::scenario::parse_scenario(text, "fuzz.yaml");
  if (outcome.scenario.has_value() == !outcome.errors.empty()) std::abort();
  if (outcome.errors.size() > mepsim::scenario::kMaxParseErrors + 1) std::abort();
  // A bound on the lines a reader can count, whichever breaks it takes.
  const auto breaks =
      std::count(text.begin(), text.end(), '\n') + std::count(text.begin(), text.end(), '\r');
  const int lines = static_cast<int>(breaks) + 1;
  std::pair<int, int> previous{0, 0};
  for (const auto& error : outcome.errors) {
    check_error(error, lines);
    const std::pair<int, int> at{error.pos.line, error.pos.column};
    // The one line counting the errors past the bound comes last, at 0:0.
    const bool counted_rest = &error == &outcome.errors.back() && at == std::pair{0, 0} &&
                              outcome.errors.size() == mepsim::scenario::kMaxParseErrors + 1;
    if (at < previous && !counted_rest) std::abort();
    previous = at;
  }
  if (outcome.scenario && (outcome.scenario->steps.empty() || outcome.scenario->name.empty())) {
    std::abort();
  }
  return 0;
}
