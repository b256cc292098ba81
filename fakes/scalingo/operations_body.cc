// The bodies of what changes an app's run: scale, restart, deployments, one-off runs
// (request_body.h).

#include <string_view>

#include "fakes/scalingo/request_body.h"
#include "sim/platform/platform.h"

namespace mepsim::fakes::scalingo {
namespace {

std::optional<ScaleEntry> read_scale_entry(const nlohmann::json& item, const std::string& path,
                                           FieldErrors& errors, Notes& notes) {
  if (!item.is_object()) {
    errors.add("containers", "each entry must be an object");
    return std::nullopt;
  }
  JsonObjectReader reader(item, path, errors);
  const auto name = reader.string("name", Presence::required);
  const auto amount = reader.integer("amount", Presence::optional);
  const auto size = reader.string("size", Presence::optional);
  reader.note_unknown(notes);
  if (!name) return std::nullopt;
  if (!amount && !size) {
    errors.add("containers", "entry " + *name + " needs an amount or a size");
    return std::nullopt;
  }
  if (amount && (*amount < 0 || *amount > platform::kContainersPerTypeMax)) {
    errors.add("amount",
               "must be between 0 and " + std::to_string(platform::kContainersPerTypeMax));
    return std::nullopt;
  }
  ScaleEntry entry{*name, std::nullopt, size};
  if (amount) entry.amount = static_cast<int>(*amount);
  return entry;
}

// "https://github.com/o/r/archive/1.7.4.tar.gz" → "1.7.4": what the platform builds when
// a client gives only an archive URL.
std::string ref_from_source_url(const std::string& url) {
  std::string name = url.substr(url.rfind('/') + 1);
  for (std::string_view ext : {".tar.gz", ".tgz", ".zip"}) {
    if (name.size() > ext.size() && name.ends_with(ext)) {
      return name.substr(0, name.size() - ext.size());
    }
  }
  return {};
}

// `scope` is an array of process types in the API's documentation, but the npm client
// 0.14.6 sends whatever it is given (its type says string), and nothing when unset.
std::optional<std::vector<std::string>> scope_of(const nlohmann::json& body, FieldErrors& errors,
                                                 Notes& notes) {
  std::vector<std::string> scope;
  const auto found = body.find("scope");
  if (found == body.end() || found->is_null()) return scope;
  if (found->is_string()) {
    notes.push_back("scope sent as a string, not an array");
    scope.push_back(found->get<std::string>());
    return scope;
  }
  if (!found->is_array()) {
    errors.add("scope", "must be an array of process types");
    return std::nullopt;
  }
  for (const auto& item : *found) {
    if (!item.is_string()) {
      errors.add("scope", "must be an array of process types");
      return std::nullopt;
    }
    scope.push_back(item.get<std::string>());
  }
  return scope;
}

}  // namespace

std::optional<std::vector<ScaleEntry>> read_scale(const nlohmann::json& body, FieldErrors& errors,
                                                  Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* items = root.array("containers", Presence::required);
  root.note_unknown(notes);
  if (items == nullptr) return std::nullopt;
  if (items->empty()) errors.add("containers", "can't be empty");
  std::vector<ScaleEntry> entries;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "containers[" + std::to_string(i) + "]";
    auto entry = read_scale_entry((*items)[i], path, errors, notes);
    if (entry) entries.push_back(std::move(*entry));
  }
  if (!errors.empty()) return std::nullopt;
  return entries;
}

platform::ProcessType scaled(const ScaleEntry& entry,
                             const std::vector<platform::ProcessType>& formation) {
  platform::ProcessType type{entry.name, 0, "M"};
  for (const auto& p : formation) {
    if (p.name == entry.name) type = p;
  }
  if (entry.amount) type.amount = *entry.amount;
  if (entry.size) type.size = *entry.size;
  return type;
}

std::optional<std::vector<std::string>> read_restart_scope(const nlohmann::json& body,
                                                           FieldErrors& errors, Notes& notes) {
  auto scope = scope_of(body, errors, notes);
  for (const auto& [key, value] : body.items()) {
    if (key != "scope") notes.push_back("unknown field " + key);
  }
  return scope;
}

std::optional<DeploymentRequest> read_deployment(const nlohmann::json& body, FieldErrors& errors,
                                                 Notes& notes) {
  JsonObjectReader root(body, "", errors);
  const auto* fields = root.object("deployment", Presence::required);
  root.note_unknown(notes);
  if (fields == nullptr) return std::nullopt;
  JsonObjectReader reader(*fields, "deployment", errors);
  auto git_ref = reader.string("git_ref", Presence::optional);
  const auto source_url = reader.string("source_url", Presence::required);
  reader.ignore("postdeploy_hook", notes);
  reader.note_unknown(notes);
  if (errors.empty() && !git_ref) {
    git_ref = ref_from_source_url(*source_url);
    if (git_ref->empty()) errors.add("git_ref", "can't be blank when source_url names no ref");
  }
  if (!errors.empty()) return std::nullopt;
  return DeploymentRequest{*git_ref, *source_url};
}

std::optional<RunRequest> read_run(const nlohmann::json& body, FieldErrors& errors, Notes& notes) {
  JsonObjectReader reader(body, "", errors);
  const auto command = reader.string("command", Presence::required);
  auto env = reader.string_map("env", Presence::optional);
  const auto size = reader.string("size", Presence::optional);
  const auto detached = reader.boolean("detached", Presence::optional);
  reader.ignore("has_uploads", notes);
  reader.note_unknown(notes);
  if (command && command->empty()) errors.add("command", "can't be blank");
  if (!errors.empty()) return std::nullopt;
  RunRequest run{*command, {}, size.value_or("M"), detached.value_or(false)};
  if (env) run.env = std::move(*env);
  return run;
}

}  // namespace mepsim::fakes::scalingo
