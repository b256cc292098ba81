#include "harness/runner/fault_steps.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <set>

#include "fakes/common/chaos.h"
#include "harness/runner/network_fault_steps.h"
#include "harness/runner/overloaded.h"
#include "harness/topology/third_party_fakes.h"
#include "sim/datastore/mariadb_server.h"
#include "sim/datastore/redis_server.h"
#include "sim/net/http_client.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim::runner {
namespace {

using nlohmann::json;

// Real time a SIGKILLed container gets to be reaped: the kernel needs milliseconds.
constexpr auto kKillReapTimeout = std::chrono::seconds(5);
constexpr auto kKillReapPoll = std::chrono::milliseconds(5);
constexpr auto kAdminTimeout = std::chrono::seconds(10);

void settle(RunContext& ctx) {
  if (ctx.settle) ctx.settle();
}

// ---------------------------------------------------------------- kill

StepOutcome kill_container(const scenario::KillContainer& kill, RunContext& ctx) {
  const std::string what = fmt::format("{}'s container {}", kill.app, kill.container);
  auto containers = ctx.topology.platform().containers(kill.app);
  if (!containers) {
    return StepOutcome::fail("cannot kill " + what + ": " + containers.error().message);
  }
  const auto found =
      std::find_if(containers->begin(), containers->end(),
                   [&](const platform::Container& c) { return c.label == kill.container; });
  if (found == containers->end()) {
    std::vector<std::string> labels;
    for (const auto& c : containers.value()) labels.push_back(c.label);
    return StepOutcome::fail(fmt::format(
        "cannot kill {}: {} has no running container {} (running: {})", what, kill.app,
        kill.container, labels.empty() ? "none" : fmt::format("{}", fmt::join(labels, ", "))));
  }
  auto& processes = ctx.topology.processes();
  const pid_t pid = processes.pid_of(found->runtime_id);
  if (pid <= 0) {
    return StepOutcome::fail(fmt::format(
        "cannot kill {}: it is a model container, with no process to kill (processes run "
        "only for the types: {})",
        what, fmt::join(processes.options().process_types, ", ")));
  }
  // booting() reaps a process that has exited, and is true while it has not: a pid the
  // runtime has not reaped is still this container's, never one the kernel reused.
  if (!processes.booting(found->runtime_id)) {
    return StepOutcome::fail(fmt::format("cannot kill {}: its process has already exited", what));
  }
  if (::kill(pid, SIGKILL) != 0) {
    return StepOutcome::fail(fmt::format("cannot kill {}: {}", what, std::strerror(errno)));
  }
  // Until the runtime reaps it, the process is a zombie: wait, so that the next step
  // meets a dead container and not a dying one.
  const Instant deadline = ctx.real_clock.now() + kKillReapTimeout;
  while (processes.booting(found->runtime_id)) {
    if (ctx.real_clock.now() >= deadline) {
      return StepOutcome::fail(fmt::format("{} was sent SIGKILL but had not exited after {} s",
                                           what, kKillReapTimeout.count()));
    }
    ctx.real_clock.sleep(kKillReapPoll);
  }
  // No pid in the event: pids change from run to run, the fingerprint must not.
  ctx.topology.platform().publish_event(
      "fault.injected", {{"kind", "kill"}, {"app", kill.app}, {"container", kill.container}});
  settle(ctx);
  return StepOutcome::pass("killed " + what + " (SIGKILL)");
}

// ---------------------------------------------------------------- datastores

template <class Server>
StepOutcome toggle_server(Server* server, const std::string& name, const char* attach_flag,
                          bool start, RunContext& ctx) {
  const char* verb = start ? "start" : "stop";
  if (server == nullptr) {
    return StepOutcome::fail(
        fmt::format("{} is attached ({}): mepsim cannot {} it", name, attach_flag, verb));
  }
  std::string measured;
  if (start) {
    auto started = server->start_again(ctx.real_clock);
    if (!started) {
      return StepOutcome::fail(fmt::format("cannot start {}: {}", name, started.error().message));
    }
    measured = fmt::format("{} started again on port {}", name, server->url().port);
  } else {
    auto stopped = server->stop_running();
    if (!stopped) {
      return StepOutcome::fail(fmt::format("cannot stop {}: {}", name, stopped.error().message));
    }
    measured = fmt::format("{} stopped (exit code {})", name, stopped->code);
  }
  ctx.topology.platform().publish_event(start ? "fault.healed" : "fault.injected",
                                        {{"kind", fmt::format("{}_{}", verb, name)}});
  settle(ctx);
  return StepOutcome::pass(std::move(measured));
}

StepOutcome datastore_fault(const scenario::DatastoreFault& fault, RunContext& ctx) {
  if (fault.server == "redis") {
    return toggle_server(ctx.topology.redis(), "redis", "--redis-url", fault.start, ctx);
  }
  if (fault.server == "mysql") {
    return toggle_server(ctx.topology.mariadb(), "mysql", "--mysql-url", fault.start, ctx);
  }
  return StepOutcome::fail("unknown datastore " + fault.server + " (redis or mysql)");
}

// ---------------------------------------------------------------- chaos

bool is_route_name(const std::string& text, bool star_allowed) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
           (star_allowed && c == '*');
  });
}

