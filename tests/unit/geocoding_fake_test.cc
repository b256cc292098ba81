// Unit tests of fakes/geocoding: BAN's search over real HTTP on loopback, as the web
// container's geocoder calls it (sim/web/geocoder), GeoCodeJSON answers with deterministic
// scores, BAN's 400 for short queries, and the built-in profile's address table.

#include "fakes/geocoding/geocoding_fake.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "fakes/geocoding/address_search.h"
#include "harness/profile/default_profile.h"
#include "sim/platform/platform_profile.h"
#include "sim/web/geocoder.h"

namespace mepsim::fakes::geocoding {
namespace {

using nlohmann::json;

std::vector<platform::AddressProfile> profile_addresses() {
  auto profile = platform::parse_platform_profile(std::string(default_profile_yaml()),
                                                  std::string(kDefaultProfileName));
  EXPECT_TRUE(profile.ok()) << (profile.ok() ? "" : profile.error().message);
  return profile.ok() ? profile->addresses : std::vector<platform::AddressProfile>{};
}

class GeocodingFakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GeocodingFakeOptions options;
    options.addresses = profile_addresses();
    fake_ = std::make_unique<GeocodingFake>(options);
    ASSERT_TRUE(fake_->start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", fake_->port());
    // Targets go as written: '+' for a space, as browsers' forms send it.
    client_->set_url_encode(false);
  }

  json search(const std::string& target, int expected_status = 200) {
    auto res = client_->Get(target);
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << res->body;
    return json::parse(res->body, nullptr, false);
  }

  std::unique_ptr<GeocodingFake> fake_;
  std::unique_ptr<httplib::Client> client_;
};

// The built-in profile knows an address in every fixture territory (sim/web/fixtures).
TEST(GeocodingProfile, CoversTheFixtureTerritories) {
  std::set<std::string> postcodes;
  for (const auto& a : profile_addresses()) postcodes.insert(a.postcode);
  for (const char* postcode : {"01000", "13001", "20000", "20200", "33000", "34000", "44000",
                               "59000", "62000", "69001", "75001", "93200"}) {
    EXPECT_TRUE(postcodes.contains(postcode)) << postcode;
  }
}

// A bad address in a profile is refused with its line, not accepted.
TEST(GeocodingProfile, AddressesAreParsedStrictly) {
  const std::string head = "name: x\napps:\n  - name: a\n    formation: []\naddresses:\n";
  auto bad = platform::parse_platform_profile(
      head +
          "  - { label: L, street: S, postcode: '1300', citycode: '13201', city: C, lon: 1, "
          "lat: 2 }\n",
      "p.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("postcode"), std::string::npos) << bad.error().message;
  auto unknown = platform::parse_platform_profile(
      head +
          "  - { label: L, street: S, postcode: '13001', citycode: '13201', city: C, lon: 1, "
          "lat: 2, zip: '13' }\n",
      "p.yaml");
  EXPECT_FALSE(unknown.ok());
}

// The web container's geocoder finds the fixture address it searches for.
TEST_F(GeocodingFakeTest, AnswersTheWebGeocoder) {
  web::Geocoder geocoder(fake_->base_url(), std::chrono::seconds(5));
  auto found = geocoder.search("1 rue de la République 13001 Marseille");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->label, "1 Rue de la République 13001 Marseille");
  EXPECT_EQ(found->citycode, "13201");
  EXPECT_NEAR(found->latitude, 43.2965, 1e-9);
  EXPECT_NEAR(found->longitude, 5.3698, 1e-9);
  EXPECT_GT(found->score, 0.9);
}

// GeoCodeJSON with every property BAN answers, sorted by score, limit honoured.
TEST_F(GeocodingFakeTest, AnswersGeoCodeJson) {
  const json body = search("/search/?q=8+avenue+jean+jaures+lyon&limit=3");
  EXPECT_EQ(body["type"], "FeatureCollection");
  EXPECT_EQ(body["query"], "8 avenue jean jaures lyon");
  EXPECT_EQ(body["limit"], 3);
  EXPECT_EQ(body["licence"], "ETALAB-2.0");
  ASSERT_EQ(body["features"].size(), 3u);
  const json& best = body["features"][0];
  EXPECT_EQ(best["geometry"]["type"], "Point");
  EXPECT_EQ(best["properties"]["label"], "8 Avenue Jean Jaurès 69001 Lyon");
  for (const char* key : {"label", "score", "housenumber", "street", "postcode", "citycode", "city",
                          "context", "type", "id", "name", "x", "y", "importance"}) {
    EXPECT_TRUE(best["properties"].contains(key)) << key;
  }
  EXPECT_EQ(best["properties"]["type"], "housenumber");
  EXPECT_EQ(best["properties"]["name"], "8 Avenue Jean Jaurès");
  double previous = 1;
  for (const auto& f : body["features"]) {
    EXPECT_LE(f["properties"]["score"].get<double>(), previous);
    previous = f["properties"]["score"].get<double>();
  }
  // Same question, same answer.
  EXPECT_EQ(search("/search/?q=8+avenue+jean+jaures+lyon&limit=3"), body);
}

// Lyon's Lambert-93 coordinates are where IGN puts them (to the metre's order).
TEST(GeocodingSearch, LambertAndTokens) {
  const auto paris = to_lambert93(2.3522, 48.8566);
  EXPECT_NEAR(paris.x, 652'000, 1'500);
  EXPECT_NEAR(paris.y, 6'862'000, 1'500);
  EXPECT_EQ(search_tokens("Rue de l'Église, 2A"),
            (std::vector<std::string>{"rue", "de", "l", "eglise", "2a"}));
}

// BAN's 400s: q under 3 characters, or not starting with a letter or digit; bad limit.
TEST_F(GeocodingFakeTest, RefusesShortQueries) {
  const json expected = {
      {"code", 400},
      {"message", "q must contain at least 3 chars and start with a number or a letter"}};
  EXPECT_EQ(search("/search/?q=ab", 400), expected);
  EXPECT_EQ(search("/search/", 400), expected);
  EXPECT_EQ(search("/search/?q=%20%20abc", 200)["features"].size(), 0u);
  EXPECT_EQ(search("/search/?q=-rue", 400), expected);
  EXPECT_EQ(search("/search/?q=rue&limit=0", 400)["code"], 400);
  EXPECT_EQ(search("/search/?q=rue&limit=21", 400)["code"], 400);
  EXPECT_EQ(search("/search/?q=rue&citycode=13201", 400)["code"], 400);
  // Nothing in common: an empty collection, which the web geocoder reads as not found.
  EXPECT_TRUE(search("/search/?q=zzz+qqq")["features"].empty());
}

}  // namespace
}  // namespace mepsim::fakes::geocoding
