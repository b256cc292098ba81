#pragma once
// The small platform profile the Scalingo API's unit suites boot: production linked to its
// GitHub repository (web ×2, worker), staging and demo.

#include <optional>

#include "sim/platform/platform_profile.h"

namespace mepsim::fakes::scalingo {

inline platform::PlatformProfile scalingo_test_profile() {
  platform::PlatformProfile profile;
  platform::ScmLink link;
  link.owner = "MTES-MCT";
  link.repo = "histologe";
  link.branch = "main";
  profile.apps = {
      {"histologe",
       {{"web", 2, "M"}, {"worker", 1, "M"}},
       {{"APP_ENV", "prod"}, {"MAINTENANCE_ENABLE", "0"}},
       link,
       "main"},
      {"histologe-staging", {{"web", 1, "M"}}, {{"APP_ENV", "staging"}}, std::nullopt, "develop"},
      {"histologe-demo", {{"web", 1, "S"}}, {}, std::nullopt, "main"},
  };
  return profile;
}

}  // namespace mepsim::fakes::scalingo
