#include "harness/dashboard/live_loads.h"

#include <algorithm>

namespace mepsim::dashboard {

using nlohmann::json;

LiveLoads::Load& LiveLoads::load_named(const std::string& name, Merge& merge) {
  auto found =
      std::find_if(loads_.begin(), loads_.end(), [&](const Load& l) { return l.name == name; });
  if (found != loads_.end()) return *found;
  if (loads_.size() >= kLoadsKept) {
    auto oldest = std::min_element(loads_.begin(), loads_.end(), [](const Load& a, const Load& b) {
      return a.last_post < b.last_post;
    });
    merge.evicted.push_back(oldest->name);
    loads_.erase(oldest);
  }
  loads_.push_back({name, {}, 0});
  return loads_.back();
}

bool LiveLoads::insert(Load& load, const LoadPoint& point) {
  auto& points = load.points;
  const auto at = std::lower_bound(
      points.begin(), points.end(), point.second.second,
      [](const LoadPoint& p, std::int64_t second) { return p.second.second < second; });
  if (at != points.end() && at->second.second == point.second.second) {
    *at = point;
    return true;
  }
  if (points.size() >= kSecondsKept && at == points.begin()) return false;
  points.insert(at, point);
  if (points.size() > kSecondsKept) points.pop_front();
  return true;
}

LiveLoads::Merge LiveLoads::merge(const std::string& name, const std::vector<LoadSecond>& seconds) {
  Merge merge;
  Load& load = load_named(name, merge);
  load.last_post = ++posts_;
  for (const auto& s : seconds) {
    LoadPoint point{static_cast<double>(s.at_ms) / 1000.0 - origin_unix_s_, s};
    if (insert(load, point)) {
      merge.kept.push_back(std::move(point));
    } else {
      ++merge.stale;
    }
  }
  return merge;
}

std::vector<LoadPoint> LiveLoads::points(const std::string& name) const {
  for (const auto& load : loads_) {
    if (load.name == name) return {load.points.begin(), load.points.end()};
  }
  return {};
}

json LiveLoads::loads_json() const {
  std::vector<const Load*> order;
  for (const auto& load : loads_) order.push_back(&load);
  std::sort(order.begin(), order.end(),
            [](const Load* a, const Load* b) { return a->last_post < b->last_post; });
  json out = json::array();
  for (const Load* load : order) {
    json seconds = json::array();
    for (const auto& p : load->points) seconds.push_back(load_point_json(p));
    out.push_back({{"name", load->name}, {"seconds", std::move(seconds)}});
  }
  return out;
}

json load_point_json(const LoadPoint& point) {
  json out = load_second_json(point.second);
  out.erase("at_ms");
  out["t_s"] = point.t_s;
  return out;
}

}  // namespace mepsim::dashboard
