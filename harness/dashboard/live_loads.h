#pragma once
// The loads that post their seconds to the dashboard (`mepsim load`, load_seconds.h), by
// name: each a ring of its last kSecondsKept seconds, in order of `second` whatever order
// they came in, a second posted again replacing the one held (the load sends its last
// second again once its lost writes are known). At most kLoadsKept loads: a new one
// takes the place of the one that posted least recently. Memory is fixed.
//
// Seconds sit on the dashboard's axis (t_s: real seconds since it started), where its
// charts put the deployments, restarts and toggles: a second's `at_ms` minus the
// dashboard's start. Not thread-safe: the live dashboard holds it under its lock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/dashboard/load_seconds.h"

namespace mepsim::dashboard {

struct LoadPoint {
  double t_s = 0;
  LoadSecond second;
};

class LiveLoads {
 public:
  static constexpr std::size_t kSecondsKept = 600;
  static constexpr std::size_t kLoadsKept = 8;

  struct Merge {
    std::vector<LoadPoint> kept;       // new or replacing, in the order given
    std::size_t stale = 0;             // older than a full ring's oldest: not kept
    std::vector<std::string> evicted;  // loads dropped to make room for this one
  };

  // `origin_unix_s`: the dashboard's start, unix seconds.
  explicit LiveLoads(double origin_unix_s) : origin_unix_s_(origin_unix_s) {}

  Merge merge(const std::string& name, const std::vector<LoadSecond>& seconds);

  std::size_t size() const { return loads_.size(); }
  // The load's points, oldest second first; empty for an unknown name.
  std::vector<LoadPoint> points(const std::string& name) const;
  // [{"name", "seconds": [load_point_json…]}], the most recently posted last.
  nlohmann::json loads_json() const;

 private:
  struct Load {
    std::string name;
    std::deque<LoadPoint> points;  // ascending `second`, at most kSecondsKept
    std::uint64_t last_post = 0;
  };
  Load& load_named(const std::string& name, Merge& merge);
  bool insert(Load& load, const LoadPoint& point);

  double origin_unix_s_;
  std::vector<Load> loads_;  // at most kLoadsKept
  std::uint64_t posts_ = 0;
};

// load_second_json without at_ms, with "t_s": what the page draws.
nlohmann::json load_point_json(const LoadPoint& point);

}  // namespace mepsim::dashboard
