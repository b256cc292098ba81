// Seeding the GitHub side of the repository from the profile: pull requests (merged ones
// merged in git first, unless already in their base), issues, and green CI on every
// branch head, so that a rehearsal starts from a repository that looks lived in.

#include <algorithm>
#include <set>

#include "fakes/github/github_context.h"
#include "fakes/github/github_fake.h"

namespace mepsim::fakes::github {
namespace {

// A profile seeds a handful of earlier releases; past this many (in name order), the
// others are left off the timeline.
constexpr std::size_t kSeedTagsPublishedMax = 1'000;

Result<void> check_pull_seed(GitHubContext& ctx, const PullRequestSeed& seed, std::size_t index) {
  const std::string where = "pulls[" + std::to_string(index) + "]";
  if (seed.state != "open" && seed.state != "closed" && seed.state != "merged") {
    return make_error(ErrorCode::invalid_input,
                      where + ".state '" + seed.state + "': expected open, closed or merged");
  }
  for (const auto* branch : {&seed.head, &seed.base}) {
    if (!ctx.origin.resolve(branch_ref(*branch))) {
      return make_error(ErrorCode::invalid_input,
                        where + ": no branch '" + *branch + "' in the repository");
    }
  }
  return {};
}

Result<void> seed_pull(GitHubContext& ctx, Txn& txn, const PullRequestSeed& seed) {
  PullRequest pull;
  pull.number = seed.number > 0 ? seed.number : txn.model.next_number;
  if (txn.model.pulls.contains(pull.number)) {
    return make_error(ErrorCode::invalid_input,
                      "pull request #" + std::to_string(pull.number) + " seeded twice");
  }
  txn.model.next_number = std::max(txn.model.next_number, pull.number + 1);
  pull.id = ctx.next_id(txn);
  pull.title = seed.title;
  pull.body = seed.body;
  pull.user = seed.user;
  pull.labels = seed.labels;
  pull.head_ref = seed.head;
  pull.base_ref = seed.base;
  pull.created_at = pull.updated_at = ctx.now();
  auto head_sha = ctx.origin.resolve(branch_ref(seed.head));
  auto base_sha = ctx.origin.resolve(branch_ref(seed.base));
  if (!head_sha || !base_sha) return make_error(ErrorCode::not_found, "seed branch vanished");
  pull.head_sha = *head_sha;
  pull.base_sha = *base_sha;
  if (seed.state == "merged") {
    const auto in_base = ctx.origin.is_ancestor(*head_sha, *base_sha);
    if (!in_base) return in_base.error();
    std::string merge_sha = *base_sha;
    if (!*in_base) {
      auto merged =
          ctx.origin.merge(seed.base, *head_sha,
                           "Merge pull request #" + std::to_string(pull.number) + " from " +
                               ctx.owner() + "/" + seed.head + "\n\n" + seed.title);
      if (!merged) return merged.error().context("seeding pull request " + seed.title);
      merge_sha = merged->value_or(*base_sha);
    }
    pull.state = "closed";
    pull.merged = true;
    pull.merged_at = pull.closed_at = ctx.now();
    pull.merged_by = seed.user;
    pull.merge_commit_sha = merge_sha;
    pull.base_sha = merge_sha;
  } else if (seed.state == "closed") {
    pull.state = "closed";
    pull.closed_at = ctx.now();
  }
  txn.model.pulls[pull.number] = pull;
  return {};
}

}  // namespace

Result<void> seed_repository(GitHubContext& ctx, const GitHubSeed& seed) {
  Txn txn(ctx);
  if (txn.model.seeded) return make_error(ErrorCode::conflict, "GitHub fake already seeded");
  // Every pull request is checked before any is applied: nothing half-seeded on bad input.
  for (std::size_t i = 0; i < seed.pulls.size(); ++i) {
    if (auto checked = check_pull_seed(ctx, seed.pulls[i], i); !checked) return checked;
  }
  std::set<int> numbers;
  for (std::size_t i = 0; i < seed.pulls.size(); ++i) {
    const int number = seed.pulls[i].number;
    if (number < 0 || number > 1'000'000 || (number > 0 && !numbers.insert(number).second)) {
      return make_error(ErrorCode::invalid_input, "pulls[" + std::to_string(i) + "].number " +
                                                      std::to_string(number) +
                                                      ": not a free pull request number");
    }
  }
  for (std::size_t i = 0; i < seed.issues.size(); ++i) {
    const auto& state = seed.issues[i].state;
    if (state != "open" && state != "closed") {
      return make_error(ErrorCode::invalid_input, "issues[" + std::to_string(i) + "].state '" +
                                                      state + "': expected open or closed");
    }
  }
  if (seed.pulls.size() > ctx.options.pulls_max || seed.issues.size() > ctx.options.issues_max) {
    return make_error(ErrorCode::capacity, "seed: more pull requests or issues than the bounds");
  }
  for (const auto& pull : seed.pulls) {
    if (auto seeded = seed_pull(ctx, txn, pull); !seeded) return seeded;
  }
  for (const auto& issue_seed : seed.issues) {
    Issue issue;
    issue.number = txn.model.next_number++;
    issue.id = ctx.next_id(txn);
    issue.title = issue_seed.title;
    issue.labels = issue_seed.labels;
    issue.user = std::string(kTokenUser);
    issue.state = issue_seed.state;
    issue.created_at = issue.updated_at = ctx.now();
    if (issue.state == "closed") {
      issue.closed_at = ctx.now();
      issue.state_reason = "completed";
    }
    txn.model.issues[issue.number] = issue;
  }
  auto branches = ctx.origin.branches();
  if (!branches) return branches.error().context("seeding CI");
  for (const auto& [name, sha] : *branches) ctx.seed_ci_success(txn, sha, name);
  // The tags the rehearsal starts from: rules R4 and R5 compare a new tag with them.
  if (auto tags = ctx.origin.tags()) {
    std::size_t published = 0;
    for (const auto& [name, sha] : *tags) {
      if (published++ == kSeedTagsPublishedMax) break;
      ctx.publish(txn, "github", "github.tag.seeded", {{"tag", name}, {"sha", sha}});
    }
  }
  txn.model.seeded = true;
  ctx.publish(txn, "github", "github.seeded",
              {{"pulls", std::to_string(seed.pulls.size())},
               {"issues", std::to_string(seed.issues.size())},
               {"branches", std::to_string(branches->size())}});
  return {};
}

}  // namespace mepsim::fakes::github
