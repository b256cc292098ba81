#pragma once

#include <string_view>

namespace mepsim {

// scenarios/profiles/histologe.yaml, built into the binary so that `mepsim up` works from
// any folder; `--profile PATH` reads another one.
std::string_view default_profile_yaml();
inline constexpr std::string_view kDefaultProfileName = "scenarios/profiles/histologe.yaml";

}  // namespace mepsim
