// Unit tests of the git origin (fakes/github/git_origin.h) on temporary folders with the
// real `git`: the profile's repository section reads strictly, seeding is deterministic
// and matches the profile, queries and writes behave like GitHub's server side, and real
// `git clone` / `git push` work through git http-backend behind a tiny HTTP server.

#include "fakes/github/git_origin.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "fakes/github/git_source_provider.h"
#include "fakes/github/repository_seed.h"
#include "sim/datastore/scratch_dir.h"
#include "sim/platform/release_manifest.h"
#include "sim/web/schema_migrations.h"
#include "tests/integration/mepsim_process.h"
#include "tests/unit/platform_fixture.h"

namespace mepsim::fakes::github {
namespace {

using platform::PullRequestState;

platform::RepositoryProfile histologe_repository() {
  auto profile = platform_test::load_histologe_profile();
  EXPECT_TRUE(profile.ok()) << profile.error().message;
  EXPECT_TRUE(profile.ok() && profile->repository.has_value());
  return profile.ok() && profile->repository ? *profile->repository : platform::RepositoryProfile{};
}

ScratchDir scratch() {
  auto dir = ScratchDir::create("mepsim-git-origin-test");
  EXPECT_TRUE(dir.ok()) << dir.error().message;
  return std::move(dir.value());
}

std::unique_ptr<GitOrigin> make_origin(const std::filesystem::path& folder,
                                       const RepositorySeed& seed) {
  auto origin = GitOrigin::create(folder, seed);
  EXPECT_TRUE(origin.ok()) << origin.error().message;
  return origin.ok() ? std::move(origin.value()) : nullptr;
}

std::string version_at(const GitOrigin& origin, const std::string& ref) {
  auto text = origin.file_at(ref, "app.yaml");
  if (!text) return "error: " + text.error().message;
  auto manifest = platform::parse_release_manifest(text.value());
  if (!manifest) return "error: " + manifest.error().message;
  return manifest->version;
}

std::string manifest_text(const std::string& version) {
  platform::ReleaseManifest manifest;
  manifest.version = version;
  return platform::to_yaml(manifest);
}

// main: one commit; `left` and `right` each change files from main.
RepositorySeed small_seed(const std::string& left_file, const std::string& right_file,
                          const std::string& right_content = "right\n") {
  RepositorySeed seed;
  seed.owner = "acme";
  seed.name = "demo";
  seed.epoch = Instant{std::chrono::seconds(1'764'579'600)};
  seed.branches = {
      {"main", "", {{"root", manifest_text("1.0.0"), {{"shared.txt", "base\n"}}, ""}}},
      {"left", "main", {{"left change", "", {{left_file, "left\n"}}, ""}}},
      {"right", "main", {{"right change", "", {{right_file, right_content}}, ""}}},
  };
  return seed;
}

class HistologeOrigin : public ::testing::Test {
 protected:
  void SetUp() override {
    repository_ = histologe_repository();
    origin_ = make_origin(dir_.path(), to_repository_seed(repository_));
    ASSERT_NE(origin_, nullptr);
  }
  GitOrigin& origin() { return *origin_; }
  const platform::RepositoryProfile& repository() const { return repository_; }

 private:
  ScratchDir dir_ = scratch();
  platform::RepositoryProfile repository_;
  std::unique_ptr<GitOrigin> origin_;
};

// ---- the profile's repository section ---------------------------------------------------

TEST(RepositoryProfile, HistologeProfileHasReleasesAndPullRequests) {
  // The real profile: main, develop, tags 1.7.2 and 1.7.3, merged, closed and open PRs.
  const auto repo = histologe_repository();
  EXPECT_EQ(repo.owner, "MTES-MCT");
  EXPECT_EQ(repo.name, "histologe");
  EXPECT_EQ(repo.default_branch, "main");
  EXPECT_EQ(repo.ci.result, "success");
  std::set<std::string> branches;
  for (const auto& b : repo.branches) branches.insert(b.name);
  EXPECT_TRUE(branches.contains("main") && branches.contains("develop") &&
              branches.contains("review_app"));
  ASSERT_EQ(repo.tags.size(), 2u);
  EXPECT_EQ(repo.tags[0].name, "1.7.2");
  EXPECT_EQ(repo.tags[1].name, "1.7.3");
  std::map<PullRequestState, int> states;
  for (const auto& pull : repo.pull_requests) ++states[pull.state];
  EXPECT_GE(states[PullRequestState::merged], 2);
  EXPECT_GE(states[PullRequestState::open], 2);
  EXPECT_GE(states[PullRequestState::closed], 1);
}

TEST(RepositoryProfile, ManifestsNameMigrationsTheWebContainerKnows) {
  // Every manifest of the profile parses, and each migration it names is a built-in one.
  std::set<std::string> known;
  for (const auto& m : web::builtin_migrations()) known.insert(m.name);
  for (const auto& branch : histologe_repository().branches) {
    for (const auto& commit : branch.commits) {
      if (commit.manifest_yaml.empty()) continue;
      auto manifest = platform::parse_release_manifest(commit.manifest_yaml);
      ASSERT_TRUE(manifest.ok()) << manifest.error().message;
      for (const auto& m : manifest->migrations) {
        EXPECT_TRUE(known.contains(m.name)) << m.name << " in " << commit.message;
      }
    }
  }
}

// The error of a profile whose repository section is `repository` (empty when it reads).
std::string repository_error(const std::string& repository) {
  const std::string yaml = "apps:\n  - name: a\n    formation: []\nrepository:\n" + repository;
  auto parsed = platform::parse_platform_profile(yaml, "p.yaml");
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(RepositoryProfile, ErrorsNameTheirPlace) {
  // Unknown names, keys and states, and "~N" past the root, are errors at file:line:col.
  const std::string main =
      "  branches:\n"
      "    - name: main\n"
      "      commits:\n"
      "        - message: root\n"
      "          manifest: { version: 1.0.0 }\n";
  EXPECT_EQ(repository_error(main), "");
  const std::regex place("^p\\.yaml:[0-9]+:[0-9]+: ");
  for (const auto& [broken, fragment] : std::vector<std::pair<std::string, std::string>>{
           {main + "    - name: dev\n      from: nowhere\n", "no earlier branch nowhere"},
           {main + "    - name: dev\n      from: main~1\n", "main has only 1 commits"},
           {main + "  tags:\n    - { name: 1.0, at: dev }\n", "no earlier branch dev"},
           {main + "  pull_requests:\n    - { number: 1, title: t, head: main, base: x }\n",
            "no branch x"},
           {main + "  pull_requests:\n    - { number: 1, title: t, head: main, base: main, "
                   "state: shipped }\n",
            "'state' must be open, merged or closed"},
           {main + "    - name: dev\n      from: main\n      commits:\n        - message: m\n"
                   "          colour: red\n",
            "unknown key 'colour' in a commit"},
           {main + "    - name: dev\n      from: main\n      commits:\n        - message: m\n"
                   "          manifest: { version: 2.0.0, boot_s: -1 }\n",
            "invalid manifest"},
           {main + "  ci: { result: flaky }\n", "'result' must be success or failure"},
           {main + "  epoch: yesterday\n", "'epoch' must be like"},
       }) {
    const auto message = repository_error(broken);
    EXPECT_TRUE(std::regex_search(message, place)) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

// ---- seeding ------------------------------------------------------------------------------

TEST(GitOriginSeed, SameSeedGivesSameShas) {
  // Two origins from the same profile hold the same commits, branch by branch and tag by
  // tag; the seeding time is printed for the report.
  const auto seed = to_repository_seed(histologe_repository());
  auto first_dir = scratch();
  auto second_dir = scratch();
  const auto started = std::chrono::steady_clock::now();
  auto first = make_origin(first_dir.path(), seed);
  const auto took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  auto second = make_origin(second_dir.path(), seed);
  ASSERT_TRUE(first && second);
  std::printf("[ measure  ] seeding the Histologe repository took %.1f ms\n", took_ms);
  auto branches = first->branches();
  ASSERT_TRUE(branches.ok()) << branches.error().message;
  EXPECT_EQ(branches.value(), second->branches().value());
  EXPECT_EQ(first->tags().value(), second->tags().value());
  EXPECT_EQ(branches->size(), seed.branches.size());
  auto head = first->commit("main");
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->author_name, "mepsim");
  EXPECT_EQ(head->author_email, "mep@signal-logement.fr");
  EXPECT_EQ(head->message, "Correction du parcours dans l'édition de signalement (#1122)");
  // Five commits one minute apart from the epoch: the fifth is at epoch + 4 min.
  EXPECT_EQ(head->authored_at, seed.epoch + std::chrono::minutes(4));
}

TEST(GitOriginSeed, ChangedSeedChangesShas) {
  // The shas depend on the seed's content: another epoch gives other commits.
  auto seed = to_repository_seed(histologe_repository());
  auto first_dir = scratch();
  auto second_dir = scratch();
  auto first = make_origin(first_dir.path(), seed);
  seed.epoch += std::chrono::hours(1);
  auto second = make_origin(second_dir.path(), seed);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->resolve("main").value(), second->resolve("main").value());
}

TEST_F(HistologeOrigin, BranchesTagsAndPullRequestBranchesExist) {
  // Every branch and tag of the profile is there, HEAD is main, and each PR's head and
  // base are branches.
  auto branches = origin().branches();
  ASSERT_TRUE(branches.ok()) << branches.error().message;
  for (const auto& branch : repository().branches) {
    EXPECT_TRUE(branches->contains(branch.name)) << branch.name;
  }
  for (const auto& pull : repository().pull_requests) {
    EXPECT_TRUE(branches->contains(pull.head) && branches->contains(pull.base)) << pull.number;
  }
  auto tags = origin().tags();
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->size(), 2u);
  EXPECT_EQ(tags->at("1.7.3"), branches->at("main"));
  EXPECT_EQ(tags->at("1.7.2"), origin().resolve("main~2").value());
  EXPECT_EQ(origin().resolve("HEAD").value(), branches->at("main"));
  EXPECT_EQ(origin().default_branch(), "main");
  EXPECT_TRUE(std::filesystem::exists(origin().bare_path() / "HEAD"));
}

TEST_F(HistologeOrigin, MergedPullRequestsAreInTheirBaseAndOpenOnesAreNot) {
  // Merged PRs' heads are ancestors of their base; the open feature PR's head is not.
  for (const auto& pull : repository().pull_requests) {
    auto merged = origin().is_ancestor(pull.head, pull.base);
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    if (pull.state == PullRequestState::merged) {
      EXPECT_TRUE(merged.value()) << pull.number;
    }
    if (pull.state == PullRequestState::closed) {
      EXPECT_FALSE(merged.value()) << pull.number;
    }
    if (pull.state == PullRequestState::open && pull.base == "develop") {
      EXPECT_FALSE(merged.value()) << pull.number;
    }
  }
  auto merge_commit = origin().commit("develop~2");
  ASSERT_TRUE(merge_commit.ok());
  EXPECT_EQ(merge_commit->parents.size(), 2u);
  EXPECT_EQ(merge_commit->message.rfind("Merge pull request #1135", 0), 0u);
}

TEST_F(HistologeOrigin, ReviewAppCommitsAreAlreadyOnDevelop) {
  // The review_app PR into main is open, its commits are on develop and not on main.
  EXPECT_TRUE(origin().is_ancestor("review_app", "develop").value());
  EXPECT_FALSE(origin().is_ancestor("review_app", "main").value());
  auto ahead = origin().commits_between("main", "review_app");
  ASSERT_TRUE(ahead.ok()) << ahead.error().message;
  EXPECT_GE(ahead->size(), 2u);
  for (const auto& commit : ahead.value()) {
    EXPECT_TRUE(origin().is_ancestor(commit.sha, "develop").value()) << commit.message;
  }
  // Newest first, like `git rev-list`.
  EXPECT_EQ(ahead->front().sha, origin().resolve("review_app").value());
}

TEST_F(HistologeOrigin, ManifestAtEachRefHasItsVersion) {
  // Tags read their release's version, develop the next one; the source provider reads
  // the same, and an unknown ref is not_found.
  EXPECT_EQ(version_at(origin(), "1.7.2"), "1.7.2");
  EXPECT_EQ(version_at(origin(), "1.7.3"), "1.7.3");
  EXPECT_EQ(version_at(origin(), "main"), "1.7.3");
  EXPECT_EQ(version_at(origin(), "develop"), "1.7.4");
  EXPECT_EQ(version_at(origin(), origin().resolve("develop").value()), "1.7.4");
  GitSourceProvider source(origin());
  auto text = source.manifest_at("histologe-staging", "develop");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(platform::parse_release_manifest(text.value())->version, "1.7.4");
  EXPECT_EQ(source.manifest_at("histologe", "no-such-branch").error().code, ErrorCode::not_found);
  EXPECT_EQ(origin().file_at("main", "missing.txt").error().code, ErrorCode::not_found);
  // Merging develop brought the feature branch's file along.
  EXPECT_TRUE(origin().file_at("develop", "src/Service/GeocodingService.php").ok());
}

TEST_F(HistologeOrigin, RefsThatLookLikeOptionsOrExpressionsAreNotFound) {
  // Outside input never reaches git as an option or a path expression.
  for (const char* ref : {"--all", "-h", "main:app.yaml", "main..develop", "", "a b"}) {
    auto sha = origin().resolve(ref);
    ASSERT_FALSE(sha.ok()) << ref;
    EXPECT_EQ(sha.error().code, ErrorCode::not_found) << ref;
  }
  EXPECT_EQ(origin().file_at("main", "/etc/passwd").error().code, ErrorCode::not_found);
}

// ---- writes -------------------------------------------------------------------------------

TEST_F(HistologeOrigin, MergeOfBranchBehindWritesMergeCommit) {
  // main is behind develop: like GitHub's merges API, a merge commit (never a
  // fast-forward) with develop's tree; the review_app PR's commits are then in main.
  const auto main_before = origin().resolve("main").value();
  const auto develop = origin().resolve("develop").value();
  auto merged = origin().merge("main", "develop", "Merge develop into main");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  ASSERT_TRUE(merged->has_value());
  auto commit = origin().commit(**merged);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(commit->parents, (std::vector<std::string>{main_before, develop}));
  EXPECT_EQ(commit->message, "Merge develop into main");
  EXPECT_EQ(origin().resolve("main").value(), **merged);
  EXPECT_EQ(version_at(origin(), "main"), "1.7.4");
  EXPECT_TRUE(origin().is_ancestor("review_app", "main").value());
}

TEST_F(HistologeOrigin, MergeOfWhatIsAlreadyInBaseIsNothing) {
  // review_app is on develop already: nothing to merge, develop does not move.
  const auto before = origin().resolve("develop").value();
  auto merged = origin().merge("develop", "review_app", "");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_FALSE(merged->has_value());
  EXPECT_EQ(origin().resolve("develop").value(), before);
}

TEST_F(HistologeOrigin, MergeOfUnknownBaseOrHeadIsNotFound) {
  // GitHub answers 404 "Base does not exist" / "Head does not exist".
  EXPECT_EQ(origin().merge("nope", "develop", "").error().code, ErrorCode::not_found);
  EXPECT_EQ(origin().merge("main", "nope", "").error().code, ErrorCode::not_found);
}

TEST(GitOriginMerge, DivergedBranchesGetBothChanges) {
  // left and right changed different files: the merge commit has both, default message.
  auto dir = scratch();
  auto origin = make_origin(dir.path(), small_seed("left.txt", "right.txt"));
  ASSERT_NE(origin, nullptr);
  auto merged = origin->merge("left", "right", "");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  ASSERT_TRUE(merged->has_value());
  EXPECT_EQ(origin->file_at("left", "left.txt").value(), "left\n");
  EXPECT_EQ(origin->file_at("left", "right.txt").value(), "right\n");
  EXPECT_EQ(origin->commit("left")->message, "Merge right into left");
  EXPECT_EQ(version_at(*origin, "left"), "1.0.0");
}

TEST(GitOriginMerge, ConflictIsConflictAndLeavesBaseAlone) {
  // Both sides changed shared.txt differently: conflict, and left does not move.
  auto dir = scratch();
  auto origin = make_origin(dir.path(), small_seed("shared.txt", "shared.txt"));
  ASSERT_NE(origin, nullptr);
  const auto before = origin->resolve("left").value();
  auto merged = origin->merge("left", "right", "");
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().code, ErrorCode::conflict);
  EXPECT_EQ(origin->resolve("left").value(), before);
}

TEST(GitOriginMerge, MergeCommitsAreDeterministicWithoutClock) {
  // Without a clock, merge commits are dated after the seed: two origins agree.
  std::vector<std::string> shas;
  for (int i = 0; i < 2; ++i) {
    auto dir = scratch();
    auto origin = make_origin(dir.path(), small_seed("left.txt", "right.txt"));
    ASSERT_NE(origin, nullptr);
    auto merged = origin->merge("left", "right", "");
    ASSERT_TRUE(merged.ok() && merged->has_value());
    shas.push_back(**merged);
  }
  EXPECT_EQ(shas[0], shas[1]);
}

TEST(GitOriginSeed, BadSeedsAreInvalidInput) {
  // Unknown starting points, a root without manifest and a seeded merge conflict.
  auto conflicting = small_seed("shared.txt", "shared.txt");
  conflicting.branches.push_back({"both", "left", {{"merge right", "", {}, "right"}}});
  auto unknown = small_seed("a.txt", "b.txt");
  unknown.branches[1].from = "nowhere";
  auto no_manifest = small_seed("a.txt", "b.txt");
  no_manifest.branches[0].commits[0].manifest_yaml.clear();
  auto past_root = small_seed("a.txt", "b.txt");
  past_root.tags = {{"0.1", "main~1"}};
  for (const auto* seed : {&conflicting, &unknown, &no_manifest, &past_root}) {
    auto dir = scratch();
    auto origin = GitOrigin::create(dir.path(), *seed);
    ASSERT_FALSE(origin.ok());
    EXPECT_EQ(origin.error().code, ErrorCode::invalid_input) << origin.error().message;
  }
}

TEST_F(HistologeOrigin, CreateRefOfExistingRefIsConflict) {
  // POST git/refs: a new tag is created, an existing one is a conflict (422 at the API).
  const auto develop = origin().resolve("develop").value();
  EXPECT_EQ(origin().create_ref("refs/tags/1.7.3", develop).error().code, ErrorCode::conflict);
  ASSERT_TRUE(origin().create_ref("refs/tags/1.7.4", develop).ok());
  EXPECT_EQ(origin().tags()->at("1.7.4"), develop);
  EXPECT_EQ(origin()
                .create_ref("refs/tags/1.7.5", "0123456789012345678901234567890123456789")
                .error()
                .code,
            ErrorCode::not_found);
  EXPECT_EQ(origin().create_ref("refs/heads/bad..name", develop).error().code,
            ErrorCode::invalid_input);
}

TEST_F(HistologeOrigin, UpdateAndDeleteRefs) {
  // update_ref moves an existing ref, delete_ref removes it; a missing ref is not_found.
  const auto main = origin().resolve("main").value();
  ASSERT_TRUE(origin().update_ref("heads/review_app", main).ok());
  EXPECT_EQ(origin().resolve("review_app").value(), main);
  ASSERT_TRUE(origin().delete_ref("refs/heads/review_app").ok());
  EXPECT_FALSE(origin().branches()->contains("review_app"));
  EXPECT_EQ(origin().delete_ref("refs/heads/review_app").error().code, ErrorCode::not_found);
  EXPECT_EQ(origin().update_ref("refs/heads/review_app", main).error().code, ErrorCode::not_found);
}

// ---- smart HTTP ---------------------------------------------------------------------------

// What the GitHub fake's route does, reduced: the repository's URL, Basic auth checked
// against one token, the rest handed to serve_smart_http.
class SmartHttpServer {
 public:
  explicit SmartHttpServer(GitOrigin& origin) : origin_(origin) {
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      serve(req, res);
    };
    server_.Get(R"(/MTES-MCT/histologe\.git(/.*))", handler);
    server_.Post(R"(/MTES-MCT/histologe\.git(/.*))", handler);
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Bound and listening already: connections queue until the accept loop runs.
  }
  ~SmartHttpServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& credentials = "") const {
    return "http://" + credentials + "127.0.0.1:" + std::to_string(port_) +
           "/MTES-MCT/histologe.git";
  }
  int requests_seen() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mutex_);
      ++requests_;
    }
    GitOrigin::CgiRequest cgi;
    cgi.method = req.method;
    cgi.path_info = req.matches[1].str();
    for (const auto& [key, value] : req.params) {
      cgi.query += (cgi.query.empty() ? "" : "&") + key + "=" + value;
    }
    cgi.content_type = req.get_header_value("Content-Type");
    // cpp-httplib decodes gzip request bodies itself: pass the encoding only if it did not.
    const bool still_gzip = req.body.size() >= 2 && req.body[0] == '\x1f' && req.body[1] == '\x8b';
    if (still_gzip) cgi.content_encoding = req.get_header_value("Content-Encoding");
    cgi.git_protocol = req.get_header_value("Git-Protocol");
    cgi.body = req.body;
    const auto auth = req.get_header_value("Authorization");
    if (auth == "Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0") cgi.remote_user = "x-access-token";
    auto answer = origin_.serve_smart_http(cgi);
    if (!answer) {
      res.status = 500;
      res.set_content(answer.error().message, "text/plain");
      return;
    }
    res.status = answer->status;
    std::string content_type = "application/octet-stream";
    for (const auto& [name, value] : answer->headers) {
      if (name == "Content-Type") {
        content_type = value;
      } else {
        res.set_header(name, value);
      }
    }
    res.set_content(answer->body, content_type);
  }

  GitOrigin& origin_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  int requests_ = 0;
};

