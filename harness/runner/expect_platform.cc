// Expectations on the platform model: deployments, the app, its variables, its containers.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "fakes/github/git_origin.h"
#include "harness/runner/expectations.h"
#include "harness/topology/github_wiring.h"
#include "sim/platform/platform.h"
#include "sim/platform/process_container_runtime.h"

namespace mepsim::runner {
namespace {

// Deployments read for a `count` (kDeploymentsPerAppMax: the platform keeps no more).
constexpr int kDeploymentsPerPage = 100;
constexpr int kDeploymentPagesMax =
    static_cast<int>(platform::kDeploymentsPerAppMax) / kDeploymentsPerPage;

bool is_hex_sha_prefix(const std::string& text) {
  return text.size() >= 7 && text.size() <= 40 &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c) != 0; });
}

// A deployment's ref and the expectation's name the same commit: equal, a sha and its
// prefix, or the same sha in the origin (a branch or tag as it points now).
bool ref_matches(RunContext& ctx, const std::string& deployed, const std::string& expected) {
  if (deployed == expected) return true;
  if (is_hex_sha_prefix(expected) && deployed.starts_with(expected)) return true;
  GithubWiring* github = ctx.topology.github();
  if (github == nullptr) return false;
  const auto a = github->origin().resolve(deployed);
  const auto b = github->origin().resolve(expected);
  return a && b && a.value() == b.value();
}

// What a message may show of a variable: secrets redacted, credentials out of URLs.
std::string shown_value(const std::string& name, const std::string& value) {
  if (EventLog::is_secret_key(name)) return "[redacted]";
  const auto scheme = value.find("://");
  const auto at = value.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    return value.substr(0, scheme + 3) + "***" + value.substr(at);
  }
  return value.empty() ? "\"\"" : value;
}

std::vector<platform::Container> containers_of_type(const std::vector<platform::Container>& all,
                                                    const std::string& type) {
  std::vector<platform::Container> found;
  std::copy_if(all.begin(), all.end(), std::back_inserter(found),
               [&](const platform::Container& c) { return c.type == type; });
  return found;
}

bool deployment_matches(RunContext& ctx, const scenario::DeploymentExpect& e,
                        const platform::Deployment& d) {
  return (!e.status || *e.status == platform::to_string(d.status)) &&
         (!e.version || *e.version == d.version) &&
         (!e.git_ref || ref_matches(ctx, d.git_ref, *e.git_ref));
}

// "deployments with status success, version 1.7.4"
std::string matching_label(const scenario::DeploymentExpect& e) {
  std::vector<std::string> parts;
  if (e.status) parts.push_back("status " + *e.status);
  if (e.version) parts.push_back("version " + *e.version);
  if (e.git_ref) parts.push_back("git_ref " + *e.git_ref);
  return parts.empty() ? "deployments" : fmt::format("deployments with {}", fmt::join(parts, ", "));
}

}  // namespace

StepOutcome check_deployment(const scenario::DeploymentExpect& e, RunContext& ctx) {
  Verdict v("deployment " + e.app);
  auto& platform = ctx.topology.platform();
  std::vector<platform::Deployment> all;  // newest first
  for (int page = 1; page <= (e.count ? kDeploymentPagesMax : 1); ++page) {
    auto listed = platform.deployments(e.app, {page, e.count ? kDeploymentsPerPage : 1});
    if (!listed) {
      v.fail(listed.error().message);
      return v.outcome();
    }
    all.insert(all.end(), listed->items.begin(), listed->items.end());
    if (page >= listed->total_pages) break;
  }
  if (e.count) {
    const auto n = std::count_if(all.begin(), all.end(), [&](const platform::Deployment& d) {
      return deployment_matches(ctx, e, d);
    });
    v.expect_count(matching_label(e), n, *e.count);
    v.note(fmt::format("{} {}", n, matching_label(e)));
    return v.outcome();
  }
  if (all.empty()) {
    v.fail("no deployment yet");
    return v.outcome();
  }
  const platform::Deployment& latest = all.front();
  if (e.status) v.expect_equal("status", platform::to_string(latest.status), *e.status);
  if (e.version) v.expect_equal("version", latest.version, *e.version);
  if (e.git_ref && !ref_matches(ctx, latest.git_ref, *e.git_ref)) {
    v.fail(fmt::format("git_ref is {}, expected {}", latest.git_ref, *e.git_ref));
  }
  v.note(fmt::format("{} {} ({})", latest.version.empty() ? "(no version)" : latest.version,
                     platform::to_string(latest.status), latest.git_ref));
  return v.outcome();
}

