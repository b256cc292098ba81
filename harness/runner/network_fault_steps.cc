#include "harness/runner/network_fault_steps.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <variant>

#include "harness/topology/network_links.h"
#include "sim/net/fault_policy.h"
#include "sim/platform/platform.h"

namespace mepsim::runner {
namespace {

// What one firing of each fault is, in the report's words.
std::string fired_text(const std::string& fault, std::uint64_t count) {
  static const std::map<std::string, std::pair<const char*, const char*>> units = {
      {"latency", {"chunk delayed", "chunks delayed"}},
      {"bandwidth", {"chunk throttled", "chunks throttled"}},
      {"reset", {"connection reset", "connections reset"}},
      {"blackhole", {"chunk or connection held", "chunks or connections held"}},
      {"slow_close", {"close delayed", "closes delayed"}}};
  const auto found = units.find(fault);
  if (found == units.end()) return fmt::format("{} times", count);
  return fmt::format("{} {}", count, count == 1 ? found->second.first : found->second.second);
}

}  // namespace

StepOutcome run_network_fault(const scenario::NetworkFault& fault, RunContext& ctx) {
  NetworkLinks* links = ctx.topology.network_links();
  if (links == nullptr) {
    return StepOutcome::fail(fmt::format(
        "fault network on {}: this topology runs without network faults (a scenario with a "
        "network step gets them, as does `mepsim up --network-faults`)",
        fault.link));
  }
  const FaultPolicy policy = fault.heal ? FaultPolicy{} : fault.policy;
  if (auto set = links->set_policy(fault.link, policy); !set) {
    return StepOutcome::fail(
        fmt::format("fault network on {}: {}", fault.link, set.error().message));
  }
  ctx.topology.platform().publish_event(network_fault_event(policy),
                                        network_fault_fields(fault.link, policy));
  if (ctx.settle) ctx.settle();
  if (fault.heal) return StepOutcome::pass("network link " + fault.link + " healed");
  return StepOutcome::pass(fmt::format("network link {}: {}", fault.link, to_json(policy).dump()));
}

bool uses_network_faults(const scenario::Scenario& scenario) {
  for (const auto& step : scenario.steps) {
    const auto* fault = std::get_if<scenario::FaultStep>(&step.body);
    if (fault && std::holds_alternative<scenario::NetworkFault>(fault->action)) return true;
  }
  return false;
}

std::vector<std::string> network_faults_fired(RunContext& ctx) {
  std::vector<std::string> out;
  const NetworkLinks* links = ctx.topology.network_links();
  if (links == nullptr) return out;
  for (const auto& [link, counters] : links->counters()) {
    for (const auto& [fault, count] : counters.faults_fired()) {
      out.push_back(fmt::format("network:{}.{} ({})", link, fault, fired_text(fault, count)));
    }
  }
  return out;
}

}  // namespace mepsim::runner