// The client side: a real `git` with no user or system configuration.
std::string git_command(const std::filesystem::path& home) {
  return "HOME=" + home.string() +
         " GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 "
         "git -c user.name=Dev -c user.email=dev@example.org ";
}

TEST_F(HistologeOrigin, CloneCommitPushThroughSmartHttp) {
  // git clone, commit, push with the token: the listener gets the RefUpdate (and may
  // query the origin: it runs outside the lock), and ls-remote shows the new main.
  SmartHttpServer server(origin());
  auto work = scratch();
  const auto git = git_command(work.path());
  std::mutex mutex;
  std::vector<RefUpdate> pushed;
  std::string resolved_in_listener;
  origin().on_push([&](const std::vector<RefUpdate>& updates) {
    auto main = origin().resolve("main");
    std::lock_guard lock(mutex);
    pushed = updates;
    resolved_in_listener = main.ok() ? main.value() : main.error().message;
  });
  const auto clone_dir = work.path() / "histologe";
  const auto started = std::chrono::steady_clock::now();
  auto cloned = testing::run_shell(git + "clone --quiet " + server.url() + " " +
                                   clone_dir.string() + " 2>&1");
  const auto clone_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(cloned.code, 0) << cloned.output;
  std::printf("[ measure  ] git clone over smart HTTP took %.1f ms\n", clone_ms);
  const auto in_clone = git + "-C " + clone_dir.string() + " ";
  EXPECT_EQ(testing::run_shell(in_clone + "rev-parse HEAD").output,
            origin().resolve("main").value() + "\n");
  EXPECT_EQ(testing::run_shell(in_clone + "show HEAD:app.yaml").output,
            origin().file_at("main", "app.yaml").value());

  // The procedure's MEP: merge develop into main locally, push main.
  auto merged = testing::run_shell(in_clone + "merge --quiet --no-edit origin/develop 2>&1");
  ASSERT_EQ(merged.code, 0) << merged.output;
  const auto before = origin().resolve("main").value();
  const auto local = testing::run_shell(in_clone + "rev-parse HEAD").output;
  auto push = testing::run_shell(in_clone + "push --quiet " + server.url("x-access-token:secret@") +
                                 " main 2>&1");
  ASSERT_EQ(push.code, 0) << push.output;
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(pushed.size(), 1u);
    EXPECT_EQ(pushed[0].ref, "refs/heads/main");
    EXPECT_EQ(pushed[0].before, before);
    EXPECT_EQ(pushed[0].after + "\n", local);
    EXPECT_EQ(resolved_in_listener, pushed[0].after);
  }
  auto remote = testing::run_shell(git + "ls-remote " + server.url() + " refs/heads/main");
  EXPECT_EQ(remote.output, local.substr(0, 40) + "\trefs/heads/main\n");
  EXPECT_EQ(version_at(origin(), "main"), "1.7.4");
  EXPECT_TRUE(origin().is_ancestor("review_app", "main").value());

  // A tag pushed by the procedure's release step is reported as created.
  auto tag = testing::run_shell(in_clone + "tag 1.7.4 && " + in_clone + "push --quiet " +
                                server.url("x-access-token:secret@") + " 1.7.4 2>&1");
  ASSERT_EQ(tag.code, 0) << tag.output;
  std::lock_guard lock(mutex);
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].ref, "refs/tags/1.7.4");
  EXPECT_EQ(pushed[0].before, std::string(40, '0'));
}

