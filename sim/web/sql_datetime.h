#pragma once
// Times as the app's tables hold them: DATETIME(3) in UTC, written and read as text so
// that neither the server's nor the client's time zone can shift them.

#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::web {

// "2026-01-05 08:00:00.123": milliseconds, UTC.
std::string format_sql_datetime(Instant t);
// "2026-01-05 08:00:00": for DATETIME columns without a fraction (Doctrine's executed_at).
std::string format_sql_datetime_s(Instant t);
// "YYYY-MM-DD HH:MM:SS" with an optional fraction of 1 to 9 digits, read as UTC.
Result<Instant> parse_sql_datetime(std::string_view text);
// The calendar year of `t` in UTC: the year of a report's reference.
int utc_year(Instant t);

// The SELECT expression that reads a DATETIME(3) column back in the form above (the
// connector's prepared result sets may drop the fraction of a bare column).
std::string sql_datetime_column(std::string_view column);

}  // namespace mepsim::web
