// Unit tests of sim/web/geocoder.h against an in-process BAN imitation: the request it
// sends, the GeoCodeJSON answer it reads (written after the BAN documentation's example),
// and what becomes of an empty, refused, malformed or slow answer.

#include "sim/web/geocoder.h"

#include <gtest/gtest.h>

#include "tests/unit/stub_http_peer.h"

namespace mepsim::web {
namespace {

using stub::make_response;
using stub::StubHttpPeer;
namespace http = boost::beast::http;

constexpr Duration kGeocoderTimeout = std::chrono::seconds(5);

// What api-adresse.data.gouv.fr / the Géoplateforme answer to "8 bd du port" (limit=1).
constexpr const char* kBanAnswer = R"({
  "type": "FeatureCollection",
  "version": "draft",
  "features": [{
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [2.290084, 49.897443]},
    "properties": {
      "label": "8 Boulevard du Port 80000 Amiens",
      "score": 0.49159121588068583,
      "housenumber": "8",
      "id": "80021_6590_00008",
      "name": "8 Boulevard du Port",
      "postcode": "80000",
      "citycode": "80021",
      "x": 648952.58,
      "y": 6977867.25,
      "city": "Amiens",
      "context": "80, Somme, Hauts-de-France",
      "type": "housenumber",
      "importance": 0.6706612694243868,
      "street": "Boulevard du Port"
    }
  }],
  "attribution": "BAN",
  "licence": "ETALAB-2.0",
  "query": "8 bd du port",
  "limit": 1
})";

TEST(Geocoder, ReadsTheBestFeatureOfABanAnswer) {
  // The first feature's [lon, lat], label, citycode and score; the query is form-encoded.
  StubHttpPeer ban([](const Request&) { return make_response(http::status::ok, kBanAnswer); });
  const Geocoder geocoder(ban.base_url() + "/", kGeocoderTimeout);
  ASSERT_TRUE(geocoder.enabled());
  const auto address = geocoder.search("8 bd du port");
  ASSERT_TRUE(address.ok()) << address.error().message;
  EXPECT_DOUBLE_EQ(address->longitude, 2.290084);
  EXPECT_DOUBLE_EQ(address->latitude, 49.897443);
  EXPECT_EQ(address->label, "8 Boulevard du Port 80000 Amiens");
  EXPECT_EQ(address->citycode, "80021");
  EXPECT_DOUBLE_EQ(address->score, 0.49159121588068583);
  const auto requests = ban.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method(), http::verb::get);
  EXPECT_EQ(requests[0].target(), "/search/?q=8+bd+du+port&limit=1");
}

TEST(Geocoder, NoFeatureIsNotFound) {
  // An address the BAN does not know: not_found, not a failure of the service.
  StubHttpPeer ban([](const Request&) {
    return make_response(http::status::ok,
                         R"({"type":"FeatureCollection","version":"draft","features":[],)"
                         R"("attribution":"BAN","licence":"ETALAB-2.0","query":"zzzz","limit":1})");
  });
  const auto address = Geocoder(ban.base_url(), kGeocoderTimeout).search("zzzz");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, ErrorCode::not_found);
}

TEST(Geocoder, ErrorStatusIsUnavailableWithTheStatus) {
  // A 400 (query under 3 characters) or a 503 is unavailable, naming the status.
  StubHttpPeer ban([](const Request&) {
    return make_response(http::status::bad_request,
                         R"({"code":400,"message":"q must contain between 3 and 200 chars"})");
  });
  const auto address = Geocoder(ban.base_url(), kGeocoderTimeout).search("ab");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, ErrorCode::unavailable);
  EXPECT_NE(address.error().message.find("400"), std::string::npos) << address.error().message;
}

TEST(Geocoder, MalformedAnswersAreUnavailableAndNamed) {
  // Not JSON, no features, or a feature without coordinates: unavailable, saying so.
  for (const char* body :
       {"<html>busy</html>", R"({"type":"FeatureCollection"})",
        R"({"features":[{"geometry":{"coordinates":[2.29]},"properties":{"label":"x"}}]})",
        R"({"features":[{"geometry":{"coordinates":["2","49"]},"properties":{"label":"x"}}]})",
        R"({"features":[{"geometry":{"coordinates":[2.2,49.8]}}]})", "[1,2]"}) {
    StubHttpPeer ban([body](const Request&) { return make_response(http::status::ok, body); });
    const auto address = Geocoder(ban.base_url(), kGeocoderTimeout).search("8 bd du port");
    ASSERT_FALSE(address.ok()) << body;
    EXPECT_EQ(address.error().code, ErrorCode::unavailable) << body;
    EXPECT_NE(address.error().message.find("malformed"), std::string::npos)
        << address.error().message;
  }
}

TEST(Geocoder, SilentGeocoderIsATimeout) {
  // A geocoder that never answers delays the report by the bound, then says timeout.
  stub::SilentPeer ban;
  const Geocoder geocoder("http://127.0.0.1:" + std::to_string(ban.port()),
                          std::chrono::milliseconds(200));
  const auto address = geocoder.search("8 bd du port");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, ErrorCode::timeout) << address.error().message;
}

TEST(Geocoder, EmptyBaseUrlIsOff) {
  // No URL configured: disabled, and a search says so instead of trying.
  const Geocoder geocoder("", kGeocoderTimeout);
  EXPECT_FALSE(geocoder.enabled());
  EXPECT_FALSE(geocoder.search("8 bd du port").ok());
}

}  // namespace
}  // namespace mepsim::web
