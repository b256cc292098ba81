#include "fakes/github/git_seed_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace mepsim::fakes::github {
namespace {

// Names and paths go into the stream as they are: nothing that could end a command.
bool is_stream_safe(const std::string& text) {
  if (text.empty() || text.size() > 255 || text.front() == '"' || text.front() == '-') return false;
  return std::none_of(text.begin(), text.end(), [](char ch) {
    return static_cast<unsigned char>(ch) <= ' ' || ch == '\x7f';
  });
}

// "name~N" → {"name", N}.
Result<std::pair<std::string, std::size_t>> split_ancestry(const std::string& ref) {
  const auto tilde = ref.find('~');
  if (tilde == std::string::npos) return std::make_pair(ref, std::size_t{0});
  const auto digits = ref.substr(tilde + 1);
  if (digits.empty() || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(ErrorCode::invalid_input, "'" + ref + "' is not name or name~N");
  }
  return std::make_pair(ref.substr(0, tilde), static_cast<std::size_t>(std::stoi(digits)));
}

struct ModelCommit {
  std::map<std::string, std::string> files;  // the whole tree, app.yaml included
  std::vector<std::size_t> parents;
};

// The history as it is being written: enough to resolve "branch~N" and to merge files.
class SeedModel {
 public:
  explicit SeedModel(const RepositorySeed& seed) : seed_(seed), time_s_(unix_seconds(seed.epoch)) {}

  Result<void> add_branch(const SeedBranch& branch);
  Result<void> add_tags();
  SeedStream finish() {
    stream_ += "done\n";
    return {std::move(stream_), time_s_};
  }

 private:
  Result<std::size_t> resolve(const std::string& ref) const;
  Result<std::size_t> resolve_branch(const std::string& ref) const;
  Result<std::size_t> first_parents_back(std::size_t at, std::size_t back,
                                         const std::string& ref) const;
  std::size_t merge_base(std::size_t a, std::size_t b) const;
  Result<void> merge_files(std::size_t into, std::size_t head, ModelCommit& out) const;
  Result<std::size_t> add_commit(const std::string& branch, std::optional<std::size_t> parent,
                                 const SeedCommit& commit);
  static std::string data(const std::string& bytes) {
    return fmt::format("data {}\n{}\n", bytes.size(), bytes);
  }

  const RepositorySeed& seed_;
  std::vector<ModelCommit> commits_;  // commit i is mark :i+1 of the stream
  std::map<std::string, std::size_t> heads_;
  std::string stream_;
  std::int64_t time_s_;
};

Result<std::size_t> SeedModel::first_parents_back(std::size_t at, std::size_t back,
                                                  const std::string& ref) const {
  for (std::size_t i = 0; i < back; ++i) {
    if (commits_[at].parents.empty()) {
      return make_error(ErrorCode::invalid_input, ref + " goes back past the first commit");
    }
    at = commits_[at].parents.front();
  }
  return at;
}

Result<std::size_t> SeedModel::resolve_branch(const std::string& ref) const {
  auto split = split_ancestry(ref);
  if (!split) return split.error();
  const auto head = heads_.find(split->first);
  if (head == heads_.end()) {
    return make_error(ErrorCode::invalid_input, "no branch " + split->first + " before this point");
  }
  return first_parents_back(head->second, split->second, ref);
}

// A branch, or a tag (resolved where it points now), either with "~N".
Result<std::size_t> SeedModel::resolve(const std::string& ref) const {
  auto split = split_ancestry(ref);
  if (!split) return split.error();
  for (const auto& tag : seed_.tags) {
    if (tag.name != split->first) continue;
    auto at = resolve_branch(tag.at);
    if (!at) return at.error().context("tag " + tag.name);
    return first_parents_back(at.value(), split->second, ref);
  }
  return resolve_branch(ref);
}

std::size_t SeedModel::merge_base(std::size_t a, std::size_t b) const {
  std::set<std::size_t> of_a;
  std::deque<std::size_t> queue{a};
  while (!queue.empty()) {
    const auto at = queue.front();
    queue.pop_front();
    if (!of_a.insert(at).second) continue;
    for (auto p : commits_[at].parents) queue.push_back(p);
  }
  queue = {b};
  std::set<std::size_t> seen;
  while (!queue.empty()) {
    const auto at = queue.front();
    queue.pop_front();
    if (of_a.contains(at)) return at;
    if (!seen.insert(at).second) continue;
    for (auto p : commits_[at].parents) queue.push_back(p);
  }
  return commits_.size();  // unrelated histories: no base
}

// A three-way merge by whole files: what `head` changed since the merge base comes
// along, unless `into` changed the same file differently.
Result<void> SeedModel::merge_files(std::size_t into, std::size_t head, ModelCommit& out) const {
  const auto base_index = merge_base(into, head);
  static const std::map<std::string, std::string> kEmpty;
  const auto& base = base_index < commits_.size() ? commits_[base_index].files : kEmpty;
  const auto file = [](const std::map<std::string, std::string>& files, const std::string& path) {
    const auto found = files.find(path);
    return found == files.end() ? std::optional<std::string>() : found->second;
  };
  for (const auto& [path, content] : commits_[head].files) {
    const auto before = file(base, path);
    if (before == content) continue;
    const auto ours = file(out.files, path);
    if (ours != before && ours != content) {
      return make_error(ErrorCode::invalid_input, "merge conflict in " + path);
    }
    out.files[path] = content;
  }
  return {};
}

Result<std::size_t> SeedModel::add_commit(const std::string& branch,
                                          std::optional<std::size_t> parent,
                                          const SeedCommit& commit) {
  if (commits_.size() >= kSeedCommitsMax) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("more than {} commits in the seed", kSeedCommitsMax));
  }
  ModelCommit made;
  if (parent) {
    made.files = commits_[*parent].files;
    made.parents.push_back(*parent);
  } else if (commit.manifest_yaml.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "the first commit of " + branch + " needs a manifest");
  }
  if (!commit.merge.empty()) {
    const auto head = heads_.find(commit.merge);
    if (head == heads_.end() || !parent) {
      return make_error(ErrorCode::invalid_input, "'" + commit.merge + "' is no earlier branch");
    }
    if (auto merged = merge_files(*parent, head->second, made); !merged) {
      return merged.error().context("merging " + commit.merge + " into " + branch);
    }
    made.parents.push_back(head->second);
  }
  if (!commit.manifest_yaml.empty()) made.files["app.yaml"] = commit.manifest_yaml;
  for (const auto& [path, content] : commit.files) {
    if (!is_stream_safe(path) || path == "app.yaml") {
      return make_error(ErrorCode::invalid_input, "'" + path + "' is not a file path");
    }
    made.files[path] = content;
  }

  const auto mark = commits_.size() + 1;
  const auto who = fmt::format("{} <{}> {} +0000", kSeedAuthorName, kSeedAuthorEmail, time_s_);
  time_s_ += 60;
  std::string message = commit.message;
  if (message.empty() || message.back() != '\n') message += '\n';  // as `git commit` stores it
  stream_ += fmt::format("commit refs/heads/{}\nmark :{}\nauthor {}\ncommitter {}\n{}", branch,
                         mark, who, who, data(message));
  for (std::size_t i = 0; i < made.parents.size(); ++i) {
    stream_ += fmt::format("{} :{}\n", i == 0 ? "from" : "merge", made.parents[i] + 1);
  }
  const std::map<std::string, std::string> kNone;
  const auto& before = parent ? commits_[*parent].files : kNone;
  for (const auto& [path, content] : made.files) {
    const auto found = before.find(path);
    if (found != before.end() && found->second == content) continue;
    stream_ += fmt::format("M 100644 inline {}\n{}", path, data(content));
  }
  stream_ += "\n";
  commits_.push_back(std::move(made));
  return commits_.size() - 1;
}

