// Unit tests of the strict YAML readers (sim/platform/platform_profile.cc and
// release_manifest.cc): the real Histologe profile reads as expected, defaults apply, and
// every error names `file:line:col`, unknown keys included.

#include "sim/platform/platform_profile.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "sim/platform/release_manifest.h"
#include "tests/unit/platform_fixture.h"

namespace mepsim::platform_test {
namespace {

using platform::parse_platform_profile;
using platform::parse_release_manifest;

// The parse error of `yaml` as a profile named p.yaml (empty when it parses).
std::string profile_error(const std::string& yaml) {
  auto parsed = parse_platform_profile(yaml, "p.yaml");
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  return parsed.error().message;
}

std::string manifest_error(const std::string& yaml) {
  auto parsed = parse_release_manifest(yaml);
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  return parsed.error().message;
}

::testing::AssertionResult NamesPlace(const std::string& message, const std::string& file) {
  const std::regex place("^" + file + ":[0-9]+:[0-9]+: .+");
  if (std::regex_search(message, place)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "'" << message << "' does not start with " << file << ":line:col";
}

constexpr const char* kMinimal =
    "apps:\n"
    "  - name: histologe\n"
    "    formation:\n"
    "      - { name: web, amount: 1 }\n";

// ---- the platform profile --------------------------------------------------------------

TEST(PlatformProfile, RealHistologeProfileReads) {
  // scenarios/profiles/histologe.yaml reads into production, staging and demo as documented.
  auto profile = load_histologe_profile();
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  EXPECT_EQ(profile->name, "histologe");
  EXPECT_EQ(profile->region, "osc-fr1");
  EXPECT_EQ(profile->user.username, "mepsim");
  EXPECT_EQ(profile->durations.start_timeout_s, 60.0);
  EXPECT_EQ(profile->durations.build_s, 90.0);
  EXPECT_EQ(profile->durations.jitter, 0.2);
  ASSERT_EQ(profile->apps.size(), 3u);
  const auto& prod = profile->apps[0];
  EXPECT_EQ(prod.name, "histologe");
  EXPECT_EQ(prod.initial_ref, "main");
  ASSERT_EQ(prod.formation.size(), 4u);
  EXPECT_EQ(prod.formation[0].name, "web");
  EXPECT_EQ(prod.formation[0].amount, 2);
  EXPECT_EQ(prod.formation[0].size, "M");
  EXPECT_EQ(prod.formation[2].name, "clock");
  EXPECT_EQ(prod.formation[2].size, "S");
  EXPECT_EQ(prod.formation[3].name, "postdeploy");
  EXPECT_EQ(prod.formation[3].amount, 0);
  EXPECT_EQ(prod.variables.at("MAINTENANCE_ENABLE"), "0");
  EXPECT_EQ(prod.variables.at("MAINTENANCE_BANNER_MESSAGE"), "");
  EXPECT_EQ(prod.variables.at("SENTRY_ENVIRONMENT"), "production");
  ASSERT_TRUE(prod.scm_link.has_value());
  EXPECT_EQ(prod.scm_link->owner, "MTES-MCT");
  EXPECT_EQ(prod.scm_link->branch, "main");
  EXPECT_TRUE(prod.scm_link->auto_deploy_enabled);
  const auto& staging = profile->apps[1];
  EXPECT_EQ(staging.name, "histologe-staging");
  EXPECT_EQ(staging.initial_ref, "develop");
  ASSERT_TRUE(staging.scm_link.has_value());
  EXPECT_TRUE(staging.scm_link->deploy_review_apps_enabled);
  const auto& demo = profile->apps[2];
  EXPECT_EQ(demo.name, "histologe-demo");
  EXPECT_FALSE(demo.scm_link.has_value());
  EXPECT_EQ(demo.variables.at("SENTRY_ENVIRONMENT"), "demo");
}

TEST(PlatformProfile, DefaultsApply) {
  // Only `apps` is required; region, durations, initial_ref and size take their defaults.
  auto profile = parse_platform_profile(kMinimal, "p.yaml");
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  EXPECT_EQ(profile->region, "osc-fr1");
  EXPECT_EQ(profile->durations.start_timeout_s, 60.0);
  EXPECT_EQ(profile->durations.jitter, 0.2);
  ASSERT_EQ(profile->apps.size(), 1u);
  EXPECT_EQ(profile->apps[0].initial_ref, "main");
  EXPECT_EQ(profile->apps[0].formation[0].size, "M");
  EXPECT_FALSE(profile->apps[0].scm_link.has_value());
}

TEST(PlatformProfile, UnknownTopLevelKeyNamesPlace) {
  // A misspelt top-level key is an error at its line and column.
  EXPECT_EQ(profile_error(std::string(kMinimal) + "durationz:\n  build_s: 1\n"),
            "p.yaml:5:1: unknown key 'durationz' in the profile");
}

TEST(PlatformProfile, UnknownNestedKeysNamePlace) {
  // Unknown keys in an app, a process type, durations, user or scm_link are errors too.
  EXPECT_EQ(profile_error("apps:\n  - name: a\n    formation: []\n    colour: red\n"),
            "p.yaml:4:5: unknown key 'colour' in an app");
  EXPECT_EQ(profile_error("apps:\n  - name: a\n    formation:\n      - { name: web, amout: 1 }\n"),
            "p.yaml:4:22: unknown key 'amout' in a process type");
  EXPECT_EQ(profile_error(std::string("durations:\n  boot_s: 3\n") + kMinimal),
            "p.yaml:2:3: unknown key 'boot_s' in 'durations'");
  EXPECT_TRUE(HasSubstring(profile_error(std::string("user:\n  login: x\n") + kMinimal),
                           "p.yaml:2:3: unknown key 'login'"));
  const std::string scm = std::string(kMinimal) +
                          "    scm_link: { owner: o, repo: r, branch: main, auto_deploy: true }\n";
  EXPECT_TRUE(HasSubstring(profile_error(scm), "unknown key 'auto_deploy' in 'scm_link'"));
  EXPECT_TRUE(NamesPlace(profile_error(scm), "p\\.yaml"));
}

TEST(PlatformProfile, MalformedYamlNamesPlace) {
  // YAML that does not parse is an error at the parser's line and column.
  EXPECT_TRUE(NamesPlace(profile_error("apps:\n  - name: [a\n"), "p\\.yaml"));
  EXPECT_TRUE(NamesPlace(profile_error("apps: {\n"), "p\\.yaml"));
}

TEST(PlatformProfile, AliasBombIsRefusedWhereItStarts) {
  // Aliases standing for a million values are refused before any handler walks them.
  std::string yaml = std::string(kMinimal) + "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int level = 1; level <= 5; ++level) {
    yaml += "x" + std::to_string(level) + ": &x" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) yaml += (i == 0 ? "*x" : ", *x") + std::to_string(level - 1);
    yaml += "]\n";
  }
  EXPECT_TRUE(HasSubstring(profile_error(yaml), "more than 100000 values"));
  EXPECT_TRUE(NamesPlace(profile_error(yaml), "p\\.yaml"));
}

TEST(PlatformProfile, WrongValuesNamePlace) {
  // Missing required keys, wrong types and out-of-range values name where they are.
  EXPECT_TRUE(HasSubstring(profile_error("name: x\n"), "needs 'apps'"));
  EXPECT_TRUE(NamesPlace(profile_error("name: x\n"), "p\\.yaml"));
  EXPECT_EQ(profile_error("apps:\n  - name: a\n"), "p.yaml:2:5: an app needs 'formation'");
  EXPECT_EQ(
      profile_error("apps:\n  - name: a\n    formation:\n      - { name: web, amount: many }\n"),
      "p.yaml:4:30: 'amount' has the wrong type");
  EXPECT_EQ(
      profile_error("apps:\n  - name: a\n    formation:\n      - { name: web, amount: 51 }\n"),
      "p.yaml:4:9: 'amount' must be 0-50");
  EXPECT_TRUE(NamesPlace(profile_error("apps: nope\n"), "p\\.yaml"));
  EXPECT_TRUE(HasSubstring(profile_error(std::string(kMinimal) + "    variables: { 1BAD: x }\n"),
                           "'1BAD' is not a variable name"));
  EXPECT_TRUE(HasSubstring(profile_error(std::string("durations: { jitter: 1 }\n") + kMinimal),
                           "'jitter' must be in [0, 1)"));
  EXPECT_TRUE(HasSubstring(profile_error(std::string("durations: { build_s: -1 }\n") + kMinimal),
                           "durations must be >= 0"));
  EXPECT_TRUE(NamesPlace(profile_error(std::string("durations: { build_s: -1 }\n") + kMinimal),
                         "p\\.yaml"));
}

TEST(PlatformProfile, DuplicatesAreErrors) {
  // Two apps with one name, or one key twice in a map, are errors.
  EXPECT_TRUE(HasSubstring(
      profile_error("apps:\n  - { name: a, formation: [] }\n  - { name: a, formation: [] }\n"),
      "p.yaml:3:5: duplicate app a"));
  EXPECT_TRUE(HasSubstring(profile_error("apps:\n  - { name: a, name: b, formation: [] }\n"),
                           "duplicate key 'name'"));
}

TEST(PlatformProfile, EmptyFileIsAnError) {
  // An empty profile is refused with a message naming the file.
  const std::string error = profile_error("");
  EXPECT_TRUE(HasSubstring(error, "p.yaml"));
  EXPECT_FALSE(error.empty());
}

// ---- the release manifest --------------------------------------------------------------

TEST(ReleaseManifest, FullManifestReads) {
  // Every documented key reads into the manifest.
  auto m = parse_release_manifest(
      "version: 1.7.4\n"
      "migrations:\n"
      "  - name: Version20260105120000\n"
      "  - name: Version20260105130000\n"
      "    fails: true\n"
      "boot_s: 12.5\n"
      "crash_on_boot: true\n"
      "build_error: composer install failed\n");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->version, "1.7.4");
  ASSERT_EQ(m->migrations.size(), 2u);
  EXPECT_EQ(m->migrations[0].name, "Version20260105120000");
  EXPECT_FALSE(m->migrations[0].fails);
  EXPECT_TRUE(m->migrations[1].fails);
  EXPECT_EQ(m->boot_s, 12.5);
  EXPECT_TRUE(m->crash_on_boot);
  EXPECT_EQ(m->build_error, "composer install failed");
}

