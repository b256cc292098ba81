#include "harness/report/instant_text.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace mepsim::report {
namespace {

using namespace std::chrono;

// Reads exactly `digits` decimal digits at `pos` (advancing it), or fails.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t digits, int& value) {
  if (pos + digits > text.size()) return false;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + digits, value);
  pos += digits;
  return true;
}

bool expect_char(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// The fraction after the seconds, in nanoseconds; absent is zero.
bool read_fraction(std::string_view text, std::size_t& pos, std::int64_t& nanos) {
  nanos = 0;
  if (pos >= text.size() || text[pos] != '.') return true;
  ++pos;
  std::size_t digits = 0;
  std::int64_t scale = 100'000'000;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (++digits > 9) return false;
    nanos += (text[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return digits > 0;
}

// The offset from UTC: "Z", "+HH:MM" or "-HH:MM".
bool read_offset(std::string_view text, std::size_t& pos, minutes& offset) {
  if (expect_char(text, pos, 'Z')) {
    offset = minutes{0};
    return true;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos++] == '-' ? -1 : 1;
  int h = 0, m = 0;
  if (!read_digits(text, pos, 2, h) || !expect_char(text, pos, ':') ||
      !read_digits(text, pos, 2, m) || h > 23 || m > 59) {
    return false;
  }
  offset = minutes{sign * (h * 60 + m)};
  return true;
}

}  // namespace

std::string format_instant(Instant t) {
  const auto sub_ms = t - floor<milliseconds>(t);
  std::string text = format_iso8601(t);
  if (sub_ms.count() == 0) return text;
  text.pop_back();  // the 'Z'
  std::string extra = fmt::format("{:06}", sub_ms.count());
  while (extra.back() == '0') extra.pop_back();
  return text + extra + "Z";
}

Result<Instant> parse_instant(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::int64_t nanos = 0;
  minutes offset{0};
  const bool read = read_digits(text, pos, 4, y) && expect_char(text, pos, '-') &&
                    read_digits(text, pos, 2, mo) && expect_char(text, pos, '-') &&
                    read_digits(text, pos, 2, d) && expect_char(text, pos, 'T') &&
                    read_digits(text, pos, 2, h) && expect_char(text, pos, ':') &&
                    read_digits(text, pos, 2, mi) && expect_char(text, pos, ':') &&
                    read_digits(text, pos, 2, s) && read_fraction(text, pos, nanos) &&
                    read_offset(text, pos, offset) && pos == text.size();
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!read || !date.ok() || h > 23 || mi > 59 || s > 59) {
    return make_error(
        ErrorCode::invalid_input,
        "not an ISO 8601 instant (YYYY-MM-DDTHH:MM:SS.sssZ): \"" + std::string(text) + "\"");
  }
  const auto midnight = time_point_cast<Duration>(sys_days{date});
  return midnight + hours{h} + minutes{mi} + seconds{s} + nanoseconds{nanos} - offset;
}

std::string format_time_of_day(Instant t) {
  // format_iso8601 is "YYYY-MM-DDTHH:MM:SS.mmmZ": the part between 'T' and 'Z'.
  const std::string text = format_iso8601(t);
  const auto tee = text.find('T');
  return text.substr(tee + 1, text.size() - tee - 2);
}

}  // namespace mepsim::report
