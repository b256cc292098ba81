// The bodies of the app's link to its GitHub repository (request_body.h).

#include <string_view>

#include "fakes/scalingo/request_body.h"

namespace mepsim::fakes::scalingo {
namespace {

// The settings both POST and PATCH take, type-checked, as a JSON object of what was given.
nlohmann::json read_settings(JsonObjectReader& reader) {
  nlohmann::json settings = nlohmann::json::object();
  if (auto v = reader.string("branch", Presence::optional)) settings["branch"] = *v;
  for (const char* flag :
       {"auto_deploy_enabled", "deploy_review_apps_enabled", "delete_on_close_enabled"}) {
    if (auto v = reader.boolean(flag, Presence::optional)) settings[flag] = *v;
  }
  if (auto v = reader.integer("hours_before_delete_on_close", Presence::optional)) {
    settings["hours_before_delete_on_close"] = *v;
  }
  return settings;
}

void ignore_unmodelled(JsonObjectReader& reader, Notes& notes) {
  for (const char* key : {"delete_stale_enabled", "hours_before_delete_stale",
                          "automatic_creation_from_forks_allowed", "auth_integration_uuid"}) {
    reader.ignore(key, notes);
  }
}

// "https://github.com/MTES-MCT/histologe(.git)" → owner and repo; false otherwise.
bool parse_github_source(const std::string& source, platform::ScmLink& link) {
  constexpr std::string_view kPrefix = "https://github.com/";
  if (!source.starts_with(kPrefix)) return false;
  std::string rest = source.substr(kPrefix.size());
  if (rest.ends_with(".git")) rest.resize(rest.size() - 4);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  link.owner = rest.substr(0, slash);
  link.repo = rest.substr(slash + 1);
  return true;
}

// The body's `scm_repo_link` object, or nullptr after recording why not.
const nlohmann::json* link_fields(const nlohmann::json& body, FieldErrors& errors, Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("scm_repo_link", Presence::required);
  root.note_unknown(notes);
  return fields;
}

}  // namespace

std::optional<platform::ScmLink> read_scm_link_create(const nlohmann::json& body,
                                                      FieldErrors& errors, Notes& notes) {
  const auto* fields = link_fields(body, errors, notes);
  if (fields == nullptr) return std::nullopt;
  JsonObjectReader reader(*fields, "scm_repo_link", errors);
  const auto source = reader.string("source", Presence::required);
  const auto settings = read_settings(reader);
  ignore_unmodelled(reader, notes);
  reader.note_unknown(notes);
  platform::ScmLink link;
  if (source && !parse_github_source(*source, link)) {
    errors.add("source", "must be a https://github.com/OWNER/REPO URL");
  }
  if (!errors.empty()) return std::nullopt;
  link.branch = settings.value("branch", "");  // "": the platform's default branch
  link.auto_deploy_enabled = settings.value("auto_deploy_enabled", false);
  link.deploy_review_apps_enabled = settings.value("deploy_review_apps_enabled", false);
  link.delete_on_close_enabled = settings.value("delete_on_close_enabled", true);
  link.hours_before_delete_on_close = settings.value("hours_before_delete_on_close", 0);
  return link;
}

std::optional<nlohmann::json> read_scm_link_update(const nlohmann::json& body, FieldErrors& errors,
                                                   Notes& notes) {
  const auto* fields = link_fields(body, errors, notes);
  if (fields == nullptr) return std::nullopt;
  JsonObjectReader reader(*fields, "scm_repo_link", errors);
  auto changes = read_settings(reader);
  ignore_unmodelled(reader, notes);
  reader.note_unknown(notes);
  if (!errors.empty()) return std::nullopt;
  return changes;
}

std::optional<std::string> read_manual_deploy(const nlohmann::json& body, FieldErrors& errors,
                                              Notes& notes) {
  JsonObjectReader reader(body, "", errors);
  auto branch = reader.string("branch", Presence::required);
  reader.note_unknown(notes);
  if (branch && branch->empty()) errors.add("branch", "can't be blank");
  if (!errors.empty()) return std::nullopt;
  return branch;
}

}  // namespace mepsim::fakes::scalingo
