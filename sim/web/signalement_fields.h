#pragma once
// What a report's row derives from its input rather than takes from it: its territory
// (from the postcode's department) and its reference (the year and the year's number).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mepsim::web {

// The territory zip of a French postcode: its department. "13001" → "13", Corsica's
// "20000"-"20199" → "2A" and "20200"-"20699" → "2B", the overseas "97100" → "971".
// Empty for anything but five digits of a department that exists.
std::optional<std::string> territory_zip_for_postcode(std::string_view postcode);

// "2026-17": what the public sees and types to find a report.
std::string format_reference(int year, std::int64_t number);

}  // namespace mepsim::web
