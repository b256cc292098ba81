#include "fakes/geocoding/address_search.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <set>
#include <utility>

namespace mepsim::fakes::geocoding {
namespace {

// The two-byte UTF-8 Latin-1 letters French addresses use, folded to ASCII.
char fold_latin1(unsigned char lead, unsigned char trail) {
  if (lead != 0xC3) return 0;
  static constexpr std::string_view kFolded = "aaaaaaaceeeeiiiidnooooo/ouuuuyby";  // U+00E0..U+00FF
  if (trail >= 0xA0 && trail <= 0xBF) return kFolded[trail - 0xA0];
  if (trail >= 0x80 && trail <= 0x9F) {  // U+00C0..U+00DF, upper case
    const char c = kFolded[trail - 0x80];
    return c == '/' ? 0 : c;
  }
  return 0;
}

}  // namespace

std::vector<std::string> search_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c)) {
      current += static_cast<char>(std::tolower(c));
    } else if (c >= 0x80 && i + 1 < text.size()) {
      const char folded = fold_latin1(c, static_cast<unsigned char>(text[i + 1]));
      if (folded != 0 && folded != '/') {
        current += folded;
        ++i;
      } else {
        flush();
      }
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

std::vector<ScoredAddress> search_addresses(const std::vector<platform::AddressProfile>& table,
                                            std::string_view query, std::size_t limit) {
  const auto query_tokens = search_tokens(query);
  const std::multiset<std::string> wanted(query_tokens.begin(), query_tokens.end());
  std::vector<ScoredAddress> found;
  for (const auto& address : table) {
    const auto label_tokens = search_tokens(address.label);
    std::multiset<std::string> unmatched = wanted;
    std::size_t common = 0;
    for (const auto& token : label_tokens) {
      const auto hit = unmatched.find(token);
      if (hit == unmatched.end()) continue;
      unmatched.erase(hit);
      ++common;
    }
    if (common == 0) continue;
    // Dice over words, kept under 1 as BAN's scores are.
    const double dice = 2.0 * static_cast<double>(common) /
                        static_cast<double>(query_tokens.size() + label_tokens.size());
    found.push_back({&address, std::round(0.99 * dice * 1e4) / 1e4});
  }
  std::sort(found.begin(), found.end(), [](const ScoredAddress& a, const ScoredAddress& b) {
    return a.score != b.score ? a.score > b.score : a.address->label < b.address->label;
  });
  if (found.size() > limit) found.resize(limit);
  return found;
}

Lambert93 to_lambert93(double lon, double lat) {
  // IGN's Lambert-93 constants: conic conformal, GRS80, tangent at 46.5°N, origin 3°E.
  constexpr double kN = 0.7256077650532670;
  constexpr double kC = 11754255.426096;
  constexpr double kXs = 700000.0;
  constexpr double kYs = 12655612.049876;
  constexpr double kE = 0.08181919104281579;  // GRS80 first eccentricity
  constexpr double kLon0 = 3.0 * std::numbers::pi / 180.0;
  const double phi = lat * std::numbers::pi / 180.0;
  const double lambda = lon * std::numbers::pi / 180.0;
  const double e_sin = kE * std::sin(phi);
  const double iso_lat = std::log(std::tan(std::numbers::pi / 4 + phi / 2) *
                                  std::pow((1 - e_sin) / (1 + e_sin), kE / 2));
  const double r = kC * std::exp(-kN * iso_lat);
  const double theta = kN * (lambda - kLon0);
  return {std::round((kXs + r * std::sin(theta)) * 100) / 100,
          std::round((kYs - r * std::cos(theta)) * 100) / 100};
}

}  // namespace mepsim::fakes::geocoding
