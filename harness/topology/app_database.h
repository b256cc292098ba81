#pragma once
// An app's database made ready before its first container starts, as the app's own
// setup does: the migrations, then the fixtures (users sharing one password), each a
// `mepsim-web console` process run to its end.

#include <string>

#include "sim/core/result.h"
#include "sim/core/rng.h"
#include "sim/platform/container_runtime.h"
#include "sim/platform/platform_profile.h"
#include "sim/platform/release_manifest.h"

namespace mepsim {

// The fixture users' password: 20 characters of [a-z0-9] drawn from `rng`, so that a seed
// gives the same password again.
std::string draw_fixture_password(Rng& rng);

// Runs `doctrine:migrations:migrate` then `doctrine:fixtures:load` with the app's
// variables and its initial release. The password reaches the fixture loader only. A
// failure names the app and the command and quotes its output.
Result<void> prepare_app_database(platform::ContainerRuntime& runtime,
                                  const platform::AppProfile& app,
                                  const platform::ReleaseManifest& release,
                                  const std::string& fixture_password);

}  // namespace mepsim
