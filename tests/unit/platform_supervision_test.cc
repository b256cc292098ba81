// Unit tests of the platform's watch over running containers
// (sim/platform/platform_supervision.cc): a container that dies is replaced as Scalingo
// restarts a crashed one, with its own environment; a replacement dying before it is
// healthy is a repeated crash; apps busy with an operation are left to it.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

class CrashedContainer : public PlatformFixture {
 protected:
  Container container(const std::string& app, const std::string& label) {
    for (const auto& c : containers(app)) {
      if (c.label == label) return c;
    }
    ADD_FAILURE() << app << " has no container " << label;
    return {};
  }
};

TEST_F(CrashedContainer, IsReplacedWithItsLabelReleaseAndEnvironment) {
  // A dead web-1 is replaced by a new web-1 of the same release, started with the variables
  // it had (a variable set since stays not in effect), healthy after the boot time.
  const Container before = container(kProd, "web-1");
  ASSERT_TRUE(platform().create_variable(kProd, {"FEATURE_X", "1"}).ok());
  runtime().crash(before.runtime_id);

  EXPECT_EQ(platform().replace_crashed_containers(), 1);
  const Container after = container(kProd, "web-1");
  EXPECT_NE(after.id, before.id);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.deployment_id, before.deployment_id);
  EXPECT_EQ(after.env.count("FEATURE_X"), 0u);
  EXPECT_EQ(not_in_effect(kProd), std::vector<std::string>{"FEATURE_X"});
  EXPECT_EQ(event_types(kProd).front(), "crash");
  EXPECT_EQ(logged("container.crashed", "container", "web-1").size(), 1u);

  platform().settle();
  EXPECT_EQ(logged("container.recovered", "container", "web-1").size(), 1u);
  EXPECT_EQ(platform().replace_crashed_containers(), 0);
  EXPECT_EQ(containers(kProd).size(), 4u);
}

TEST_F(CrashedContainer, NothingDeadNothingReplaced) {
  // A look at healthy containers changes nothing and records nothing.
  const auto ids = container_ids(kProd);
  EXPECT_EQ(platform().replace_crashed_containers(), 0);
  EXPECT_EQ(container_ids(kProd), ids);
  EXPECT_TRUE(logged("container.crashed", "app", kProd).empty());
}

TEST_F(CrashedContainer, ReplacementDyingBeforeHealthyIsARepeatedCrash) {
  // The replacement dies while booting: an app event `repeated_crash`, the container is
  // stopped and not replaced again (no restart loop).
  runtime().crash(container(kProd, "web-2").runtime_id);
  ASSERT_EQ(platform().replace_crashed_containers(), 1);
  runtime().crash(container(kProd, "web-2").runtime_id);
  EXPECT_EQ(platform().replace_crashed_containers(), 0) << "a replacement is judged at boot";

  platform().settle();
  EXPECT_EQ(event_types(kProd).front(), "repeated_crash");
  const auto labels = containers(kProd);
  EXPECT_TRUE(std::none_of(labels.begin(), labels.end(),
                           [](const Container& c) { return c.label == "web-2"; }));
  EXPECT_EQ(logged("container.repeated_crash", "container", "web-2").size(), 1u);
}

TEST_F(CrashedContainer, LeftToARestartInProgress) {
  // While a restart runs, its own boot check judges the containers: no replacement.
  ASSERT_TRUE(platform().restart(kProd, {}).ok());
  runtime().crash(container(kProd, "web-1").runtime_id);
  EXPECT_EQ(platform().replace_crashed_containers(), 0);
  platform().settle();
  EXPECT_EQ(containers(kProd).size(), 4u);
}

}  // namespace
}  // namespace mepsim::platform_test
