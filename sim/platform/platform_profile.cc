#include "sim/platform/platform_profile.h"

#include "sim/platform/yaml_reader.h"

namespace mepsim::platform {
namespace {

Result<void> parse_formation(const YamlReader& reader, const YAML::Node& list,
                             std::vector<ProcessType>& out) {
  if (!list.IsSequence()) return reader.error_at(list, "'formation' must be a list");
  for (const auto& item : list) {
    ProcessType type;
    auto read = reader.read_map(item, "a process type",
                                {{"name", reader.into(type.name, "name")},
                                 {"amount", reader.into(type.amount, "amount")},
                                 {"size", reader.into(type.size, "size")}},
                                {"name", "amount"});
    if (!read) return read.error();
    if (type.amount < 0 || type.amount > 50) {
      return reader.error_at(item, "'amount' must be 0-50");
    }
    out.push_back(std::move(type));
  }
  return {};
}

Result<void> parse_variables(const YamlReader& reader, const YAML::Node& map,
                             std::map<std::string, std::string>& out) {
  if (!map.IsMap()) return reader.error_at(map, "'variables' must be a map");
  for (const auto& field : map) {
    const auto name = field.first.as<std::string>();
    if (!is_variable_name(name)) {
      return reader.error_at(field.first, "'" + name + "' is not a variable name");
    }
    auto value = reader.read<std::string>(field.second, name);
    if (!value) return value.error();
    out[name] = value.value();
  }
  return {};
}

Result<void> parse_scm_link(const YamlReader& reader, const YAML::Node& node, ScmLink& link) {
  return reader.read_map(
      node, "'scm_link'",
      {{"owner", reader.into(link.owner, "owner")},
       {"repo", reader.into(link.repo, "repo")},
       {"branch", reader.into(link.branch, "branch")},
       {"auto_deploy_enabled", reader.into(link.auto_deploy_enabled, "auto_deploy_enabled")},
       {"deploy_review_apps_enabled",
        reader.into(link.deploy_review_apps_enabled, "deploy_review_apps_enabled")},
       {"delete_on_close_enabled",
        reader.into(link.delete_on_close_enabled, "delete_on_close_enabled")},
       {"hours_before_delete_on_close",
        reader.into(link.hours_before_delete_on_close, "hours_before_delete_on_close")}},
      {"owner", "repo", "branch"});
}

Result<void> parse_app(const YamlReader& reader, const YAML::Node& node, AppProfile& app) {
  return reader.read_map(
      node, "an app",
      {{"name", reader.into(app.name, "name")},
       {"initial_ref", reader.into(app.initial_ref, "initial_ref")},
       {"formation",
        [&](const YAML::Node& v) { return parse_formation(reader, v, app.formation); }},
       {"variables",
        [&](const YAML::Node& v) { return parse_variables(reader, v, app.variables); }},
       {"scm_link",
        [&](const YAML::Node& v) -> Result<void> {
          ScmLink link;
          if (auto read = parse_scm_link(reader, v, link); !read) return read.error();
          app.scm_link = link;
          return {};
        }}},
      {"name", "formation"});
}

Result<void> parse_durations(const YamlReader& reader, const YAML::Node& node, Durations& d) {
  auto read = reader.read_map(
      node, "'durations'",
      {{"build_s", reader.into(d.build_s, "build_s")},
       {"push_s", reader.into(d.push_s, "push_s")},
       {"hook_base_s", reader.into(d.hook_base_s, "hook_base_s")},
       {"hook_per_migration_s", reader.into(d.hook_per_migration_s, "hook_per_migration_s")},
       {"start_timeout_s", reader.into(d.start_timeout_s, "start_timeout_s")},
       {"one_off_boot_s", reader.into(d.one_off_boot_s, "one_off_boot_s")},
       {"one_off_command_s", reader.into(d.one_off_command_s, "one_off_command_s")},
       {"jitter", reader.into(d.jitter, "jitter")}});
  if (!read) return read;
  for (double v : {d.build_s, d.push_s, d.hook_base_s, d.hook_per_migration_s, d.start_timeout_s,
                   d.one_off_boot_s, d.one_off_command_s}) {
    if (v < 0) return reader.error_at(node, "durations must be >= 0");
  }
  if (d.jitter < 0 || d.jitter >= 1) return reader.error_at(node, "'jitter' must be in [0, 1)");
  return {};
}

}  // namespace

Result<PlatformProfile> parse_platform_profile(const std::string& yaml_text,
                                               const std::string& source_name) {
  const YamlReader reader(source_name);
  auto root = reader.load(yaml_text);
  if (!root) return root.error();
  PlatformProfile profile;
  auto read = reader.read_map(
      root.value(), "the profile",
      {{"name", reader.into(profile.name, "name")},
       {"region", reader.into(profile.region, "region")},
       {"user",
        [&](const YAML::Node& v) {
          return reader.read_map(v, "'user'",
                                 {{"id", reader.into(profile.user.id, "id")},
                                  {"username", reader.into(profile.user.username, "username")},
                                  {"email", reader.into(profile.user.email, "email")}});
        }},
       {"durations",
        [&](const YAML::Node& v) { return parse_durations(reader, v, profile.durations); }},
       {"apps",
        [&](const YAML::Node& list) -> Result<void> {
          if (!list.IsSequence()) return reader.error_at(list, "'apps' must be a list");
          for (const auto& item : list) {
            AppProfile app;
            if (auto parsed = parse_app(reader, item, app); !parsed) return parsed.error();
            for (const auto& other : profile.apps) {
              if (other.name == app.name) return reader.error_at(item, "duplicate app " + app.name);
            }
            profile.apps.push_back(std::move(app));
          }
          return {};
        }}},
      {"apps"});
  if (!read) return read.error();
  return profile;
}

}  // namespace mepsim::platform
