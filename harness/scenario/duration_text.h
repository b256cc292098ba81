#pragma once
// Durations as scenarios write them: "90s", "30m", "2h", "1h30m", "500ms", "1d". A unit is
// always required: a bare "90" could mean anything.

#include <string>
#include <string_view>

#include "harness/scenario/scenario.h"
#include "sim/core/result.h"

namespace mepsim::scenario {

// invalid_input with a message saying what was expected.
Result<Duration> parse_duration(std::string_view text);

// The shortest text parse_duration reads back, "1h30m", "500ms", "0s" (a sub-millisecond
// rest shows as "ns", which scenarios cannot write).
std::string format_duration(Duration duration);

}  // namespace mepsim::scenario
