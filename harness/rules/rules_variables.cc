// R7 (demo parity), R8 (banner first), R9 (restart applies): the rules about variables
// and one-off commands, and about when a variable change came into effect.

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

#include "harness/rules/rule_timeline.h"

namespace mepsim::rules {
namespace {

bool is_change(const VariableChange& c) {
  return c.action == "created" || c.action == "updated" || c.action == "deleted";
}

// What demo must also have done: "set NAME" (or "set NAME=value" for the public
// maintenance variables, whose values are known), or "delete NAME".
std::string parity_key(const VariableChange& c) {
  if (c.action == "deleted") return "delete " + c.name;
  return "set " + c.name + (c.value ? "=" + *c.value : "");
}

void check_demo_parity(const RuleTimeline& t, const RuleOptions& o, std::vector<Violation>& out) {
  std::set<std::string> demo_done, reported;
  for (const auto& c : t.variable_changes) {
    if (c.app == o.demo_app && c.action != "initial") demo_done.insert(parity_key(c));
  }
  for (const auto& r : t.runs) {
    if (r.app == o.demo_app) demo_done.insert("run " + r.command);
  }
  for (const auto& c : t.variable_changes) {
    // Maintenance and its banner are toggled per environment, for an operation on that
    // one: they are not the release's configuration that demo must follow.
    if (c.app != o.production_app || !is_change(c) || c.name.rfind("MAINTENANCE_", 0) == 0) {
      continue;
    }
    const std::string key = parity_key(c);
    if (demo_done.contains(key) || !reported.insert(key).second) continue;
    out.push_back(
        {"R7-demo-parity",
         c.at,
         fmt::format("{} on {} was not also done on {}", key, c.app, o.demo_app),
         {{"app", c.app}, {"variable", c.name}, {"change", key}, {"demo_app", o.demo_app}},
         {c.seq}});
  }
  for (const auto& r : t.runs) {
    const std::string key = "run " + r.command;
    if (r.app != o.production_app || demo_done.contains(key) || !reported.insert(key).second) {
      continue;
    }
    out.push_back({"R7-demo-parity",
                   r.at,
                   fmt::format("`{}` ran on {} and not on {}", r.command, r.app, o.demo_app),
                   {{"app", r.app}, {"command", r.command}, {"demo_app", o.demo_app}},
                   {r.seq}});
  }
}

// Final: a change is in effect once web containers started after it serve (a restart
// with web in its scope, or a deployment's success). Reported once per app and name, at
// its first change left without effect, citing all of them.
void check_restart_applies(const RuleTimeline& t, std::vector<Violation>& out) {
  std::map<std::pair<std::string, std::string>, std::vector<const VariableChange*>> stale;
  for (const auto& c : t.variable_changes) {
    const auto destroyed = t.destroyed_apps.find(c.app);
    if (!is_change(c) || (destroyed != t.destroyed_apps.end() && destroyed->second > c.seq)) {
      continue;
    }
    const bool applied = std::any_of(t.effects.begin(), t.effects.end(), [&](const Effect& e) {
      return e.app == c.app && e.snapshot_seq > c.seq;
    });
    if (!applied) stale[{c.app, c.name}].push_back(&c);
  }
  for (const auto& [key, changes] : stale) {
    const auto& [app, name] = key;
    std::vector<std::uint64_t> seqs;
    for (const auto* c : changes) {
      if (seqs.size() < kSeqsCitedMax) seqs.push_back(c->seq);
    }
    out.push_back({"R9-restart-applies",
                   changes.front()->at,
                   fmt::format("{} changed on {} and never came into effect: no restart nor "
                               "deployment followed",
                               name, app),
                   {{"app", app}, {"variable", name}, {"action", changes.back()->action}},
                   std::move(seqs)});
  }
}

struct EffectState {
  const Effect* effect;
  bool maintenance, banner;
};

std::vector<EffectState> production_states(const RuleTimeline& t, const RuleOptions& o) {
  std::vector<EffectState> states;
  for (const auto& e : t.effects) {
    if (e.app != o.production_app) continue;
    states.push_back({&e, t.value_before(e.app, "MAINTENANCE_ENABLE", e.snapshot_seq) == "1",
                      t.value_before(e.app, "MAINTENANCE_BANNER_ENABLE", e.snapshot_seq) == "1"});
  }
  return states;
}

// The version serving on production just before the event `seq`.
std::string serving_before(const RuleTimeline& t, const RuleOptions& o, std::uint64_t seq) {
  const auto boot = t.boots.find(o.production_app);
  std::string version = boot != t.boots.end() ? boot->second.version : "";
  std::uint64_t latest = 0;
  for (const auto& d : t.deployments) {
    if (d.app != o.production_app || !d.success() || d.finished_seq >= seq) continue;
    if (d.finished_seq > latest) {
      latest = d.finished_seq;
      version = d.version;
    }
  }
  return version;
}

// The first production deployment that went live from the window's opening to its
// closing (both included: a deployment may be what brings maintenance in or out) with a
// greater MAJOR than `from`.
const DeploymentRecord* major_release_in(const RuleTimeline& t, const RuleOptions& o,
                                         const std::string& from, std::uint64_t on_seq,
                                         std::uint64_t off_seq) {
  const auto major_from = major_of(from);
  if (!major_from) return nullptr;
  const DeploymentRecord* first = nullptr;
  for (const auto& d : t.deployments) {
    if (d.app != o.production_app || !d.success()) continue;
    if (d.finished_seq < on_seq || d.finished_seq > off_seq) continue;
    const auto major_to = major_of(d.version);
    if (!major_to || *major_to <= *major_from) continue;
    if (first == nullptr || d.finished_seq < first->finished_seq) first = &d;
  }
  return first;
}

// R8: a maintenance window on production (MAINTENANCE_ENABLE=1 in effect, until it is
// no longer) in which a release with a greater MAJOR than the one serving when it opened
// went live is a major release under maintenance: the banner must have been in effect
// before the window opened.
void check_banner_first(const RuleTimeline& t, const RuleOptions& o, std::vector<Violation>& out) {
  const auto states = production_states(t, o);
  bool banner_seen = false, in_maintenance = false;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const bool opens = states[i].maintenance && !in_maintenance;
    in_maintenance = states[i].maintenance;
    if (opens && !banner_seen) {
      const Effect& on = *states[i].effect;
      std::uint64_t off_seq = std::numeric_limits<std::uint64_t>::max();
      for (std::size_t j = i + 1; j < states.size(); ++j) {
        if (states[j].maintenance) continue;
        off_seq = states[j].effect->seq;
        break;
      }
      const std::string from = serving_before(t, o, on.seq);
      if (const auto* d = major_release_in(t, o, from, on.seq, off_seq)) {
        out.push_back({"R8-banner-first",
                       on.at,
                       fmt::format("maintenance came into effect on {} for the major release {} "
                                   "(from {}) before the banner had been shown",
                                   o.production_app, d->version, from),
                       {{"app", o.production_app},
                        {"from_version", from},
                        {"to_version", d->version},
                        {"deployment", d->id}},
                       {on.seq, d->finished_seq}});
      }
    }
    banner_seen = banner_seen || states[i].banner;
  }
}

}  // namespace

void check_variable_rules(const RuleTimeline& t, const RuleOptions& o,
                          std::vector<Violation>& out) {
  if (o.final && !o.demo_app.empty()) check_demo_parity(t, o, out);
  check_banner_first(t, o, out);
  if (o.final) check_restart_applies(t, out);
}

}  // namespace mepsim::rules
