#pragma once
// Lost writes: every report the app accepted (answered 2xx with its reference) is kept
// here, and at the end looked up in the app's MySQL `signalement` table. An accepted
// report missing there was lost; the check counts those.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/datastore/datastore_url.h"

namespace mepsim::load {

struct AcceptedWrite {
  std::string uuid;
  std::string reference;
};

// Thread-safe: every shard adds to it.
class AcceptedWrites {
 public:
  // 100k reports, about 8 MB: hours of a load test's submission rate. Past it the
  // reports are counted (unrecorded) but not checked.
  static constexpr std::size_t kRecordedMax = 100'000;

  // False when the list is full and the write was not kept.
  bool add(AcceptedWrite write);
  std::vector<AcceptedWrite> snapshot() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<AcceptedWrite> writes_;
};

struct LostWritesCheck {
  std::int64_t checked = 0;
  std::int64_t lost = 0;
  std::vector<std::string> lost_references;  // the first 20, for the report
};

// Looks each write up by uuid in `signalement` (in batches of 500).
Result<LostWritesCheck> find_lost_writes(const std::vector<AcceptedWrite>& writes,
                                         const MysqlUrl& url,
                                         Duration connect_timeout = std::chrono::seconds(5));

}  // namespace mepsim::load
