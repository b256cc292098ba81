// R10 (maintenance scope): while maintenance is on, only super admins log in and submit
// forms. Read from the users' exchanges the runner and the load generator publish
// (procedure_rules.h documents them); a load run makes thousands, so exchanges that break
// the rule the same way are one violation.

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "harness/rules/rule_timeline.h"

namespace mepsim::rules {
namespace {

struct Group {
  const Event* first = nullptr;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> seqs;
};

using GroupKey = std::tuple<std::string, std::string, std::string, std::string>;

Violation violation_of(const GroupKey& key, const Group& g) {
  const auto& [app, user_class, role, outcome] = key;
  const Event& e = *g.first;
  return {"R10-maintenance-scope",
          e.at,
          // No count here: a live rehearsal announces a violation once, by its summary.
          fmt::format("while maintenance was on {}, a {} user ({}) got {} (first: {} {} → {})", app,
                      user_class, role.empty() ? "anonymous" : role, outcome, e.field("method"),
                      e.field("path"), e.field("status")),
          {{"app", app},
           {"class", user_class},
           {"role", role},
           {"outcome", outcome},
           {"count", std::to_string(g.count)},
           {"method", e.field("method")},
           {"path", e.field("path")},
           {"status", e.field("status")}},
          g.seqs};
}

}  // namespace

// Exchanges of one app, class, role and outcome form a group until the app is seen out
// of maintenance again.
void check_maintenance_scope(const std::vector<Event>& events, std::vector<Violation>& out) {
  std::map<GroupKey, Group> open;
  const auto close_app = [&](const std::string& app) {
    for (auto it = open.begin(); it != open.end();) {
      if (std::get<0>(it->first) != app) {
        ++it;
        continue;
      }
      out.push_back(violation_of(it->first, it->second));
      it = open.erase(it);
    }
  };
  for (const auto& e : events) {
    if (e.component != "users" || e.name != "http.exchange") continue;
    const std::string& app = e.field("app");
    if (e.field("maintenance") != "1") {
      close_app(app);
      continue;
    }
    const std::string& outcome = e.field("outcome");
    if (e.field("role") == "ROLE_ADMIN") continue;
    if (outcome != "login_ok" && outcome != "submission_accepted") continue;
    Group& g = open[{app, e.field("class"), e.field("role"), outcome}];
    if (g.first == nullptr) g.first = &e;
    ++g.count;
    if (g.seqs.size() < kSeqsCitedMax) g.seqs.push_back(e.seq);
  }
  for (const auto& [key, g] : open) out.push_back(violation_of(key, g));
}

}  // namespace mepsim::rules
