// The app's repository as the dashboard shows it: the git origin's branches, tags and
// recent commits (each a `git` query on the bare repository), GitHub's pull requests and
// CI states (in memory), and the releases the timeline told of.

#include <algorithm>
#include <set>

#include "fakes/github/git_origin.h"
#include "fakes/github/github_fake.h"
#include "harness/dashboard/dashboard_json.h"
#include "harness/dashboard/dashboard_state.h"
#include "harness/report/instant_text.h"
#include "harness/topology/github_wiring.h"
#include "harness/topology/topology.h"

namespace mepsim::dashboard {
namespace {

using nlohmann::json;
namespace gh = fakes::github;

std::string ci_of(const gh::GitHubFake& github, const std::string& sha) {
  auto state = github.combined_status(sha);
  return state ? gh::to_string(state.value()) : "none";
}

std::string first_line(const std::string& message) {
  return cut_utf8(message.substr(0, message.find('\n')), kFieldBytesMax);
}

json branches_json(const gh::GitOrigin& origin, const gh::GitHubFake& github) {
  json out = json::array();
  auto branches = origin.branches();
  if (!branches) return out;
  for (const auto& [name, sha] : branches.value()) {
    out.push_back({{"name", name}, {"sha", sha}, {"ci", ci_of(github, sha)}});
  }
  return out;
}

json commits_json(const gh::GitOrigin& origin, const gh::GitHubFake& github,
                  const RepositoryBranches& branches) {
  json out = json::array();
  std::set<std::string> seen;
  for (const auto& branch : {branches.production, branches.staging}) {
    auto commits = origin.commits_between("", branch);
    if (!commits) continue;
    const auto& list = commits.value();
    for (std::size_t i = 0; i < list.size() && i < kRecentCommitsPerBranch; ++i) {
      const auto& c = list[i];
      if (!seen.insert(c.sha).second) continue;
      out.push_back({{"sha", c.sha},
                     {"short", c.sha.substr(0, 7)},
                     {"message", first_line(c.message)},
                     {"author", cut_utf8(c.author_name, kFieldBytesMax)},
                     {"at", report::format_instant(c.authored_at)},
                     {"branch", branch},
                     {"ci", ci_of(github, c.sha)}});
    }
  }
  return out;
}

bool is_review_app(const gh::PullRequestView& pr) {
  return pr.head_ref == "review_app" ||
         std::find(pr.labels.begin(), pr.labels.end(), "review_app") != pr.labels.end();
}

json pulls_json(const gh::GitOrigin& origin, const gh::GitHubFake& github,
                const RepositoryBranches& branches) {
  json out = json::array();
  for (const auto& pr : github.pull_requests()) {
    if (pr.state != "open") continue;
    bool merges_on_push = false;
    if (pr.base_ref == branches.production && !pr.head_sha.empty()) {
      auto in_staging = origin.is_ancestor(pr.head_sha, branches.staging);
      merges_on_push = in_staging && in_staging.value();
    }
    out.push_back({{"number", pr.number},
                   {"title", cut_utf8(pr.title, kFieldBytesMax)},
                   {"head", pr.head_ref},
                   {"head_sha", pr.head_sha},
                   {"base", pr.base_ref},
                   {"labels", pr.labels},
                   {"user", pr.user},
                   {"ci", ci_of(github, pr.head_sha)},
                   {"review_app", is_review_app(pr)},
                   {"merges_on_push", merges_on_push}});
  }
  return out;
}

json tags_json(const gh::GitOrigin& origin) {
  json out = json::array();
  auto tags = origin.tags();
  if (!tags) return out;
  for (const auto& [name, sha] : tags.value()) out.push_back({{"name", name}, {"sha", sha}});
  return out;
}

}  // namespace

void ReleaseBook::note(const Event& e) {
  if (e.component != "github" || !e.name.starts_with("github.release.")) return;
  const std::string& id = e.field("id");
  if (id.empty()) return;
  if (!by_id_.contains(id)) {
    if (order_.size() >= kReleasesKept) {
      by_id_.erase(order_.front());
      order_.erase(order_.begin());
    }
    order_.push_back(id);
  }
  by_id_[id] = {{"id", id},
                {"tag", e.field("tag")},
                {"name", cut_utf8(e.field("name"), kFieldBytesMax)},
                {"draft", e.field("draft") == "true"},
                {"at", report::format_instant(e.at)}};
}

json ReleaseBook::listing() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& id : order_) out.push_back(by_id_.at(id));
  return out;
}

json repository_state(Topology& topology, const ReleaseBook& releases,
                      const RepositoryBranches& branches) {
  GithubWiring* wiring = topology.github();
  if (wiring == nullptr) return nullptr;
  const auto& origin = wiring->origin();
  const auto& github = wiring->github();
  return {{"name", origin.owner() + "/" + origin.name()},
          {"default_branch", origin.default_branch()},
          {"branches", branches_json(origin, github)},
          {"pulls", pulls_json(origin, github, branches)},
          {"commits", commits_json(origin, github, branches)},
          {"tags", tags_json(origin)},
          {"releases", releases.listing()}};
}

}  // namespace mepsim::dashboard