// The admin API's refusal in one line: its 422 names the field, other errors carry one
// message.
std::string admin_refusal(const HttpReply& reply) {
  const json body = json::parse(reply.body, nullptr, false);
  if (body.is_object() && body.contains("errors") && body["errors"].is_object()) {
    std::vector<std::string> parts;
    for (const auto& [field, messages] : body["errors"].items()) {
      std::string text = field + ":";
      for (const auto& m : messages) {
        text += " " + (m.is_string() ? m.get<std::string>() : m.dump());
      }
      parts.push_back(std::move(text));
    }
    return fmt::format("{}", fmt::join(parts, "; "));
  }
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    return body["error"].get<std::string>();
  }
  return fmt::format("HTTP {}", reply.status);
}

StepOutcome chaos_fault(const scenario::ChaosFault& fault, RunContext& ctx) {
  if (!fault.settings.is_object()) {
    return StepOutcome::fail("chaos settings for " + fault.fake + " must be a mapping");
  }
  json policy = fault.settings;
  std::string operation = "*";
  if (policy.contains("operation")) {
    if (!policy["operation"].is_string()) {
      return StepOutcome::fail("chaos settings for " + fault.fake + ": operation must be a string");
    }
    operation = policy["operation"].get<std::string>();
    policy.erase("operation");
  }
  if (!is_route_name(fault.fake, false) || !is_route_name(operation, true)) {
    return StepOutcome::fail(
        fmt::format("chaos: '{}' / '{}' is not a fake and operation name", fault.fake, operation));
  }
  const std::string admin = ctx.env_value("MEPSIM_ADMIN_URL");
  if (admin.empty()) return StepOutcome::fail("chaos: MEPSIM_ADMIN_URL is not in the run's env");
  const bool clearing = policy.empty();
  auto url = parse_http_url(fmt::format("{}/chaos/{}/{}", admin, fault.fake, operation));
  if (!url) return StepOutcome::fail("chaos: " + url.error().message);
  HttpExchange exchange;
  exchange.method = clearing ? "DELETE" : "PUT";
  exchange.url = url.value();
  if (!clearing) {
    exchange.headers = {{"Content-Type", "application/json"}};
    exchange.body = policy.dump();
  }
  exchange.timeout = kAdminTimeout;
  const std::string site = fault.fake + "." + operation;
  auto reply = http_exchange(exchange);
  if (!reply) return StepOutcome::fail("chaos on " + site + ": " + reply.error().message);
  if (reply->status / 100 != 2) {
    return StepOutcome::fail(
        fmt::format("chaos on {} refused by the admin API: {}", site, admin_refusal(*reply)));
  }
  std::vector<Field> fields = {{"kind", "chaos"}, {"fake", fault.fake}, {"operation", operation}};
  if (!clearing) fields.push_back({"settings", policy.dump()});
  ctx.topology.platform().publish_event(clearing ? "fault.healed" : "fault.injected",
                                        std::move(fields));
  settle(ctx);
  return StepOutcome::pass(clearing ? "chaos cleared on " + site : "chaos set on " + site);
}

std::string injected_name(const Event& event) {
  const std::string& kind = event.field("kind");
  if (kind == "kill") return "kill:" + event.field("app") + "/" + event.field("container");
  if (kind == "chaos") return "chaos:" + event.field("fake") + "." + event.field("operation");
  if (kind == "network") return "network:" + event.field("link") + "." + event.field("faults");
  return kind;
}

}  // namespace

StepOutcome run_fault_step(const scenario::FaultStep& step, RunContext& ctx) {
  return std::visit(
      Overloaded{
          [&](const scenario::KillContainer& kill) { return kill_container(kill, ctx); },
          [&](const scenario::DatastoreFault& fault) { return datastore_fault(fault, ctx); },
          [&](const scenario::ChaosFault& fault) { return chaos_fault(fault, ctx); },
          [&](const scenario::NetworkFault& fault) { return run_network_fault(fault, ctx); },
      },
      step.action);
}

std::vector<std::string> faults_used(RunContext& ctx) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& event : ctx.log.retained()) {
    if (event.name != "fault.injected") continue;
    std::string name = injected_name(event);
    if (seen.insert(name).second) out.push_back(std::move(name));
  }
  for (const auto& [site, count] : ctx.topology.third_party().chaos().faults_used()) {
    out.push_back(fmt::format("{} ({} request{})", site, count, count == 1 ? "" : "s"));
  }
  for (auto& fired : network_faults_fired(ctx)) out.push_back(std::move(fired));
  return out;
}

}  // namespace mepsim::runner
