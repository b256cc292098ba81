// Cohorts of sessions (user_agents.h): logged in together by a `sessions` step, counted
// later by `expect: {sessions: …}` without ever being logged in again.

#include <fmt/format.h>

#include "harness/runner/user_agents.h"

namespace mepsim::runner {

using scenario::UserClass;

Result<int> UserAgents::open_cohort(const std::string& cohort, UserClass user_class,
                                    const std::string& app, int count) {
  if (user_class == UserClass::anonymous) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("cohort {}: anonymous users have no session to keep", cohort));
  }
  if (count < 1 || count > kCohortSessionsMax) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("cohort {}: count {} is not within 1..{}", cohort, count, kCohortSessionsMax));
  }
  if (cohorts_.contains(cohort)) {
    return make_error(ErrorCode::conflict, fmt::format("cohort {} exists already", cohort));
  }
  if (cohorts_.size() >= kCohortsMax) {
    return make_error(ErrorCode::capacity, fmt::format("cohort {}: a run keeps at most {} cohorts",
                                                       cohort, kCohortsMax));
  }
  if (env_.app_url(app).empty()) {
    return make_error(ErrorCode::not_found, fmt::format("app {} has no router", app));
  }
  Cohort made;
  made.user_class = user_class;
  made.app = app;
  for (auto& account : cohort_accounts(user_class, count)) {
    auto agent = std::make_unique<Agent>();
    agent->account = std::move(account);
    agent->user_class = user_class;
    agent->app = app;
    if (log_in(*agent, cohort).ok) ++made.logged_in;
    made.sessions.push_back(std::move(agent));
  }
  if (made.sessions.empty()) {
    return make_error(ErrorCode::not_found, fmt::format("no fixture account of class {}",
                                                        scenario::to_string(user_class)));
  }
  const int logged_in = made.logged_in;
  cohorts_[cohort] = std::move(made);
  return logged_in;
}

Result<CohortCount> UserAgents::count_logged_in(const std::string& cohort) {
  const auto found = cohorts_.find(cohort);
  if (found == cohorts_.end()) {
    return make_error(ErrorCode::not_found,
                      fmt::format("no cohort {} (a `sessions` step makes it)", cohort));
  }
  CohortCount count;
  for (auto& agent : found->second.sessions) {
    ++count.total;
    std::string answered;
    const auto known = probe(*agent, cohort, answered);
    if (known && known.value()) {
      ++count.logged_in;
    } else if (count.first_loss.empty()) {
      count.first_loss =
          fmt::format("{}: {}", agent->account.email, known ? answered : known.error().message);
    }
  }
  if (found->second.counts.size() < kCountsKept) found->second.counts.push_back(count);
  return count;
}

nlohmann::json UserAgents::measurements() const {
  nlohmann::json exchanges = nlohmann::json::object();
  for (const auto& [outcome, n] : outcomes_) exchanges[outcome] = n;
  nlohmann::json cohorts = nlohmann::json::object();
  for (const auto& [name, cohort] : cohorts_) {
    nlohmann::json counts = nlohmann::json::array();
    for (const auto& c : cohort.counts) {
      counts.push_back({{"logged_in", c.logged_in}, {"total", c.total}});
    }
    cohorts[name] = {{"class", scenario::to_string(cohort.user_class)},
                     {"app", cohort.app},
                     {"sessions", cohort.sessions.size()},
                     {"logged_in", cohort.logged_in},
                     {"counts", std::move(counts)}};
  }
  return {{"exchanges", std::move(exchanges)},
          {"logged_in_again", logged_in_again_},
          {"cohorts", std::move(cohorts)}};
}

// Whether the app still knows the session; `answered` says what it answered otherwise.
Result<bool> UserAgents::probe(Agent& agent, const std::string& cohort, std::string& answered) {
  if (!agent.logged_in) {
    answered = "never logged in, or logged out";
    return false;
  }
  UserRequest request;
  request.as = agent.user_class;
  request.app = agent.app;
  request.target = agent.user_class == UserClass::usager ? "/"
                   : agent.user_class == UserClass::api  ? "/api/signalements"
                                                         : "/bo";
  auto reply = exchange(agent, request, cohort);
  if (!reply) return reply.error();
  answered = describe_answer(reply.value());
  if (reply->status != 200) return false;
  // The home page shows a logged-in usager the menu with their email.
  if (agent.user_class == UserClass::usager) {
    const bool menu = reply->body.find("class=\"user-email\"") != std::string::npos;
    if (!menu) answered = "200 without the logged-in menu";
    return menu;
  }
  return true;
}

}  // namespace mepsim::runner
