// Expectations on what the third parties received: Sentry issues, Mattermost messages, mail
// sent through Brevo. Each looks at the fake's own C++ side.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "fakes/brevo/brevo_fake.h"
#include "fakes/mattermost/mattermost_fake.h"
#include "fakes/sentry/sentry_fake.h"
#include "harness/runner/expectations.h"
#include "harness/topology/github_wiring.h"
#include "harness/topology/third_party_fakes.h"

namespace mepsim::runner {
namespace {

// How many issue titles a failure quotes.
constexpr std::size_t kTitlesQuoted = 3;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "2h", "90m", "45s": how a scenario writes a window.
std::string format_window(Duration window) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  if (seconds % 3600 == 0) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string sentry_label(const scenario::SentryExpect& e) {
  std::string label = "new issues";
  if (e.release) label += " of release " + *e.release;
  if (e.window) label += " in the last " + format_window(*e.window);
  if (e.title_contains) label += fmt::format(" titled with \"{}\"", *e.title_contains);
  return label;
}

}  // namespace

StepOutcome check_sentry(const scenario::SentryExpect& e, RunContext& ctx) {
  Verdict v("sentry " + e.app);
  auto& sentry = ctx.topology.third_party().sentry();
  if (sentry.project_id(e.app).empty()) {
    v.fail("no Sentry project of that name");
    return v.outcome();
  }
  // First seen within the window of virtual time (the fake's control clock is the run's).
  std::optional<Instant> since;
  if (e.window) since = ctx.clock().now() - *e.window;
  std::vector<std::string> titles;
  for (const auto& issue : sentry.issues(e.app, since, e.release.value_or(""))) {
    if (since && issue.first_seen < *since) continue;
    if (e.title_contains && issue.title.find(*e.title_contains) == std::string::npos) continue;
    titles.push_back(issue.title);
  }
  const auto n = static_cast<std::int64_t>(titles.size());
  const std::string label = sentry_label(e);
  if (!e.new_issues.contains(n)) {
    titles.resize(std::min(titles.size(), kTitlesQuoted));
    std::string quoted;
    for (const auto& t : titles) quoted += (quoted.empty() ? " (" : "; ") + t;
    v.fail(fmt::format("{} is {}, expected {}{}", label, n, e.new_issues.str(),
                       quoted.empty() ? "" : quoted + ")"));
  }
  v.note(fmt::format("{} {}", n, label));
  return v.outcome();
}

StepOutcome check_mattermost(const scenario::MessagesExpect& e, RunContext& ctx) {
  Verdict v("mattermost");
  GithubWiring* wiring = ctx.topology.github();
  if (wiring == nullptr) {
    v.fail("the profile has no repository, hence no Mattermost");
    return v.outcome();
  }
  std::int64_t n = 0;
  for (const auto& message : wiring->mattermost().messages()) {
    if (e.contains && message.text.find(*e.contains) == std::string::npos) continue;
    ++n;
  }
  const std::string label =
      e.contains ? fmt::format("messages containing \"{}\"", *e.contains) : "messages";
  v.expect_count(label, n, e.count);
  v.note(fmt::format("{} {}", n, label));
  return v.outcome();
}

StepOutcome check_mail(const scenario::MessagesExpect& e, RunContext& ctx) {
  Verdict v("mail");
  const auto sent_to = [&](const fakes::brevo::BrevoMessage& m) {
    if (!e.to) return true;
    const std::string wanted = lower(*e.to);
    for (const auto* list : {&m.to, &m.cc, &m.bcc}) {
      for (const auto& address : *list) {
        if (lower(address.email) == wanted) return true;
      }
    }
    return false;
  };
  std::int64_t n = 0;
  for (const auto& message : ctx.topology.third_party().brevo().messages()) {
    if (e.contains && message.subject.find(*e.contains) == std::string::npos) continue;
    if (sent_to(message)) ++n;
  }
  std::string label = "mails sent";
  if (e.to) label += " to " + *e.to;
  if (e.contains) label += fmt::format(" with subject containing \"{}\"", *e.contains);
  v.expect_count(label, n, e.count);
  v.note(fmt::format("{} {}", n, label));
  return v.outcome();
}

}  // namespace mepsim::runner
