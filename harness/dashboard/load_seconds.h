#pragma once
// What a running `mepsim load` posts to the dashboard of the `mepsim up` it targets
// (`POST /load/{name}/seconds`, a JSON array): each closed second of the load, as the load
// counted it. One shape for both ends, read strictly: every field is required, none other
// is accepted, and an error names the field ("seconds[3].p99_ms: …").
//
//   {"second": 12, "at_ms": 1795000012000, "requests": 40,
//    "status": {"2xx": 38, "3xx": 1, "4xx": 0, "5xx": 0, "other": 0}, "errors": 1,
//    "p50_ms": 4.1, "p90_ms": 9.8, "p99_ms": 31.0, "session_losses": 0,
//    "lost_writes": null, "phase": "toggle-1-maintenance"}

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace mepsim::dashboard {

inline constexpr std::size_t kLoadBodyBytesMax = 256 * 1024;  // beyond: 413
inline constexpr std::size_t kLoadSecondsPerPostMax = 600;
inline constexpr std::size_t kLoadNameBytesMax = 64;
inline constexpr std::size_t kLoadPhaseBytesMax = 64;

inline constexpr std::array<const char*, 5> kLoadStatusClasses = {"2xx", "3xx", "4xx", "5xx",
                                                                  "other"};

struct LoadSecond {
  std::int64_t second = 0;  // since the load's start
  std::int64_t at_ms = 0;   // the second's start, unix time in milliseconds
  std::int64_t requests = 0;
  std::array<std::int64_t, kLoadStatusClasses.size()> status{};  // answers by class
  std::int64_t errors = 0;                                       // exchanges without an HTTP answer
  // Of the second's answered exchanges; none when nothing was answered.
  std::optional<double> p50_ms, p90_ms, p99_ms;
  std::int64_t session_losses = 0;          // users sent to log in again unexpectedly
  std::optional<std::int64_t> lost_writes;  // accepted writes missing in MySQL, once checked
  std::string phase;                        // the load's phase when the second ended

  bool operator==(const LoadSecond&) const = default;
};

// A load's name in the URL and on the page: 1 to 64 of [A-Za-z0-9._-].
bool valid_load_name(std::string_view name);

// The body of a POST: a JSON array of 1 to kLoadSecondsPerPostMax seconds. invalid_input
// naming the field on anything else.
Result<std::vector<LoadSecond>> parse_load_seconds(std::string_view body);

nlohmann::json load_second_json(const LoadSecond& second);

}  // namespace mepsim::dashboard
