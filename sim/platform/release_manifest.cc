#include "sim/platform/release_manifest.h"

#include "sim/platform/yaml_reader.h"

namespace mepsim::platform {
namespace {

Result<std::vector<Migration>> parse_migrations(const YamlReader& reader, const YAML::Node& list) {
  if (!list.IsSequence()) return reader.error_at(list, "'migrations' must be a list");
  std::vector<Migration> migrations;
  for (const auto& item : list) {
    Migration m;
    auto read = reader.read_map(
        item, "a migration",
        {{"name", reader.into(m.name, "name")}, {"fails", reader.into(m.fails, "fails")}},
        {"name"});
    if (!read) return read.error();
    migrations.push_back(std::move(m));
  }
  return migrations;
}

}  // namespace

Result<ReleaseManifest> parse_release_manifest(const std::string& yaml_text,
                                               const std::string& source_name) {
  const YamlReader reader(source_name);
  auto root = reader.load(yaml_text);
  if (!root) return root.error();
  ReleaseManifest manifest;
  auto read =
      reader.read_map(root.value(), "the release manifest",
                      {{"version", reader.into(manifest.version, "version")},
                       {"migrations",
                        [&](const YAML::Node& value) -> Result<void> {
                          auto m = parse_migrations(reader, value);
                          if (!m) return m.error();
                          manifest.migrations = std::move(m.value());
                          return {};
                        }},
                       {"boot_s",
                        [&](const YAML::Node& value) -> Result<void> {
                          auto b = reader.read<double>(value, "boot_s");
                          if (!b) return b.error();
                          if (b.value() < 0) return reader.error_at(value, "'boot_s' must be >= 0");
                          manifest.boot_s = b.value();
                          return {};
                        }},
                       {"crash_on_boot", reader.into(manifest.crash_on_boot, "crash_on_boot")},
                       {"build_error", reader.into(manifest.build_error, "build_error")}},
                      {"version"});
  if (!read) return read.error();
  return manifest;
}

}  // namespace mepsim::platform
