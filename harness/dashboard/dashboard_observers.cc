// What the app's third parties saw, as the dashboard shows it: Sentry's issues since each
// app's last deploy, the mails Brevo was asked to send, the Mattermost posts.

#include <algorithm>

#include "fakes/brevo/brevo_fake.h"
#include "fakes/mattermost/mattermost_fake.h"
#include "fakes/sentry/sentry_fake.h"
#include "harness/dashboard/dashboard_json.h"
#include "harness/dashboard/dashboard_state.h"
#include "harness/report/instant_text.h"
#include "harness/topology/github_wiring.h"
#include "harness/topology/third_party_fakes.h"
#include "harness/topology/topology.h"
#include "sim/platform/platform.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;

json issue_json(const fakes::sentry::SentryIssue& issue) {
  json by_release = json::object();
  for (const auto& [release, count] : issue.count_by_release) {
    by_release[release.empty() ? "(none)" : cut_utf8(release, kFieldBytesMax)] = count;
  }
  return {{"id", issue.id},
          {"title", cut_utf8(issue.title, kFieldBytesMax)},
          {"culprit", cut_utf8(issue.culprit, kFieldBytesMax)},
          {"level", issue.level},
          {"status", issue.status},
          {"count", issue.count},
          {"first_seen", report::format_instant(issue.first_seen)},
          {"last_seen", report::format_instant(issue.last_seen)},
          {"by_release", std::move(by_release)}};
}

std::string addresses(const std::vector<fakes::brevo::BrevoAddress>& list) {
  std::string out;
  for (const auto& a : list) out += (out.empty() ? "" : ", ") + a.email;
  return cut_utf8(out, kFieldBytesMax);
}

}  // namespace

json sentry_state(Topology& topology, const ClockPair& clocks) {
  json out = json::array();
  const auto& sentry = topology.third_party().sentry();
  for (const auto& app : topology.platform().apps()) {
    if (!app.parent_app_name.empty()) continue;  // review apps report to no project here
    // Sentry stamps issues with the real clock, the platform its deploys with its own.
    std::optional<Instant> since;
    if (app.last_deployed_at) since = clocks.real_of(*app.last_deployed_at);
    auto serving = topology.platform().serving_release(app.name);
    json issues = json::array();
    for (const auto& issue : sentry.issues(app.name, since)) {
      if (issues.size() >= kIssuesShownPerApp) break;
      issues.push_back(issue_json(issue));
    }
    out.push_back({{"app", app.name},
                   {"release", serving ? serving.value().version : ""},
                   {"deployed_at", since ? json(report::format_instant(*since)) : json(nullptr)},
                   {"issues", std::move(issues)}});
  }
  return out;
}

json mails_state(Topology& topology) {
  json out = json::array();
  auto messages = topology.third_party().brevo().messages();  // oldest first
  for (auto it = messages.rbegin(); it != messages.rend() && out.size() < kMessagesShown; ++it) {
    out.push_back({{"at", report::format_instant(it->at)},
                   {"time", report::format_time_of_day(it->at)},
                   {"from", cut_utf8(it->sender.email, kFieldBytesMax)},
                   {"to", addresses(it->to)},
                   {"subject", cut_utf8(it->subject, kFieldBytesMax)},
                   {"tags", it->tags}});
  }
  return out;
}

json mattermost_state(Topology& topology) {
  json out = json::array();
  if (topology.github() == nullptr) return out;
  auto messages = topology.github()->mattermost().messages();  // oldest first
  for (auto it = messages.rbegin(); it != messages.rend() && out.size() < kMessagesShown; ++it) {
    out.push_back({{"at", report::format_instant(it->at)},
                   {"time", report::format_time_of_day(it->at)},
                   {"channel", it->channel},
                   {"username", cut_utf8(it->username, kFieldBytesMax)},
                   {"text", cut_utf8(it->text, 4 * kFieldBytesMax)}});
  }
  return out;
}

}  // namespace mepsim::dashboard
