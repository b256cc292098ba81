#include "harness/scenario/duration_text.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace mepsim::scenario {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

// Longest names first, so that "ms" is not read as "m" then "s".
constexpr std::array<Unit, 5> kUnits{{{"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000},
                                      {"d", 86'400'000'000'000}}};

// Beyond a year a scenario's virtual time is surely a typo; keeps the sums far from overflow.
constexpr std::int64_t kMaxDurationNs = 366 * 86'400'000'000'000;

Error bad(std::string_view text, std::string_view why) {
  return make_error(
      ErrorCode::invalid_input,
      fmt::format("bad duration '{}': {} (write e.g. 90s, 30m, 1h30m, 500ms, 1d)", text, why));
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return bad(text, "it is empty");
  std::int64_t total_ns = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t amount = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), amount);
    if (ec == std::errc::result_out_of_range) return bad(text, "the number is too large");
    if (ec != std::errc() || text[i] == '-' || text[i] == '+') {
      return bad(text, "expected a whole number followed by a unit");
    }
    i = static_cast<std::size_t>(end - text.data());
    const Unit* unit = nullptr;
    for (const auto& candidate : kUnits) {
      if (text.substr(i, candidate.name.size()) == candidate.name) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) {
      if (i == text.size()) return bad(text, "a unit is required (ms, s, m, h, d)");
      return bad(text, text[i] == '.' ? "no fractions: combine units instead"
                                      : "units are ms, s, m, h and d");
    }
    i += unit->name.size();
    if (amount > kMaxDurationNs / unit->ns || total_ns + amount * unit->ns > kMaxDurationNs) {
      return bad(text, "more than a year");
    }
    total_ns += amount * unit->ns;
  }
  return Duration(total_ns);
}

std::string format_duration(Duration duration) {
  std::int64_t rest_ns = duration.count();
  if (rest_ns == 0) return "0s";
  std::string text;
  if (rest_ns < 0) {
    text = "-";
    rest_ns = -rest_ns;
  }
  for (auto unit = kUnits.rbegin(); unit != kUnits.rend(); ++unit) {
    if (rest_ns >= unit->ns) {
      text += fmt::format("{}{}", rest_ns / unit->ns, unit->name);
      rest_ns %= unit->ns;
    }
  }
  if (rest_ns > 0) text += fmt::format("{}ns", rest_ns);
  return text;
}

}  // namespace mepsim::scenario