TEST_F(HistologeOrigin, PushWithoutCredentialsIsRefused) {
  // Reads are anonymous, a push is not: git gets a 401, nothing moves, nobody is told.
  SmartHttpServer server(origin());
  auto work = scratch();
  const auto git = git_command(work.path());
  int pushes = 0;
  origin().on_push([&](const std::vector<RefUpdate>&) { ++pushes; });
  const auto clone_dir = work.path() / "histologe";
  ASSERT_EQ(
      testing::run_shell(git + "clone --quiet " + server.url() + " " + clone_dir.string()).code, 0);
  const auto in_clone = git + "-C " + clone_dir.string() + " ";
  const auto before = origin().resolve("main").value();
  auto commit = testing::run_shell(in_clone + "commit --quiet --allow-empty -m anonymous 2>&1");
  ASSERT_EQ(commit.code, 0) << commit.output;
  auto push = testing::run_shell(in_clone + "push --quiet origin main 2>&1");
  EXPECT_NE(push.code, 0) << push.output;
  EXPECT_EQ(origin().resolve("main").value(), before);
  EXPECT_EQ(pushes, 0);

  GitOrigin::CgiRequest advert{"GET", "/info/refs", "service=git-receive-pack", "", "", "", "", ""};
  auto answer = origin().serve_smart_http(advert);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 401);
  bool challenged = false;
  for (const auto& [name, value] : answer->headers) {
    challenged = challenged || (name == "WWW-Authenticate" && value.starts_with("Basic"));
  }
  EXPECT_TRUE(challenged);
  advert.remote_user = "x-access-token";
  auto allowed = origin().serve_smart_http(advert);
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  EXPECT_EQ(allowed->status, 200);
  EXPECT_NE(allowed->body.find("refs/heads/main"), std::string::npos);
}

TEST_F(HistologeOrigin, UnknownSmartHttpPathsAreNotFound) {
  // Only the smart protocol's paths reach git http-backend.
  GitOrigin::CgiRequest request{"GET", "/objects/info/packs", "", "", "", "", "", ""};
  EXPECT_EQ(origin().serve_smart_http(request)->status, 404);
  request.path_info = "/../../etc/passwd";
  EXPECT_EQ(origin().serve_smart_http(request)->status, 404);
  request.path_info = "/git-upload-pack";
  EXPECT_EQ(origin().serve_smart_http(request)->status, 405);
}

}  // namespace
}  // namespace mepsim::fakes::github
