#pragma once
// The search behind the geocoding fake: an address table scored against a free-text
// query. Deterministic: the score is a pure function of the query and the label (token
// overlap, Dice coefficient over case- and accent-folded words), ties broken by label.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/platform/platform_profile.h"

namespace mepsim::fakes::geocoding {

struct ScoredAddress {
  const platform::AddressProfile* address = nullptr;  // into the table searched
  double score = 0;                                   // (0, 1), 4 decimals
};

// Lowercase words of `text`, accents folded ("République" → "republique"), punctuation
// as separators.
std::vector<std::string> search_tokens(std::string_view text);

// Addresses with at least one token in common with `query`, best first, at most `limit`.
std::vector<ScoredAddress> search_addresses(const std::vector<platform::AddressProfile>& table,
                                            std::string_view query, std::size_t limit);

// Lambert-93 (EPSG:2154) metres of WGS84 degrees, the `x`/`y` BAN answers with.
struct Lambert93 {
  double x = 0;
  double y = 0;
};
Lambert93 to_lambert93(double lon, double lat);

}  // namespace mepsim::fakes::geocoding
