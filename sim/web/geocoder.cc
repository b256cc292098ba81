#include "sim/web/geocoder.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/net/http_client.h"

namespace mepsim::web {

namespace {

using nlohmann::json;

constexpr std::size_t kBodyExcerptChars = 200;

Error malformed(std::string_view what) {
  return make_error(ErrorCode::unavailable,
                    fmt::format("geocoder answered malformed GeoCodeJSON: {}", what));
}

std::string string_or_empty(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first feature of a GeoCodeJSON FeatureCollection; every field is checked before it
// is read, so that no nlohmann exception can leave (the answer is outside input).
Result<GeocodedAddress> parse_feature_collection(const std::string& body) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return malformed("not JSON");
  if (!document.is_object()) return malformed("not a JSON object");
  const auto features = document.find("features");
  if (features == document.end() || !features->is_array()) {
    return malformed("no \"features\" array");
  }
  if (features->empty()) {
    return make_error(ErrorCode::not_found, "geocoder found no address");
  }
  const json& feature = features->front();
  if (!feature.is_object()) return malformed("features[0] is not an object");
  const auto geometry = feature.find("geometry");
  const json* coordinates = nullptr;
  if (geometry != feature.end() && geometry->is_object() && geometry->contains("coordinates")) {
    coordinates = &(*geometry)["coordinates"];
  }
  if (coordinates == nullptr || !coordinates->is_array() || coordinates->size() < 2 ||
      !(*coordinates)[0].is_number() || !(*coordinates)[1].is_number()) {
    return malformed("features[0].geometry.coordinates is not [lon, lat]");
  }
  const auto properties = feature.find("properties");
  if (properties == feature.end() || !properties->is_object()) {
    return malformed("features[0].properties is not an object");
  }
  GeocodedAddress address;
  address.longitude = (*coordinates)[0].get<double>();
  address.latitude = (*coordinates)[1].get<double>();
  address.label = string_or_empty(*properties, "label");
  if (address.label.empty()) return malformed("features[0].properties.label is missing");
  address.citycode = string_or_empty(*properties, "citycode");
  const auto score = properties->find("score");
  if (score != properties->end() && score->is_number()) address.score = score->get<double>();
  return address;
}

}  // namespace

Geocoder::Geocoder(std::string base_url, Duration timeout)
    : base_url_(std::move(base_url)), timeout_(timeout) {
  while (base_url_.ends_with('/')) base_url_.pop_back();
}

Result<GeocodedAddress> Geocoder::search(const std::string& query) const {
  if (!enabled()) {
    return make_error(ErrorCode::unavailable, "geocoding is off (no geocoder URL configured)");
  }
  auto url = parse_http_url(base_url_ + "/search/?q=" + url_encode(query) + "&limit=1");
  if (!url) return url.error().context("geocoder URL");
  HttpExchange exchange;
  exchange.url = std::move(url.value());
  exchange.headers = {{"Accept", "application/json"}};
  exchange.timeout = timeout_;
  auto reply = http_exchange(exchange);
  if (!reply) return reply.error().context("geocoding");
  if (reply->status != 200) {
    return make_error(ErrorCode::unavailable,
                      fmt::format("geocoder answered {}: {}", reply->status,
                                  reply->body.substr(0, kBodyExcerptChars)));
  }
  return parse_feature_collection(reply->body);
}

}  // namespace mepsim::web
