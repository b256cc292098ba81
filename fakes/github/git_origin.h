#pragma once
// The app's git origin: a bare repository in a folder of the run, served over git's smart
// HTTP protocol through `git http-backend` (by the GitHub fake's server), so that `git
// clone`, `pull` and `push` work unchanged. Seeded from the profile: branches, earlier
// tags, the branches of pull requests; every commit carries the release manifest
// (`app.yaml`) the platform builds and the web container reads.
//
// Queries run the real `git` on the bare repository (plumbing commands, bounded output);
// nothing here parses git's object format by hand.
//
// Thread-safety: every member serialises on one mutex: a push and a query never
// interleave.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"

namespace mepsim::fakes::github {

struct CommitInfo {
  std::string sha;
  std::string message;  // full message
  std::string author_name;
  std::string author_email;
  Instant authored_at{};
  std::vector<std::string> parents;
};

// One ref moved by a push: before is 40 zeros for a created ref, after for a deleted one.
struct RefUpdate {
  std::string ref;  // "refs/heads/main", "refs/tags/1.7.4"
  std::string before;
  std::string after;
};

// What the seed writes: each branch a list of commits on top of its base; tags on
// branch heads or earlier commits; every commit's app.yaml from the manifest text given.
struct SeedCommit {
  std::string message;
  // app.yaml at that commit; "" keeps the first parent's.
  std::string manifest_yaml;
  std::map<std::string, std::string> files;  // other files, path → content
  // An earlier branch this commit merges ("Merge pull request #N from …"): its head is the
  // second parent, and the files it changed since the merge base come along.
  std::string merge;
};
struct SeedBranch {
  std::string name;
  // Branch or tag it starts from, optionally "~N" first parents back ("" for the first,
  // root branch).
  std::string from;
  std::vector<SeedCommit> commits;
};
struct SeedTag {
  std::string name;
  std::string at;  // a branch name (its head at seeding time) or "branch~N"
};
struct RepositorySeed {
  std::string owner = "MTES-MCT";
  std::string name = "histologe";
  std::string default_branch = "main";
  std::vector<SeedBranch> branches;  // in creation order
  std::vector<SeedTag> tags;
  Instant epoch{};  // commit dates count from here, one minute apart (deterministic shas)
};

class GitOrigin {
 public:
  // Creates the bare repository under `folder` and seeds it. The same seed gives the same
  // commit shas (author, committer and dates are fixed).
  // `clock` dates the merge commits merge() writes; null: one minute after the previous
  // commit it wrote (seed.epoch onwards), deterministic without any clock.
  static Result<std::unique_ptr<GitOrigin>> create(const std::filesystem::path& folder,
                                                   const RepositorySeed& seed,
                                                   const Clock* clock = nullptr);
  ~GitOrigin();

  const std::string& owner() const;
  const std::string& name() const;
  const std::string& default_branch() const;
  std::filesystem::path bare_path() const;

  // Queries (not_found for an unknown ref or sha).
  Result<std::string> resolve(const std::string& ref) const;  // branch, tag, sha → sha
  Result<CommitInfo> commit(const std::string& ref) const;
  Result<std::map<std::string, std::string>> branches() const;  // name → sha
  Result<std::map<std::string, std::string>> tags() const;      // name → commit sha
  Result<bool> is_ancestor(const std::string& ancestor, const std::string& descendant) const;
  // Commits reachable from `to` and not from `from`, newest first (`git rev-list from..to`),
  // at most 250 like GitHub's compare; `from` "" for every commit reachable from `to`.
  Result<std::vector<CommitInfo>> commits_between(const std::string& from,
                                                  const std::string& to) const;
  Result<std::string> file_at(const std::string& ref, const std::string& path) const;

  // Writes: each is what the GitHub API does on the server side. `ref` is a full name
  // ("refs/tags/1.7.4") or as the API's paths spell it ("tags/1.7.4").
  Result<void> create_ref(const std::string& ref, const std::string& sha);  // conflict: exists
  Result<void> update_ref(const std::string& ref, const std::string& sha);
  Result<void> delete_ref(const std::string& ref);
  // Merges `head` into branch `base` (a merge commit with `message`): the new sha; nullopt
  // when there is nothing to merge (head already in base); conflict on a merge conflict.
  Result<std::optional<std::string>> merge(const std::string& base, const std::string& head,
                                           const std::string& message);

  // Serves one smart-HTTP request through `git http-backend` (CGI). `path_info` is the
  // path below the repository URL ("/info/refs", "/git-upload-pack",
  // "/git-receive-pack"). The answer is the CGI's status, headers and body. The caller
  // checks credentials; a receive-pack (its advertisement included) without remote_user
  // is answered 401 with `WWW-Authenticate: Basic`, as GitHub does, so git asks for them.
  // Bounds: request body 64 MiB, response 256 MiB, 120 s of real time.
  struct CgiRequest {
    std::string method;
    std::string path_info;
    std::string query;
    std::string content_type;
    // The Content-Encoding of `body` ("gzip" for git's large requests); "" once the HTTP
    // server has decoded it (cpp-httplib does).
    std::string content_encoding;
    std::string git_protocol;  // the Git-Protocol header ("version=2"); "": protocol v0
    std::string body;
    std::string remote_user;  // "" for anonymous reads
  };
  struct CgiResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };
  // After a receive-pack, every ref the push moved (sorted by ref name) is reported to the
  // push listener, outside the repository's lock, on the thread that called
  // serve_smart_http. API writes (create_ref, merge…) are not reported: their caller knows.
  Result<CgiResponse> serve_smart_http(const CgiRequest& request);
  void on_push(std::function<void(const std::vector<RefUpdate>&)> listener);

 private:
  struct Impl;
  explicit GitOrigin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mepsim::fakes::github
