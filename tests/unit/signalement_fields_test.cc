// What a report's row derives from its input (territory, reference) and how its times are
// written to and read from DATETIME(3) columns.

#include "sim/web/signalement_fields.h"

#include <gtest/gtest.h>

#include "sim/web/sql_datetime.h"

using namespace mepsim;
using namespace mepsim::web;
using namespace std::chrono_literals;

TEST(TerritoryZip, DepartmentOfThePostcode) {
  // Mainland postcodes give their first two digits; Corsica 2A/2B; overseas three digits.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"13001", "13"}, {"01000", "01"}, {"75001", "75"}, {"93200", "93"},  {"20000", "2A"},
      {"20167", "2A"}, {"20200", "2B"}, {"20600", "2B"}, {"97100", "971"}, {"97410", "974"}};
  for (const auto& [postcode, zip] : cases) {
    EXPECT_EQ(territory_zip_for_postcode(postcode), zip) << postcode;
  }
}

TEST(TerritoryZip, MalformedPostcodesHaveNone) {
  // Anything but five digits of an existing department is refused, not guessed.
  for (const char* postcode :
       {"", "1300", "130011", "13a01", " 1300", "00100", "96000", "99000", "2A000"}) {
    EXPECT_FALSE(territory_zip_for_postcode(postcode).has_value()) << postcode;
  }
}

TEST(Reference, YearDashNumber) {
  // The reference the public sees: "2026-17".
  EXPECT_EQ(format_reference(2026, 17), "2026-17");
  EXPECT_EQ(format_reference(2025, 1), "2025-1");
}

TEST(SqlDatetime, FormatsUtcWithMilliseconds) {
  // DATETIME(3) text in UTC; the seconds-only form for Doctrine's executed_at.
  const Instant t = default_scenario_start() + 123ms + 456us;
  EXPECT_EQ(format_sql_datetime(t), "2026-01-05 08:00:00.123");
  EXPECT_EQ(format_sql_datetime_s(t), "2026-01-05 08:00:00");
  EXPECT_EQ(format_sql_datetime(Instant{}), "1970-01-01 00:00:00.000");
}

TEST(SqlDatetime, ParsesWhatItWritesAndWhatMysqlSends) {
  // A written time reads back to the millisecond; 0 to 9 fraction digits are accepted.
  const Instant t = default_scenario_start() + 37h + 5ms;
  EXPECT_EQ(parse_sql_datetime(format_sql_datetime(t)).value(), t);
  EXPECT_EQ(parse_sql_datetime("2026-01-05 08:00:00").value(), default_scenario_start());
  EXPECT_EQ(parse_sql_datetime("2026-01-05 08:00:00.123000").value(),
            default_scenario_start() + 123ms);
  EXPECT_EQ(parse_sql_datetime("2026-01-05 08:00:00.5").value(), default_scenario_start() + 500ms);
  EXPECT_EQ(
      parse_sql_datetime("2024-02-29 23:59:59.999999999").value(),
      Instant(std::chrono::sys_days(std::chrono::year{2024} / 3 / 1).time_since_epoch()) - 1ns);
}

TEST(SqlDatetime, MalformedTextIsInvalidInput) {
  // A bad date, a bad time or stray characters are errors naming the text.
  for (const char* text :
       {"", "2026-01-05", "2026-01-05T08:00:00", "2026-02-30 00:00:00", "2026-13-01 00:00:00",
        "2026-01-05 24:00:00", "2026-01-05 08:60:00", "2026-01-05 08:00:00.",
        "2026-01-05 08:00:00.1234567890", "2026-01-05 08:00:00Z", "2026-01-05 08:00:0x"}) {
    const auto parsed = parse_sql_datetime(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  }
}

TEST(SqlDatetime, UtcYearTurnsAtMidnightUtc) {
  // The reference year is the UTC one, whatever the local time zone.
  const auto new_year =
      Instant(std::chrono::sys_days(std::chrono::year{2026} / 1 / 1).time_since_epoch());
  EXPECT_EQ(utc_year(new_year - 1ms), 2025);
  EXPECT_EQ(utc_year(new_year), 2026);
}
