// Unit tests of the small pieces of `mepsim scalingo` around the API: the API's times as
// the real CLI prints them, deployment statuses, and the busybox `scalingo` entry point.

#include <gtest/gtest.h>

#include "harness/scalingo_cli/api_time.h"
#include "harness/scalingo_cli/deployment_commands.h"
#include "harness/scalingo_cli/scalingo_command.h"

namespace mepsim::scalingo_cli {
namespace {

TEST(ScalingoTime, FormatsLikeTheRealCli) {
  // utils.TimeFormat "2006/01/02 15:04:05", in the timestamp's own offset.
  EXPECT_EQ(format_cli_time("2026-01-05T08:00:00.000Z"), "2026/01/05 08:00:00");
  EXPECT_EQ(format_cli_time("2026-01-05T09:30:12+01:00"), "2026/01/05 09:30:12");
  EXPECT_EQ(format_cli_time("not a time"), "not a time");
  EXPECT_EQ(format_cli_time(""), "");
}

TEST(ScalingoTime, ElapsedAcrossOffsets) {
  // Operation durations come from created_at and finished_at, offsets applied.
  auto elapsed = elapsed_seconds("2026-01-05T08:00:00Z", "2026-01-05T09:00:01.500+01:00");
  ASSERT_TRUE(elapsed.has_value());
  EXPECT_DOUBLE_EQ(*elapsed, 1.5);
  EXPECT_FALSE(elapsed_seconds("2026-01-05T08:00:00Z", "").has_value());
  EXPECT_FALSE(elapsed_seconds("2026-01-05T08:00:00", "2026-01-05T08:00:00Z").has_value());
}

TEST(ScalingoTime, GoDurationStrings) {
  // Go's Duration.String() for the deployments table's Duration column.
  EXPECT_EQ(go_duration(45), "45s");
  EXPECT_EQ(go_duration(65), "1m5s");
  EXPECT_EQ(go_duration(3600), "1h0m0s");
  EXPECT_EQ(go_duration(7384), "2h3m4s");
}

TEST(ScalingoDeployments, FinishedStatuses) {
  // Go's IsFinishedString: everything but the four in-progress statuses.
  for (const char* running : {"queued", "building", "pushing", "starting"}) {
    EXPECT_FALSE(is_finished_status(running)) << running;
  }
  for (const char* done :
       {"success", "build-error", "hook-error", "crashed-error", "timeout-error", "aborted"}) {
    EXPECT_TRUE(is_finished_status(done)) << done;
  }
}

TEST(ScalingoBusybox, ProgramNamedScalingoRunsTheScalingoCommand) {
  // `scalingo -a app env` is parsed as `mepsim scalingo -a app env`; mepsim is untouched.
  char program[] = "/opt/mepsim/build/harness/scalingo";
  char app_flag[] = "-a";
  char app[] = "histologe";
  char command[] = "env";
  char* as_scalingo[] = {program, app_flag, app, command};
  const auto arguments = mepsim::busybox_arguments(4, as_scalingo);
  ASSERT_EQ(arguments.size(), 5u);
  EXPECT_STREQ(arguments[1], "scalingo");
  EXPECT_STREQ(arguments[2], "-a");
  EXPECT_STREQ(arguments[4], "env");

  char mepsim_program[] = "mepsim";
  char up[] = "up";
  char* as_mepsim[] = {mepsim_program, up};
  const auto unchanged = mepsim::busybox_arguments(2, as_mepsim);
  ASSERT_EQ(unchanged.size(), 2u);
  EXPECT_STREQ(unchanged[1], "up");
}

}  // namespace
}  // namespace mepsim::scalingo_cli
