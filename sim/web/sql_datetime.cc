#include "sim/web/sql_datetime.h"

#include <fmt/format.h>

#include <charconv>

namespace mepsim::web {
namespace {

// Calendar arithmetic in UTC, as format_iso8601 does: no localtime(), whatever TZ says.
std::string format(Instant t, bool with_ms) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss time{ms - day};
  const std::string base =
      fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  time.hours().count(), time.minutes().count(), time.seconds().count());
  return with_ms ? fmt::format("{}.{:03}", base, time.subseconds().count()) : base;
}

// The digits of text[at, at + width) as a number; false unless all are digits.
bool digits_at(std::string_view text, std::size_t at, std::size_t width, int& out) {
  if (at + width > text.size()) return false;
  const char* begin = text.data() + at;
  for (std::size_t i = 0; i < width; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;
  }
  return std::from_chars(begin, begin + width, out).ec == std::errc();
}

Error bad_datetime(std::string_view text) {
  return make_error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is not a DATETIME (YYYY-MM-DD HH:MM:SS[.fff])", text));
}

}  // namespace

std::string format_sql_datetime(Instant t) {
  return format(t, true);
}
std::string format_sql_datetime_s(Instant t) {
  return format(t, false);
}

Result<Instant> parse_sql_datetime(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' || !digits_at(text, 0, 4, y) || !digits_at(text, 5, 2, mo) ||
      !digits_at(text, 8, 2, d) || !digits_at(text, 11, 2, h) || !digits_at(text, 14, 2, mi) ||
      !digits_at(text, 17, 2, s)) {
    return bad_datetime(text);
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return bad_datetime(text);
  Duration fraction{0};
  if (text.size() > 19) {
    const std::size_t width = text.size() - 20;
    int value = 0;
    if (text[19] != '.' || width < 1 || width > 9 || !digits_at(text, 20, width, value)) {
      return bad_datetime(text);
    }
    std::int64_t ns = value;
    for (std::size_t i = width; i < 9; ++i) ns *= 10;
    fraction = nanoseconds(ns);
  }
  return Instant(sys_days(date).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) +
                 fraction);
}

int utc_year(Instant t) {
  using namespace std::chrono;
  return static_cast<int>(year_month_day{floor<days>(t)}.year());
}

std::string sql_datetime_column(std::string_view column) {
  return fmt::format("DATE_FORMAT({}, '%Y-%m-%d %H:%i:%s.%f')", column);
}

}  // namespace mepsim::web
