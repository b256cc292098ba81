#include "harness/scalingo_cli/api_time.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace mepsim::scalingo_cli {
namespace {

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  long long nanos = 0;
  int offset_minutes = 0;
};

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  const char* begin = text.data() + at;
  const auto [end, ec] = std::from_chars(begin, begin + count, out);
  return ec == std::errc() && end == begin + count;
}

std::optional<Fields> parse_fields(std::string_view t) {
  Fields f;
  if (!digits(t, 0, 4, f.year) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, f.month) ||
      t[7] != '-' || !digits(t, 8, 2, f.day) || (t[10] != 'T' && t[10] != ' ') ||
      !digits(t, 11, 2, f.hour) || t[13] != ':' || !digits(t, 14, 2, f.minute) || t[16] != ':' ||
      !digits(t, 17, 2, f.second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < t.size() && t[at] == '.') {
    long long scale = 100'000'000;
    for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9'; ++at) {
      f.nanos += (t[at] - '0') * scale;
      scale /= 10;
    }
  }
  if (at == t.size()) return std::nullopt;  // RFC 3339 requires the offset
  if (t[at] == 'Z' || t[at] == 'z') {
    ++at;
  } else if (t[at] == '+' || t[at] == '-') {
    int hours = 0, minutes = 0;
    if (!digits(t, at + 1, 2, hours) || at + 3 >= t.size() || t[at + 3] != ':' ||
        !digits(t, at + 4, 2, minutes)) {
      return std::nullopt;
    }
    f.offset_minutes = (t[at] == '-' ? -1 : 1) * (hours * 60 + minutes);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != t.size() || f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) {
    return std::nullopt;
  }
  return f;
}

}  // namespace

std::optional<Instant> parse_api_time(std::string_view text) {
  const auto f = parse_fields(text);
  if (!f) return std::nullopt;
  using namespace std::chrono;
  const sys_days date =
      year{f->year} / month{static_cast<unsigned>(f->month)} / day{static_cast<unsigned>(f->day)};
  const auto local =
      date + hours{f->hour} + minutes{f->minute} + seconds{f->second} + nanoseconds{f->nanos};
  return Instant{duration_cast<Duration>(local.time_since_epoch() - minutes{f->offset_minutes})};
}

std::string format_cli_time(std::string_view text) {
  const auto f = parse_fields(text);
  if (!f) return std::string(text);
  return fmt::format("{:04}/{:02}/{:02} {:02}:{:02}:{:02}", f->year, f->month, f->day, f->hour,
                     f->minute, f->second);
}

std::optional<double> elapsed_seconds(std::string_view start, std::string_view end) {
  const auto from = parse_api_time(start);
  const auto to = parse_api_time(end);
  if (!from || !to) return std::nullopt;
  return std::chrono::duration<double>(*to - *from).count();
}

std::string go_duration(long long seconds) {
  if (seconds == 0) return "0s";
  std::string sign = seconds < 0 ? "-" : "";
  long long s = seconds < 0 ? -seconds : seconds;
  const long long hours = s / 3600;
  const long long minutes = (s % 3600) / 60;
  s %= 60;
  if (hours > 0) return fmt::format("{}{}h{}m{}s", sign, hours, minutes, s);
  if (minutes > 0) return fmt::format("{}{}m{}s", sign, minutes, s);
  return fmt::format("{}{}s", sign, s);
}

}  // namespace mepsim::scalingo_cli
