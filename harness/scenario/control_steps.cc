// Steps about time, faults and checks: wait, wait_until, fault, expect.

#include <fmt/format.h>

#include "harness/scenario/duration_text.h"
#include "harness/scenario/expectation_parsers.h"
#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::steps {
namespace {

ExpectationAt expectation_at(yaml::Diagnostics& diag, yaml::MapCursor& map,
                             const std::string& kind) {
  ExpectationAt at{kind, DeploymentExpect{}, map.key_pos(kind)};
  if (const auto value = map.take(kind)) at.value = expectations::parse(diag, kind, *value);
  return at;
}

std::string describe(yaml::MapCursor& map, const YAML::Node& value, const std::string& kind) {
  if (!map.is_map() || !value[kind]) return kind;
  return expectations::describe(kind, value[kind]);
}

KillContainer kill(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "fault kill");
  KillContainer kill;
  map.get_required("app", kill.app, yaml::name);
  map.get("container", kill.container, yaml::name);
  return kill;
}

ChaosFault chaos(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "fault chaos");
  ChaosFault chaos{"", nlohmann::json::object()};
  map.get_required("fake", chaos.fake,
                   yaml::one_of({"sentry", "brevo", "geocoding", "github", "mattermost"}));
  // The settings are the chaos endpoint's to check: the runner sends them as they are.
  for (const auto& entry : map.take_rest()) chaos.settings[entry.key] = yaml::to_json(entry.value);
  return chaos;
}

}  // namespace

StepDraft parse_wait(yaml::Diagnostics& diag, const YAML::Node& value) {
  const auto duration = yaml::duration(diag, value, "wait").value_or(Duration{});
  return {WaitStep{duration}, "wait " + format_duration(duration)};
}

StepDraft parse_wait_until(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "wait_until step");
  WaitUntilStep step{ExpectationAt{"", DeploymentExpect{}, map.pos()}, Duration{}};
  map.get_required("timeout", step.timeout, yaml::duration);
  const auto kind = map.choose(expectations::kinds());
  if (!kind) return {std::move(step), "wait until"};
  step.condition = expectation_at(diag, map, *kind);
  auto description = fmt::format("wait until {} (timeout {})", describe(map, value, *kind),
                                 format_duration(step.timeout));
  return {std::move(step), std::move(description)};
}

StepDraft parse_fault(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "fault step");
  const auto action = map.choose({"kill", "stop", "start", "chaos", "network"});
  const auto node = action ? map.take(*action) : std::nullopt;
  if (!node) return {FaultStep{KillContainer{}}, "fault"};
  if (action == "kill") {
    auto fault = kill(diag, *node);
    auto description = fmt::format("fault kill {} {}", fault.app, fault.container);
    return {FaultStep{std::move(fault)}, std::move(description)};
  }
  if (action == "chaos") {
    auto fault = chaos(diag, *node);
    auto description =
        shorten(fmt::format("fault chaos {} {}", fault.fake, fault.settings.dump()), 100);
    return {FaultStep{std::move(fault)}, std::move(description)};
  }
  if (action == "network") {
    auto fault = parse_network_fault(diag, *node);
    auto description =
        fault.heal
            ? fmt::format("fault network {} heal", fault.link)
            : shorten(fmt::format("fault network {} {}", fault.link, to_json(fault.policy).dump()),
                      100);
    return {FaultStep{std::move(fault)}, std::move(description)};
  }
  DatastoreFault fault{yaml::read_choice(diag, *node, *action, {"redis", "mysql"}).value_or(""),
                       action == "start"};
  auto description = fmt::format("fault {} {}", *action, fault.server);
  return {FaultStep{std::move(fault)}, std::move(description)};
}

StepDraft parse_expect(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "expect step");
  map.note_known(expectations::kinds());
  ExpectStep step;
  std::vector<std::string> descriptions;
  for (const auto& key : map.keys()) {
    if (!expectations::is_kind(key)) continue;  // reported by the cursor, with the kinds
    step.expectations.push_back(expectation_at(diag, map, key));
    descriptions.push_back(describe(map, value, key));
  }
  if (map.is_map() && map.keys().empty()) {
    diag.error(value, fmt::format("expect step needs at least one of {}",
                                  fmt::join(expectations::kinds(), ", ")));
  }
  auto description = shorten(fmt::format("expect {}", fmt::join(descriptions, "; ")), 160);
  return {std::move(step), std::move(description)};
}

}  // namespace mepsim::scenario::steps
