#pragma once
// The house rules DESIGN.md sets for every source file, as pure functions over a file's
// path and text, so that they can be tested on files made up for the purpose.

#include <string>
#include <string_view>
#include <vector>

namespace mepsim::house {

struct Violation {
  std::string file;
  int line = 0;
  std::string text;
  std::string rule;
};

// Includes flow harness -> fakes -> sim only, and nothing includes bench/ or tests/.
// `path` is relative to the project root ("sim/core/clock.cc").
std::vector<Violation> include_violations(std::string_view path, std::string_view content);

// Outside the Clock and Rng implementations, sim/, fakes/ and harness/ neither read the
// clock, sleep, nor draw randomness directly.
std::vector<Violation> nondeterminism_violations(std::string_view path, std::string_view content);

}  // namespace mepsim::house
