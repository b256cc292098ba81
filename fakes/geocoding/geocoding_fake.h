#pragma once
// The BAN geocoding search (api-adresse.data.gouv.fr), faked: `GET /search/?q=…&limit=N`
// answered in GeoCodeJSON from a small address table (the profile's `addresses:`), with
// deterministic scores (FACTS.md "Other third parties"). A query that matches no address
// finds an empty FeatureCollection, as BAN does for nonsense.
//
// Errors in BAN's shape: 400 {"code":400,"message":"q must contain at least 3 chars and
// start with a number or a letter"}; stricter than BAN, a limit outside 1-20 or a
// parameter it does not know is a 400 too (noted in the journal).
//
// Thread-safety: the table is fixed at construction; every member may be called from any
// thread while it serves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/chaos.h"
#include "fakes/common/request_journal.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/platform/platform_profile.h"

namespace mepsim::fakes::geocoding {

struct GeocodingFakeOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free one; port() tells which
  std::vector<platform::AddressProfile> addresses;
  const Clock* control_clock = nullptr;  // outage windows; null: the latency clock
  Clock* latency_clock = nullptr;        // handler latency; null: a RealClock of its own
  Chaos* chaos = nullptr;                // null: no chaos; operation "search"
  int threads = 4;
  std::size_t journal_capacity = RequestJournal::kDefaultCapacity;
};

class GeocodingFake {
 public:
  // BAN's own bounds on `limit` (default 5) and on the length of `q`.
  static constexpr int kLimitDefault = 5;
  static constexpr int kLimitMax = 20;
  static constexpr std::size_t kQueryCharsMax = 200;

  explicit GeocodingFake(GeocodingFakeOptions options);
  ~GeocodingFake();  // stops
  GeocodingFake(const GeocodingFake&) = delete;
  GeocodingFake& operator=(const GeocodingFake&) = delete;

  Result<void> start();  // `conflict` when started twice, `unavailable` when it cannot bind
  void stop();           // idempotent

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT": GEOCODING_API_URL
  RequestJournal& journal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::geocoding
