#include "sim/platform/release_manifest.h"

#include <algorithm>
#include <cctype>

#include "sim/platform/yaml_reader.h"

namespace mepsim::platform {
namespace {

bool is_cache_namespace(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_' || ch == '.' || ch == '-';
  });
}

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

Result<std::vector<RouteFault>> parse_faults(const YamlReader& reader, const YAML::Node& list) {
  if (!list.IsSequence()) return reader.error_at(list, "'faults' must be a list");
  std::vector<RouteFault> faults;
  for (const auto& item : list) {
    RouteFault f;
    YAML::Node rate_node;
    auto read = reader.read_map(item, "a fault",
                                {{"route", reader.into(f.route, "route")},
                                 {"error_rate",
                                  [&](const YAML::Node& value) -> Result<void> {
                                    rate_node = value;
                                    return reader.into(f.error_rate, "error_rate")(value);
                                  }}},
                                {"route", "error_rate"});
    if (!read) return read.error();
    if (f.route.empty() || f.route.front() != '/') {
      return reader.error_at(item["route"], "'route' must be a path starting with /");
    }
    if (f.error_rate < 0 || f.error_rate > 1) {
      return reader.error_at(rate_node, "'error_rate' must be between 0 and 1");
    }
    faults.push_back(std::move(f));
  }
  return faults;
}

Result<ReleaseDefects> parse_defects(const YamlReader& reader, const YAML::Node& map) {
  ReleaseDefects d;
  YAML::Node rate_node;
  auto read = reader.read_map(
      map, "'defects'",
      {{"drop_write_rate",
        [&](const YAML::Node& value) -> Result<void> {
          rate_node = value;
          return reader.into(d.drop_write_rate, "drop_write_rate")(value);
        }},
       {"ignore_maintenance", reader.into(d.ignore_maintenance, "ignore_maintenance")}},
      {});
  if (!read) return read.error();
  if (d.drop_write_rate < 0 || d.drop_write_rate > 1) {
    return reader.error_at(rate_node, "'drop_write_rate' must be between 0 and 1");
  }
  return d;
}

}  // namespace

Result<ReleaseManifest> parse_release_manifest(const std::string& yaml_text,
                                               const std::string& source_name) {
  const YamlReader reader(source_name);
  auto root = reader.load(yaml_text);
  if (!root) return root.error();
  ReleaseManifest manifest;
  auto read = reader.read_map(
      root.value(), "the release manifest",
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
       {"build_error", reader.into(manifest.build_error, "build_error")},
       {"session_format",
        [&](const YAML::Node& value) -> Result<void> {
          auto f = reader.read<int>(value, "session_format");
          if (!f) return f.error();
          if (f.value() < 1) {
            return reader.error_at(value, "'session_format' must be >= 1");
          }
          manifest.session_format = f.value();
          return {};
        }},
       {"cache_namespace",
        [&](const YAML::Node& value) -> Result<void> {
          auto n = reader.read<std::string>(value, "cache_namespace");
          if (!n) return n.error();
          if (!is_cache_namespace(n.value())) {
            return reader.error_at(value, "'cache_namespace' must be 1 to 32 of [A-Za-z0-9_.-]");
          }
          manifest.cache_namespace = n.value();
          return {};
        }},
       {"faults",
        [&](const YAML::Node& value) -> Result<void> {
          auto f = parse_faults(reader, value);
          if (!f) return f.error();
          manifest.faults = std::move(f.value());
          return {};
        }},
       {"defects",
        [&](const YAML::Node& value) -> Result<void> {
          auto d = parse_defects(reader, value);
          if (!d) return d.error();
          manifest.defects = d.value();
          return {};
        }}},
      {"version"});
  if (!read) return read.error();
  return manifest;
}

std::string to_yaml(const ReleaseManifest& manifest) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << manifest.version;
  if (!manifest.migrations.empty()) {
    out << YAML::Key << "migrations" << YAML::Value << YAML::BeginSeq;
    for (const auto& m : manifest.migrations) {
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << m.name
          << YAML::Key << "fails" << YAML::Value << m.fails << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::Key << "boot_s" << YAML::Value << manifest.boot_s;
  out << YAML::Key << "crash_on_boot" << YAML::Value << manifest.crash_on_boot;
  out << YAML::Key << "build_error" << YAML::Value << YAML::DoubleQuoted << manifest.build_error;
  out << YAML::Key << "session_format" << YAML::Value << manifest.session_format;
  out << YAML::Key << "cache_namespace" << YAML::Value << YAML::DoubleQuoted
      << manifest.cache_namespace;
  if (!manifest.faults.empty()) {
    out << YAML::Key << "faults" << YAML::Value << YAML::BeginSeq;
    for (const auto& f : manifest.faults) {
      out << YAML::BeginMap << YAML::Key << "route" << YAML::Value << YAML::DoubleQuoted << f.route
          << YAML::Key << "error_rate" << YAML::Value << f.error_rate << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (manifest.defects.drop_write_rate > 0 || manifest.defects.ignore_maintenance) {
    out << YAML::Key << "defects" << YAML::Value << YAML::BeginMap << YAML::Key << "drop_write_rate"
        << YAML::Value << manifest.defects.drop_write_rate << YAML::Key << "ignore_maintenance"
        << YAML::Value << manifest.defects.ignore_maintenance << YAML::EndMap;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace mepsim::platform