StepOutcome check_app(const scenario::AppExpect& e, RunContext& ctx) {
  Verdict v("app " + e.app);
  auto& platform = ctx.topology.platform();
  const auto app = platform.app(e.app);
  if (!app && app.error().code != ErrorCode::not_found) {
    v.fail(app.error().message);
    return v.outcome();
  }
  if (e.exists) v.expect_equal("exists", app ? "true" : "false", *e.exists ? "true" : "false");
  if (!app) {
    if (!e.exists) v.fail("does not exist");
    v.note("does not exist");
    return v.outcome();
  }
  if (e.status) v.expect_equal("status", platform::to_string(app->status), *e.status);
  if (e.serving_version) {
    const auto serving = platform.serving_release(e.app);
    if (!serving) {
      v.fail(fmt::format("serving_version is none ({}), expected {}", serving.error().message,
                         *e.serving_version));
    } else {
      v.expect_equal("serving_version", serving->version, *e.serving_version);
    }
  }
  v.note(platform::to_string(app->status));
  return v.outcome();
}

StepOutcome check_variables(const scenario::VariablesExpect& e, RunContext& ctx) {
  Verdict v("variables " + e.app);
  auto& platform = ctx.topology.platform();
  const auto listed = platform.variables(e.app);
  if (!listed) {
    v.fail(listed.error().message);
    return v.outcome();
  }
  std::map<std::string, std::string> values;
  for (const auto& variable : listed.value()) values[variable.name] = variable.value;
  for (const auto& [name, expected] : e.set) {
    const auto found = values.find(name);
    v.expect_equal(name, found == values.end() ? "not set" : shown_value(name, found->second),
                   shown_value(name, expected));
  }
  for (const auto& name : e.absent) {
    if (const auto found = values.find(name); found != values.end()) {
      v.fail(fmt::format("{} is set (to {}), expected absent", name,
                         shown_value(name, found->second)));
    }
  }
  if (!e.in_effect.empty()) {
    const auto containers = platform.containers(e.app);
    const auto web = containers ? containers_of_type(containers.value(), "web")
                                : std::vector<platform::Container>();
    if (web.empty()) v.fail("no running web container to have variables in effect");
    for (const auto& [name, expected] : e.in_effect) {
      std::vector<std::string> differing;
      for (const auto& c : web) {
        const auto got = c.env.find(name);
        const std::string shown = got == c.env.end() ? "not set" : shown_value(name, got->second);
        if (got == c.env.end() || got->second != expected)
          differing.push_back(c.label + ": " + shown);
      }
      if (!differing.empty()) {
        v.fail(fmt::format("{} is not {} in every running web container ({})", name,
                           shown_value(name, expected), fmt::join(differing, ", ")));
      }
    }
  }
  if (!e.not_in_effect.empty()) {
    const auto pending = platform.variables_not_in_effect(e.app);
    if (!pending) {
      v.fail(pending.error().message);
    } else {
      const std::set<std::string> names(pending->begin(), pending->end());
      for (const auto& name : e.not_in_effect) {
        if (!names.contains(name)) v.fail(fmt::format("{} is in effect, expected not yet", name));
      }
    }
  }
  v.note(fmt::format("{} variables hold",
                     e.set.size() + e.in_effect.size() + e.not_in_effect.size() + e.absent.size()));
  return v.outcome();
}

StepOutcome check_containers(const scenario::ContainersExpect& e, RunContext& ctx) {
  Verdict v(fmt::format("containers {} {}", e.app, e.type));
  const auto containers = ctx.topology.platform().containers(e.app);
  if (!containers) {
    v.fail(containers.error().message);
    return v.outcome();
  }
  const auto of_type = containers_of_type(containers.value(), e.type);
  const auto running = static_cast<std::int64_t>(of_type.size());
  if (e.count) v.expect_count("running", running, *e.count);
  v.note(fmt::format("{} running", running));
  if (e.healthy) {
    // The runtime's health check of each container. Not the routers': asking them makes a
    // healthy container join its router, which only the platform may decide.
    std::int64_t healthy = 0;
    for (const auto& c : of_type) healthy += ctx.topology.processes().healthy(c.runtime_id) ? 1 : 0;
    v.expect_count("healthy", healthy, *e.healthy);
    v.note(fmt::format("{} healthy", healthy));
  }
  return v.outcome();
}

}  // namespace mepsim::runner
