#include "harness/runner/run_context.h"

#include <fmt/format.h>

#include "harness/topology/app_routers.h"

namespace mepsim::runner {

std::string RunContext::env_value(const std::string& key) const {
  for (const auto& [name, value] : env) {
    if (name == key) return value;
  }
  return {};
}

std::string RunContext::app_url(const std::string& app) const {
  const auto route = topology.routers().route(app);
  if (!route) return {};
  return fmt::format("http://127.0.0.1:{}", route->port);
}

}  // namespace mepsim::runner
