#include "fakes/github/github_profile.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mepsim::fakes::github {

GitHubSeed to_github_seed(const platform::RepositoryProfile& profile) {
  GitHubSeed seed;
  for (const auto& pull : profile.pull_requests) {
    PullRequestSeed out;
    out.number = pull.number;
    out.title = pull.title;
    out.head = pull.head;
    out.base = pull.base;
    out.body = pull.body;
    out.labels = pull.labels;
    out.state = platform::to_string(pull.state);
    seed.pulls.push_back(std::move(out));
  }
  return seed;
}

CiDefaults to_ci_defaults(const platform::CiProfile& ci) {
  CiDefaults defaults;
  defaults.result = ci.result == "failure" ? CiResult::failure : CiResult::success;
  const double duration_s = std::isfinite(ci.duration_s) && ci.duration_s > 0 ? ci.duration_s : 0;
  defaults.duration = std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(std::min(duration_s, 86'400.0)));
  return defaults;
}

}  // namespace mepsim::fakes::github
