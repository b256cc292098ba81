#include "tests/house/include_rules.h"

#include <array>
#include <regex>
#include <sstream>

namespace mepsim::house {
namespace {

std::string_view top_folder(std::string_view path) {
  return path.substr(0, path.find('/'));
}

template <typename Check>
std::vector<Violation> scan(std::string_view path, std::string_view content, Check check) {
  std::vector<Violation> found;
  std::istringstream lines{std::string(content)};
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (auto rule = check(line); !rule.empty()) {
      found.push_back({std::string(path), number, line, std::move(rule)});
    }
  }
  return found;
}

// Which top folders a file in `from` may include from.
bool allowed(std::string_view from, std::string_view to) {
  if (to == "bench" || to == "tests") return from == "bench" || from == "tests";
  if (from == "sim") return to == "sim";
  if (from == "fakes") return to == "sim" || to == "fakes";
  return true;  // harness, bench and tests may include sim, fakes and harness
}

}  // namespace

std::vector<Violation> include_violations(std::string_view path, std::string_view content) {
  static const std::regex kInclude(
      R"(^\s*#\s*include\s*[<"](?:[^">]*/)?(sim|fakes|harness|bench|tests)/)");
  const std::string_view from = top_folder(path);
  return scan(path, content, [&](const std::string& line) -> std::string {
    std::smatch match;
    if (!std::regex_search(line, match, kInclude)) return {};
    const std::string to = match[1];
    if (allowed(from, to)) return {};
    return std::string(from) + "/ may not include " + to + "/";
  });
}

std::vector<Violation> nondeterminism_violations(std::string_view path, std::string_view content) {
  const std::string_view from = top_folder(path);
  if (from != "sim" && from != "fakes" && from != "harness") return {};
  const std::string_view name = path.substr(path.rfind('/') + 1);
  for (std::string_view exempt : {"clock", "rng", "random"}) {
    if (name.find(exempt) != std::string_view::npos) return {};
  }
  static const std::regex kBanned(
      R"(system_clock::now|steady_clock::now|high_resolution_clock::now|sleep_for|sleep_until|)"
      R"(\busleep\s*\(|\bnanosleep\s*\(|gettimeofday|clock_gettime|[^_a-zA-Z.>]rand\s*\(|)"
      R"(random_device|\btime\s*\(\s*(nullptr|NULL|0)\s*\))");
  return scan(path, content, [&](const std::string& line) -> std::string {
    std::smatch match;
    if (!std::regex_search(line, match, kBanned)) return {};
    return "'" + match.str() + "' outside Clock/Rng: inject the Clock or the Rng instead";
  });
}

}  // namespace mepsim::house
