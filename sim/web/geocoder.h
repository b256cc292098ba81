#pragma once
// The BAN geocoding search the report form calls (FACTS.md "Other third parties"),
// bounded by a timeout: a slow geocoder delays a report by at most that, never more.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::web {

struct GeocodedAddress {
  double latitude = 0;
  double longitude = 0;
  std::string label;
  std::string citycode;
  double score = 0;
};

class Geocoder {
 public:
  // `base_url` e.g. "http://127.0.0.1:4011" (the geocoding fake); empty: geocoding off.
  Geocoder(std::string base_url, Duration timeout);
  bool enabled() const { return !base_url_.empty(); }
  // The best feature; not_found when there is none; timeout/unavailable as http_exchange.
  Result<GeocodedAddress> search(const std::string& query) const;

 private:
  std::string base_url_;
  Duration timeout_;
};

}  // namespace mepsim::web
