// `fault: {network: {link: …, <policy fields> | heal: true}}`: the policy's fields are
// fault_policy.h's, each checked there and reported here at its place in the file.

#include <fmt/format.h>

#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_values.h"
#include "sim/net/fault_policy.h"

namespace mepsim::scenario::steps {

NetworkFault parse_network_fault(yaml::Diagnostics& diag, const YAML::Node& value) {
  const std::size_t errors_before = diag.count();
  yaml::MapCursor map(diag, value, "fault network");
  NetworkFault fault;
  map.get_required("link", fault.link,
                   yaml::one_of({"mysql", "redis", "sentry", "brevo", "geocoding"}));
  if (map.has("heal")) {
    const auto at = map.value_pos("heal");
    bool heal = false;
    if (map.get("heal", heal, yaml::boolean) && !heal) {
      diag.error(at, "'heal' can only be true: to keep a link's fault, leave the step out");
    }
    fault.heal = true;
  }
  for (const auto& entry : map.take_rest()) {
    if (fault.heal) {
      diag.error(entry.key_node,
                 fmt::format("'{}' cannot go with 'heal: true', which returns the link to "
                             "pass-through",
                             entry.key));
      continue;
    }
    auto set = set_fault_policy_field(fault.policy, entry.key, yaml::to_json(entry.value));
    if (!set) {
      const bool unknown = set.error().message.find("unknown field") != std::string::npos;
      diag.error(unknown ? entry.key_node : entry.value, "fault network " + set.error().message);
    }
  }
  if (!map.is_map() || fault.heal || diag.count() != errors_before) return fault;
  if (fault.policy.pass_through()) {
    diag.error(value,
               "fault network sets no fault: give latency_ms, jitter_ms, bandwidth_kbps, "
               "reset_probability, reset_after_bytes, blackhole or slow_close_ms, or heal: true");
  } else if (auto checked = check_fault_policy(fault.policy); !checked) {
    diag.error(value, "fault network " + checked.error().message);
  }
  return fault;
}

}  // namespace mepsim::scenario::steps
