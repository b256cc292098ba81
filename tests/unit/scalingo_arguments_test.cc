// Unit tests of harness/scalingo_cli/arguments.h: `env-set K=V`, `scale TYPE:N[:SIZE]` and
// `run -e K=V` arguments are checked before any request, and errors name the bad argument
// in the real CLI's words.

#include <gtest/gtest.h>

#include "harness/scalingo_cli/arguments.h"

namespace mepsim::scalingo_cli {
namespace {

TEST(ScalingoArguments, VariableAssignmentSplitsAtFirstEquals) {
  // The value may hold '=' (DSNs, base64); the name is what precedes the first one.
  auto parsed = parse_variable_assignment("MAILER_DSN=smtp://u:p@host?x=1");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->name, "MAILER_DSN");
  EXPECT_EQ(parsed->value, "smtp://u:p@host?x=1");
}

TEST(ScalingoArguments, VariableAssignmentErrorsNameTheArgument) {
  // No '=', no name, no value, or a name with other characters: the real CLI's messages.
  for (const char* bad : {"MAINTENANCE_ENABLE", "=1", "MAINTENANCE_ENABLE="}) {
    auto parsed = parse_variable_assignment(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(parsed.error().message,
              "'" + std::string(bad) + "' is invalid: format is invalid, accepted: VAR=VAL");
  }
  auto spaced = parse_variable_assignment("MY VAR=1");
  ASSERT_FALSE(spaced.ok());
  EXPECT_EQ(spaced.error().message,
            "'MY VAR=1' is invalid: name can only be composed with alphanumerical characters, "
            "hyphens and underscores");
}

TEST(ScalingoArguments, AssignmentsStopAtTheFirstBadOne) {
  // Nothing is sent when one argument is wrong; the error quotes that one.
  auto parsed = parse_variable_assignments({"A=1", "B", "C=3"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "'B' is invalid: format is invalid, accepted: VAR=VAL");
}

TEST(ScalingoArguments, RepeatedNameKeepsLastValueAtFirstPlace) {
  // `env-set A=1 B=2 A=3` sends A=3 and B=2, once each.
  auto parsed = parse_variable_assignments({"A=1", "B=2", "A=3"});
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].name, "A");
  EXPECT_EQ((*parsed)[0].value, "3");
  EXPECT_EQ((*parsed)[1].name, "B");
}

TEST(ScalingoArguments, ScaleTargetForms) {
  // Absolute, with a size, and relative to the current formation.
  auto web = parse_scale_target("web:2");
  ASSERT_TRUE(web.ok());
  EXPECT_EQ(web->type, "web");
  EXPECT_EQ(web->amount, 2);
  EXPECT_EQ(web->change, ScaleChange::set);
  EXPECT_EQ(web->size, "");
  auto sized = parse_scale_target("web:1:XL");
  ASSERT_TRUE(sized.ok());
  EXPECT_EQ(sized->size, "XL");
  auto plus = parse_scale_target("worker:+1");
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(plus->change, ScaleChange::add);
  EXPECT_EQ(plus->amount, 1);
  auto minus = parse_scale_target("worker:-2");
  ASSERT_TRUE(minus.ok());
  EXPECT_EQ(minus->change, ScaleChange::remove);
  EXPECT_EQ(minus->amount, 2);
  auto zero = parse_scale_target("clock:0");
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->amount, 0);
}

TEST(ScalingoArguments, ScaleTargetErrorsNameTheArgument) {
  // Each malformed form is refused with the argument quoted.
  const std::string format = " is invalid, format is <type>:<amount>[:<size>]";
  for (const char* bad : {"web", ":2", "web:", "web:2:", "web:1:M:x", "web:+"}) {
    auto parsed = parse_scale_target(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(parsed.error().message, std::string(bad) + format);
  }
  auto word = parse_scale_target("web:two");
  ASSERT_FALSE(word.ok());
  EXPECT_EQ(word.error().message, "two in web:two should be an integer");
  auto huge = parse_scale_target("web:99999999999");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message, "99999999999 in web:99999999999 should be an integer");
  auto relative_sized = parse_scale_target("web:+1:L");
  ASSERT_FALSE(relative_sized.ok());
  EXPECT_EQ(relative_sized.error().message,
            "web:+1:L is invalid, can't use relative modificator with size, change the size "
            "first");
}

TEST(ScalingoArguments, ScaleTargetsReportTheBadOne) {
  // `scale web:2 worker:x` fails on worker:x, before the request.
  auto parsed = parse_scale_targets({"web:2", "worker:x"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "x in worker:x should be an integer");
}

TEST(ScalingoArguments, RunEnvNeedsBothSides) {
  // `run -e K=V` overrides; anything else is the real CLI's format error.
  auto parsed = parse_run_env("APP_DEBUG=1");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->name, "APP_DEBUG");
  EXPECT_EQ(parsed->value, "1");
  auto bad = parse_run_env("APP_DEBUG");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "'APP_DEBUG': Invalid environment, format is '--env VARIABLE=value'");
}

}  // namespace
}  // namespace mepsim::scalingo_cli
