#pragma once
// The JSON bodies of the Scalingo API's writes, read into typed values before anything
// changes. Each reader takes the body already parsed as a JSON object (parse_json_object:
// anything else is a 400) and gives its value exactly when it recorded no field error (a
// 422 otherwise); what it accepts without modelling, or does not know, goes to `notes`.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fakes/common/json_fields.h"
#include "sim/platform/platform_types.h"

namespace mepsim::fakes::scalingo {

using Notes = std::vector<std::string>;

// POST …/variables {"variable":{"name","value"}}
std::optional<platform::VariableInput> read_variable_create(const nlohmann::json& body,
                                                            FieldErrors& errors, Notes& notes);
// PUT …/variables {"variables":[{"name","value"}, …]}
std::optional<std::vector<platform::VariableInput>> read_variables_bulk_update(
    const nlohmann::json& body, FieldErrors& errors, Notes& notes);
// PATCH …/variables/{id} {"variable":{"value"}}: the new value.
std::optional<std::string> read_variable_update(const nlohmann::json& body, FieldErrors& errors,
                                                Notes& notes);
// DELETE …/variables {"variable_ids":[…]}: at least one id.
std::optional<std::vector<std::string>> read_variable_ids(const nlohmann::json& body,
                                                          FieldErrors& errors, Notes& notes);

// One entry of POST …/scale {"containers":[{"name","amount","size"}, …]}: an amount (within
// 0…kContainersPerTypeMax) and/or a size; the rest is kept from the current formation.
struct ScaleEntry {
  std::string name;
  std::optional<int> amount;
  std::optional<std::string> size;
};
std::optional<std::vector<ScaleEntry>> read_scale(const nlohmann::json& body, FieldErrors& errors,
                                                  Notes& notes);
// The process type `entry` gives, over the current formation's.
platform::ProcessType scaled(const ScaleEntry& entry,
                             const std::vector<platform::ProcessType>& formation);

// POST …/restart {"scope":[…]}: the process types to restart, none for all.
std::optional<std::vector<std::string>> read_restart_scope(const nlohmann::json& body,
                                                           FieldErrors& errors, Notes& notes);

// POST …/deployments {"deployment":{"git_ref","source_url"}}; a missing git_ref is taken
// from an archive URL ("…/archive/1.7.4.tar.gz").
struct DeploymentRequest {
  std::string git_ref;  // as given, else the archive's (then never empty)
  std::string source_url;
};
std::optional<DeploymentRequest> read_deployment(const nlohmann::json& body, FieldErrors& errors,
                                                 Notes& notes);

// POST …/run {"command","env","size","detached"}
struct RunRequest {
  std::string command;  // never empty
  std::map<std::string, std::string> env;
  std::string size = "M";
  bool detached = false;
};
std::optional<RunRequest> read_run(const nlohmann::json& body, FieldErrors& errors, Notes& notes);

// POST …/scm_repo_link {"scm_repo_link":{"source", settings…}}: a GitHub repository.
std::optional<platform::ScmLink> read_scm_link_create(const nlohmann::json& body,
                                                      FieldErrors& errors, Notes& notes);
// PATCH …/scm_repo_link {"scm_repo_link":{settings…}}: the settings given, type-checked.
std::optional<nlohmann::json> read_scm_link_update(const nlohmann::json& body, FieldErrors& errors,
                                                   Notes& notes);
// POST …/scm_repo_link/manual_deploy {"branch"}
std::optional<std::string> read_manual_deploy(const nlohmann::json& body, FieldErrors& errors,
                                              Notes& notes);

}  // namespace mepsim::fakes::scalingo