TEST(ReleaseManifest, DefaultsApply) {
  // Only `version` is required: no migrations, an 8 s boot, no planted fault.
  auto m = parse_release_manifest("version: 1.7.4\n");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(m->migrations.empty());
  EXPECT_EQ(m->boot_s, 8.0);
  EXPECT_FALSE(m->crash_on_boot);
  EXPECT_TRUE(m->build_error.empty());
}

TEST(ReleaseManifest, UnknownKeysNamePlace) {
  // A misspelt planted fault, at the top or in a migration, is an error at its place.
  EXPECT_EQ(manifest_error("version: 1.7.4\ncrash_on_bot: true\n"),
            "app.yaml:2:1: unknown key 'crash_on_bot' in the release manifest");
  EXPECT_EQ(manifest_error("version: 1.7.4\nmigrations:\n  - name: V1\n    fail: true\n"),
            "app.yaml:4:5: unknown key 'fail' in a migration");
  auto named = parse_release_manifest("version: 1\ncolour: red\n", "release-1.7.4:app.yaml");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().message.rfind("release-1.7.4:app.yaml:2:1: ", 0), 0u)
      << named.error().message;
}

TEST(ReleaseManifest, WrongValuesNamePlace) {
  // Malformed YAML, a missing version, wrong types and a negative boot time name their place.
  EXPECT_TRUE(NamesPlace(manifest_error("version: [1.7.4\n"), "app\\.yaml"));
  EXPECT_TRUE(NamesPlace(manifest_error("boot_s: 3\n"), "app\\.yaml"));
  EXPECT_TRUE(HasSubstring(manifest_error("boot_s: 3\n"), "needs 'version'"));
  EXPECT_EQ(manifest_error("version: 1\nboot_s: -1\n"), "app.yaml:2:9: 'boot_s' must be >= 0");
  EXPECT_EQ(manifest_error("version: 1\ncrash_on_boot: sometimes\n"),
            "app.yaml:2:16: 'crash_on_boot' has the wrong type");
  EXPECT_TRUE(NamesPlace(manifest_error("version: 1\nmigrations: V1\n"), "app\\.yaml"));
  EXPECT_TRUE(
      NamesPlace(manifest_error("version: 1\nmigrations:\n  - fails: true\n"), "app\\.yaml"));
  EXPECT_TRUE(NamesPlace(manifest_error("- version: 1\n"), "app\\.yaml"));
}

}  // namespace
}  // namespace mepsim::platform_test
