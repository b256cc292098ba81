#include "sim/web/signalement_fields.h"

#include <fmt/format.h>

#include <algorithm>

namespace mepsim::web {

std::optional<std::string> territory_zip_for_postcode(std::string_view postcode) {
  if (postcode.size() != 5 ||
      !std::all_of(postcode.begin(), postcode.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const std::string_view two = postcode.substr(0, 2);
  if (two == "00" || two == "96" || two == "99") return std::nullopt;  // no such department
  if (two == "20") {
    // Corsica shares "20": the south's offices are numbered below the north's.
    return postcode[2] <= '1' ? std::string("2A") : std::string("2B");
  }
  if (two == "97" || two == "98") return std::string(postcode.substr(0, 3));
  return std::string(two);
}

std::string format_reference(int year, std::int64_t number) {
  return fmt::format("{}-{}", year, number);
}

}  // namespace mepsim::web
