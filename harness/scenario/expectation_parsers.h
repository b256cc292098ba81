#pragma once
// The parser of each expectation kind (`expect: {deployment: {…}, mail: {…}}` and
// `wait_until`), inside the scenario parser. Field names are those of scenario.h; an
// expectation about an app names it (no default app here: a check must say what it checks).

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario.h"
#include "harness/scenario/yaml_cursor.h"

namespace mepsim::scenario::expectations {

// In the order scenario.h lists them: deployment, app, variables, containers, sentry,
// github, mattermost, mail, mysql, redis, sessions, load, converged, violations.
const std::vector<std::string_view>& kinds();
bool is_kind(std::string_view key);

// The expectation written under `kind` (one of kinds()); every mistake reported.
Expectation parse(yaml::Diagnostics& diag, std::string_view kind, const YAML::Node& value);

// "deployment histologe status=success": the expectation as a step description shows it.
std::string describe(std::string_view kind, const YAML::Node& value);

// Of each kind (platform_expectations.cc, service_expectations.cc).
Expectation parse_deployment(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_app(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_variables(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_containers(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_mysql(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_redis(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_sentry(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_github(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_mattermost(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_mail(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_sessions(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_load(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_converged(yaml::Diagnostics& diag, const YAML::Node& value);
Expectation parse_violations(yaml::Diagnostics& diag, const YAML::Node& value);

}  // namespace mepsim::scenario::expectations