Result<void> SeedModel::add_branch(const SeedBranch& branch) {
  if (!is_stream_safe(branch.name)) {
    return make_error(ErrorCode::invalid_input, "'" + branch.name + "' is not a branch name");
  }
  if (heads_.contains(branch.name)) {
    return make_error(ErrorCode::invalid_input, "duplicate branch " + branch.name);
  }
  std::optional<std::size_t> at;
  if (!branch.from.empty()) {
    auto from = resolve(branch.from);
    if (!from) return from.error().context("branch " + branch.name);
    at = from.value();
  } else if (!commits_.empty()) {
    return make_error(ErrorCode::invalid_input, "branch " + branch.name + " needs 'from'");
  }
  if (!at && branch.commits.empty()) {
    return make_error(ErrorCode::invalid_input, "the first branch needs commits");
  }
  if (branch.commits.empty())
    stream_ += fmt::format("reset refs/heads/{}\nfrom :{}\n\n", branch.name, *at + 1);
  for (const auto& commit : branch.commits) {
    auto made = add_commit(branch.name, at, commit);
    if (!made) return made.error().context("branch " + branch.name);
    at = made.value();
  }
  heads_[branch.name] = *at;
  return {};
}

Result<void> SeedModel::add_tags() {
  std::set<std::string> names;
  for (const auto& tag : seed_.tags) {
    if (!is_stream_safe(tag.name) || heads_.contains(tag.name) || !names.insert(tag.name).second) {
      return make_error(ErrorCode::invalid_input, "'" + tag.name + "' is not a new tag name");
    }
    auto at = resolve_branch(tag.at);
    if (!at) return at.error().context("tag " + tag.name);
    stream_ += fmt::format("reset refs/tags/{}\nfrom :{}\n\n", tag.name, at.value() + 1);
  }
  return {};
}

}  // namespace

Result<SeedStream> seed_stream(const RepositorySeed& seed) {
  if (seed.branches.empty()) return make_error(ErrorCode::invalid_input, "the seed has no branch");
  SeedModel model(seed);
  for (const auto& branch : seed.branches) {
    if (auto added = model.add_branch(branch); !added) return added.error();
  }
  if (auto tagged = model.add_tags(); !tagged) return tagged.error();
  return model.finish();
}

}  // namespace mepsim::fakes::github
