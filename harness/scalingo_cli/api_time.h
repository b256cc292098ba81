#pragma once
// Times as the API sends them (RFC 3339: "2026-01-05T08:00:00.000Z") and as the real CLI
// prints them (utils.TimeFormat "2006/01/02 15:04:05", Go's Duration.String()).

#include <optional>
#include <string>
#include <string_view>

#include "sim/core/clock.h"

namespace mepsim::scalingo_cli {

// The instant an RFC 3339 timestamp names; nullopt when it is not one.
std::optional<Instant> parse_api_time(std::string_view text);

// "2026/01/05 08:00:00", in the timestamp's own offset (as Go's Format keeps it); the text
// unchanged when it is not a timestamp.
std::string format_cli_time(std::string_view text);

// Seconds from `start` to `end`, both RFC 3339; nullopt when either is missing or bad.
std::optional<double> elapsed_seconds(std::string_view start, std::string_view end);

// Go's time.Duration String() for whole seconds: "45s", "1m5s", "1h0m0s", "0s".
std::string go_duration(long long seconds);

}  // namespace mepsim::scalingo_cli
