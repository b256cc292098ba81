#pragma once
// Instants in report files: ISO 8601 in UTC, to the millisecond as format_iso8601 writes
// them, with more digits only when an instant has them, so that reading a report back gives
// the very same instants.

#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::report {

// "2026-01-05T08:00:00.000Z", or "2026-01-05T08:00:00.000000250Z" for a sub-millisecond part.
std::string format_instant(Instant t);

// Reads "YYYY-MM-DDTHH:MM:SS[.fraction]" followed by "Z" or "+HH:MM"/"-HH:MM"; the fraction
// has 1 to 9 digits. The error quotes the text.
Result<Instant> parse_instant(std::string_view text);

// "08:12:03.120": the time of day (UTC) a table cell shows.
std::string format_time_of_day(Instant t);

}  // namespace mepsim::report
