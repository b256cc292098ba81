// Expectations about the platform's state: deployment, app, variables, containers, and the
// app's datastores (mysql, redis).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "harness/scenario/expectation_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::expectations {
namespace {

// The runner sends the query as is to the app's database: only reads are accepted.
bool is_read_query(const std::string& query) {
  std::string first_word;
  for (const char c : query) {
    if (std::isalpha(static_cast<unsigned char>(c)) == 0) {
      if (!first_word.empty()) break;
      if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == '(') continue;
      return false;
    }
    first_word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return first_word == "select" || first_word == "with";
}

}  // namespace

Expectation parse_deployment(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "deployment expectation");
  DeploymentExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.require_any({"status", "version", "git_ref", "count"});
  map.get("status", expect.status, yaml::name);
  map.get("version", expect.version, yaml::name);
  map.get("git_ref", expect.git_ref, yaml::name);
  map.get("count", expect.count, yaml::count_range);
  return expect;
}

Expectation parse_app(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "app expectation");
  AppExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.require_any({"status", "serving_version", "exists"});
  map.get("status", expect.status, yaml::name);
  map.get("serving_version", expect.serving_version, yaml::name);
  map.get("exists", expect.exists, yaml::boolean);
  return expect;
}

Expectation parse_variables(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "variables expectation");
  VariablesExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.require_any({"set", "in_effect", "not_in_effect", "absent"});
  map.get("set", expect.set, yaml::text_map);
  map.get("in_effect", expect.in_effect, yaml::text_map);
  map.get("not_in_effect", expect.not_in_effect, yaml::text_list);
  map.get("absent", expect.absent, yaml::text_list);
  return expect;
}

Expectation parse_containers(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "containers expectation");
  ContainersExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.get("type", expect.type, yaml::name);
  map.require_any({"count", "healthy"});
  map.get("count", expect.count, yaml::count_range);
  map.get("healthy", expect.healthy, yaml::count_range);
  return expect;
}

Expectation parse_mysql(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "mysql expectation");
  MysqlExpect expect;
  map.get_required("app", expect.app, yaml::name);
  if (map.get_required("query", expect.query, yaml::name) && !is_read_query(expect.query)) {
    diag.error(map.value_pos("query"), "mysql expectation's query must be one SELECT");
  }
  map.require_any({"equals", "rows"});
  map.get("equals", expect.equals, yaml::text);
  map.get("rows", expect.rows, yaml::count_range);
  return expect;
}

Expectation parse_redis(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "redis expectation");
  RedisExpect expect;
  map.get_required("app", expect.app, yaml::name);
  map.get_required("pattern", expect.pattern, yaml::name);
  map.get_required("keys", expect.keys, yaml::count_range);
  return expect;
}

}  // namespace mepsim::scenario::expectations
