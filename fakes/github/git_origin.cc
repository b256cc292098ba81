#include "fakes/github/git_origin.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include "fakes/github/git_process.h"
#include "fakes/github/git_seed_stream.h"
#include "sim/process/child_process.h"

namespace mepsim::fakes::github {
namespace {

namespace fs = std::filesystem;
using Env = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kZeroSha = "0000000000000000000000000000000000000000";
// Plumbing answers are small; a query past these bounds is a bug, not a big repository.
constexpr std::size_t kQueryOutputBytesMax = 16 << 20;
constexpr Duration kQueryTimeout = std::chrono::seconds(30);
constexpr Duration kSeedTimeout = std::chrono::seconds(120);
// A push or a clone of the rehearsal's repository is a few MB at most.
constexpr std::size_t kCgiRequestBytesMax = 64 << 20;
constexpr std::size_t kCgiResponseBytesMax = 256 << 20;
constexpr Duration kCgiTimeout = std::chrono::seconds(120);
// GitHub's compare lists at most 250 commits; so does commits_between.
constexpr int kCommitsBetweenMax = 250;

// What a caller may name as a ref: a branch, a tag, a sha, "x~N". Never an option, never
// a path expression ("REF:path"), never anything that could split an argument.
bool is_ref_argument(const std::string& ref) {
  if (ref.empty() || ref.size() > 256 || ref.front() == '-') return false;
  if (ref.find("..") != std::string::npos || ref.find(':') != std::string::npos) return false;
  return std::none_of(ref.begin(), ref.end(), [](char ch) {
    return static_cast<unsigned char>(ch) <= ' ' || ch == '\x7f';
  });
}

bool is_path_argument(const std::string& path) {
  if (path.empty() || path.size() > 1024 || path.front() == '/') return false;
  return std::none_of(path.begin(), path.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < ' '; });
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string trim_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

// "refs/heads/x", or "heads/x" / "tags/x" as the REST API's paths spell it.
std::string full_ref(const std::string& ref) {
  return ref.starts_with("refs/") ? ref : "refs/" + ref;
}

// The git fields of one commit, %x00-separated; `git log -z` ends each record with NUL.
constexpr const char* kCommitFormat = "--format=%H%x00%P%x00%an%x00%ae%x00%at%x00%B";
constexpr std::size_t kCommitFields = 6;

CommitInfo commit_from_fields(const std::vector<std::string>& fields, std::size_t at) {
  CommitInfo info;
  info.sha = fields[at];
  for (const auto& parent : split(fields[at + 1], ' ')) {
    if (!parent.empty()) info.parents.push_back(parent);
  }
  info.author_name = fields[at + 2];
  info.author_email = fields[at + 3];
  info.authored_at =
      Instant{std::chrono::seconds(std::strtoll(fields[at + 4].c_str(), nullptr, 10))};
  info.message = trim_trailing_newlines(fields[at + 5]);
  return info;
}

// "Status: 403 Forbidden", headers, a blank line, the body: what a CGI prints.
Result<GitOrigin::CgiResponse> parse_cgi_output(const std::string& output) {
  auto end = output.find("\r\n\r\n");
  std::size_t body_at = end + 4;
  if (const auto lf = output.find("\n\n");
      lf != std::string::npos && (end == std::string::npos || lf < end)) {
    end = lf;
    body_at = lf + 2;
  }
  if (end == std::string::npos) {
    return make_error(ErrorCode::internal, "git http-backend printed no CGI header block");
  }
  GitOrigin::CgiResponse response;
  std::istringstream lines(output.substr(0, end));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto name = line.substr(0, colon);
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (name == "Status") {
      response.status = std::atoi(value.c_str());
      if (response.status < 100 || response.status > 599) {
        return make_error(ErrorCode::internal, "git http-backend: bad status " + value);
      }
    } else {
      response.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  response.body = output.substr(body_at);
  return response;
}

GitOrigin::CgiResponse plain_response(int status, const std::string& text) {
  GitOrigin::CgiResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  response.body = text;
  return response;
}

// The refs a push created, moved or deleted, by ref name.
std::vector<RefUpdate> ref_updates(const std::map<std::string, std::string>& before,
                                   const std::map<std::string, std::string>& after) {
  std::map<std::string, RefUpdate> updates;
  for (const auto& [ref, sha] : after) {
    const auto old = before.find(ref);
    if (old == before.end()) {
      updates[ref] = {ref, kZeroSha, sha};
    } else if (old->second != sha) {
      updates[ref] = {ref, old->second, sha};
    }
  }
  for (const auto& [ref, sha] : before) {
    if (!after.contains(ref)) updates[ref] = {ref, sha, kZeroSha};
  }
  std::vector<RefUpdate> out;
  for (auto& [ref, update] : updates) out.push_back(std::move(update));
  return out;
}

}  // namespace

struct GitOrigin::Impl {
  std::string owner;
  std::string name;
  std::string default_branch;
  fs::path folder;  // GIT_PROJECT_ROOT
  fs::path bare;
  fs::path git;
  fs::path http_backend;
  Env base_env;
  const Clock* clock = nullptr;
  std::int64_t next_commit_time_s = 0;  // merge() dates without a clock

  mutable std::mutex mutex;
  std::function<void(const std::vector<RefUpdate>&)> listener;

  Result<ProgramOutput> run(std::vector<std::string> args, std::string input = {},
                            const Env& extra_env = {}, Duration timeout = kQueryTimeout) const {
    ProgramRun spec;
    spec.program = git;
    spec.args = {"--git-dir=" + bare.string()};
    spec.args.insert(spec.args.end(), std::make_move_iterator(args.begin()),
                     std::make_move_iterator(args.end()));
    spec.env = base_env;
    spec.env.insert(spec.env.end(), extra_env.begin(), extra_env.end());
    spec.input = std::move(input);
    spec.output_bytes_max = kQueryOutputBytesMax;
    spec.timeout = timeout;
    return run_program(spec);
  }

  // The command's stdout; its failure (non-zero exit) is `code` with git's own words.
  Result<std::string> run_ok(std::vector<std::string> args, ErrorCode code = ErrorCode::internal,
                             std::string input = {}, const Env& extra_env = {}) const {
    const auto what = args.empty() ? std::string("git") : "git " + args.front();
    auto done = run(std::move(args), std::move(input), extra_env);
    if (!done) return done.error().context(what);
    if (done->exit_code != 0) {
      return make_error(code, fmt::format("{} (exit {}): {}", what, done->exit_code,
                                          trim_trailing_newlines(done->err)));
    }
    return std::move(done->out);
  }

  Result<std::string> resolve(const std::string& ref) const {
    if (!is_ref_argument(ref)) {
      return make_error(ErrorCode::not_found, "'" + ref + "' is not a branch, tag or sha");
    }
    auto done = run({"rev-parse", "--verify", "--quiet", ref + "^{commit}"});
    if (!done) return done.error();
    if (done->exit_code != 0) return make_error(ErrorCode::not_found, "no commit " + ref);
    return trim_trailing_newlines(done->out);
  }

  // The sha a full ref name points at; nullopt when it does not exist.
  Result<std::optional<std::string>> ref_target(const std::string& ref) const {
    auto done = run({"rev-parse", "--verify", "--quiet", ref});
    if (!done) return done.error();
    if (done->exit_code != 0) return std::optional<std::string>();
    return std::optional<std::string>(trim_trailing_newlines(done->out));
  }

  // Every ref → the object it points at (a tag object for annotated tags).
  Result<std::map<std::string, std::string>> refs(const std::string& prefix = "refs/") const {
    auto out = run_ok({"for-each-ref", "--format=%(objectname) %(*objectname) %(refname)", prefix});
    if (!out) return out.error();
    std::map<std::string, std::string> refs;
    for (const auto& line : split(out.value(), '\n')) {
      const auto fields = split(line, ' ');
      if (fields.size() != 3) continue;
      refs[fields[2]] = fields[1].empty() ? fields[0] : fields[1];
    }
    return refs;
  }

  Result<std::map<std::string, std::string>> raw_refs() const {
    auto out = run_ok({"for-each-ref", "--format=%(objectname) %(refname)"});
    if (!out) return out.error();
    std::map<std::string, std::string> refs;
    for (const auto& line : split(out.value(), '\n')) {
      const auto space = line.find(' ');
      if (space != std::string::npos) refs[line.substr(space + 1)] = line.substr(0, space);
    }
    return refs;
  }

  Result<bool> is_ancestor(const std::string& ancestor, const std::string& descendant) const {
    auto done = run({"merge-base", "--is-ancestor", ancestor, descendant});
    if (!done) return done.error();
    if (done->exit_code == 0) return true;
    if (done->exit_code == 1) return false;
    return make_error(ErrorCode::internal, "git merge-base: " + trim_trailing_newlines(done->err));
  }

  Env commit_identity() {
    std::int64_t at_s = next_commit_time_s;
    if (clock != nullptr) {
      at_s = unix_seconds(clock->now());
    }
    next_commit_time_s = std::max(next_commit_time_s, at_s) + 60;
    const auto date = fmt::format("@{} +0000", at_s);
    return {{"GIT_AUTHOR_NAME", kSeedAuthorName},
            {"GIT_AUTHOR_EMAIL", kSeedAuthorEmail},
            {"GIT_AUTHOR_DATE", date},
            {"GIT_COMMITTER_NAME", kSeedAuthorName},
            {"GIT_COMMITTER_EMAIL", kSeedAuthorEmail},
            {"GIT_COMMITTER_DATE", date}};
  }

  // git http-backend as a CGI: the request's method, path and headers in its environment,
  // the body on its stdin.
  ProgramRun cgi_run(const GitOrigin::CgiRequest& request) const {
    ProgramRun cgi;
    cgi.program = http_backend;
    cgi.env = base_env;
    const Env vars = {{"GIT_PROJECT_ROOT", folder.string()},
                      {"GIT_HTTP_EXPORT_ALL", "1"},
                      {"PATH_INFO", "/" + name + ".git" + request.path_info},
                      {"REQUEST_METHOD", request.method},
                      {"QUERY_STRING", request.query},
                      {"CONTENT_TYPE", request.content_type},
                      {"REMOTE_ADDR", "127.0.0.1"}};
    cgi.env.insert(cgi.env.end(), vars.begin(), vars.end());
    if (request.method == "POST") {
      cgi.env.emplace_back("CONTENT_LENGTH", std::to_string(request.body.size()));
    }
    if (!request.content_encoding.empty()) {
      cgi.env.emplace_back("HTTP_CONTENT_ENCODING", request.content_encoding);
    }
    if (!request.git_protocol.empty()) cgi.env.emplace_back("GIT_PROTOCOL", request.git_protocol);
    if (!request.remote_user.empty()) cgi.env.emplace_back("REMOTE_USER", request.remote_user);
    cgi.input = request.body;
    cgi.output_bytes_max = kCgiResponseBytesMax;
    cgi.timeout = kCgiTimeout;
    return cgi;
  }

  Result<void> seed(const RepositorySeed& seed) {
    auto stream = seed_stream(seed);
    if (!stream) return stream.error();
    auto imported = run({"fast-import", "--quiet", "--done", "--date-format=raw"},
                        std::move(stream->text), {}, kSeedTimeout);
    if (!imported) return imported.error().context("git fast-import");
    if (imported->exit_code != 0) {
      return make_error(ErrorCode::invalid_input, "git fast-import refused the seed: " +
                                                      trim_trailing_newlines(imported->err));
    }
    next_commit_time_s = stream->next_commit_time_s;
    if (auto head = run_ok({"symbolic-ref", "HEAD", "refs/heads/" + default_branch}); !head) {
      return head.error();
    }
    // Pushes over HTTP (the wrapper asks for a user first); no background gc that could
    // outlive the run's folder.
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"http.receivepack", "true"}, {"gc.auto", "0"}, {"receive.autogc", "false"}}) {
      if (auto set = run_ok({"config", key, value}); !set) return set.error();
    }
    return {};
  }
};

Result<std::unique_ptr<GitOrigin>> GitOrigin::create(const fs::path& folder,
                                                     const RepositorySeed& seed,
                                                     const Clock* clock) {
  auto impl = std::make_unique<Impl>();
  impl->owner = seed.owner;
  impl->name = seed.name;
  impl->default_branch = seed.default_branch;
  impl->folder = folder;
  impl->bare = folder / (seed.name + ".git");
  impl->clock = clock;
  if (seed.name.empty() || seed.name.find('/') != std::string::npos || seed.name.front() == '.') {
    return make_error(ErrorCode::invalid_input, "'" + seed.name + "' is not a repository name");
  }
  auto git = find_program("git");
  if (!git) return git.error();
  impl->git = git.value();
  const char* path = std::getenv("PATH");
  // The user's and the system's git configuration stay out: the origin behaves the same
  // on every machine.
  impl->base_env = {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
                    {"HOME", folder.string()},
                    {"GIT_CONFIG_NOSYSTEM", "1"},
                    {"GIT_CONFIG_GLOBAL", "/dev/null"},
                    {"GIT_TERMINAL_PROMPT", "0"},
                    {"LC_ALL", "C"}};
  std::error_code ec;
  if (fs::exists(impl->bare, ec)) {
    return make_error(ErrorCode::conflict, impl->bare.string() + " already exists");
  }
  fs::create_directories(folder, ec);
  if (ec)
    return make_error(ErrorCode::internal,
                      "cannot create " + folder.string() + ": " + ec.message());
  auto exec_path = impl->run_ok({"--exec-path"});
  if (!exec_path) return exec_path.error();
  impl->http_backend = fs::path(trim_trailing_newlines(exec_path.value())) / "git-http-backend";
  {
    ProgramRun init;
    init.program = impl->git;
    init.args = {"init", "--bare", "--quiet", "--initial-branch=" + seed.default_branch,
                 impl->bare.string()};
    init.env = impl->base_env;
    auto done = run_program(init);
    if (!done) return done.error().context("git init");
    if (done->exit_code != 0) {
      return make_error(ErrorCode::invalid_input, "git init: " + trim_trailing_newlines(done->err));
    }
  }
  if (auto seeded = impl->seed(seed); !seeded) {
    return seeded.error().context("seeding " + seed.owner + "/" + seed.name);
  }
  return std::unique_ptr<GitOrigin>(new GitOrigin(std::move(impl)));
}

GitOrigin::GitOrigin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitOrigin::~GitOrigin() = default;

const std::string& GitOrigin::owner() const {
  return impl_->owner;
}
const std::string& GitOrigin::name() const {
  return impl_->name;
}
const std::string& GitOrigin::default_branch() const {
  return impl_->default_branch;
}
fs::path GitOrigin::bare_path() const {
  return impl_->bare;
}

Result<std::string> GitOrigin::resolve(const std::string& ref) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->resolve(ref);
}

Result<CommitInfo> GitOrigin::commit(const std::string& ref) const {
  std::lock_guard lock(impl_->mutex);
  auto sha = impl_->resolve(ref);
  if (!sha) return sha.error();
  auto out = impl_->run_ok({"log", "-1", "-z", kCommitFormat, sha.value()});
  if (!out) return out.error();
  const auto fields = split(out.value(), '\0');
  if (fields.size() < kCommitFields)
    return make_error(ErrorCode::internal, "git log: short record");
  return commit_from_fields(fields, 0);
}

Result<std::map<std::string, std::string>> GitOrigin::branches() const {
  std::lock_guard lock(impl_->mutex);
  auto refs = impl_->refs("refs/heads/");
  if (!refs) return refs.error();
  std::map<std::string, std::string> out;
  for (const auto& [ref, sha] : refs.value())
    out[ref.substr(std::string("refs/heads/").size())] = sha;
  return out;
}

Result<std::map<std::string, std::string>> GitOrigin::tags() const {
  std::lock_guard lock(impl_->mutex);
  auto refs = impl_->refs("refs/tags/");
  if (!refs) return refs.error();
  std::map<std::string, std::string> out;
  for (const auto& [ref, sha] : refs.value())
    out[ref.substr(std::string("refs/tags/").size())] = sha;
  return out;
}

Result<bool> GitOrigin::is_ancestor(const std::string& ancestor,
                                    const std::string& descendant) const {
  std::lock_guard lock(impl_->mutex);
  auto a = impl_->resolve(ancestor);
  if (!a) return a.error();
  auto d = impl_->resolve(descendant);
  if (!d) return d.error();
  return impl_->is_ancestor(a.value(), d.value());
}

Result<std::vector<CommitInfo>> GitOrigin::commits_between(const std::string& from,
                                                           const std::string& to) const {
  std::lock_guard lock(impl_->mutex);
  auto to_sha = impl_->resolve(to);
  if (!to_sha) return to_sha.error();
  std::string range = to_sha.value();
  if (!from.empty()) {
    auto from_sha = impl_->resolve(from);
    if (!from_sha) return from_sha.error();
    range = from_sha.value() + ".." + to_sha.value();
  }
  auto out = impl_->run_ok(
      {"log", "-z", kCommitFormat, fmt::format("--max-count={}", kCommitsBetweenMax), range});
  if (!out) return out.error();
  std::vector<CommitInfo> commits;
  const auto fields = split(out.value(), '\0');
  for (std::size_t at = 0; at + kCommitFields <= fields.size(); at += kCommitFields) {
    commits.push_back(commit_from_fields(fields, at));
  }
  return commits;
}

Result<std::string> GitOrigin::file_at(const std::string& ref, const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  if (!is_path_argument(path))
    return make_error(ErrorCode::not_found, "'" + path + "' is not a path");
  auto sha = impl_->resolve(ref);
  if (!sha) return sha.error();
  auto done = impl_->run({"cat-file", "blob", sha.value() + ":" + path});
  if (!done) return done.error();
  if (done->exit_code != 0)
    return make_error(ErrorCode::not_found, "no file " + path + " at " + ref);
  return std::move(done->out);
}

Result<void> GitOrigin::create_ref(const std::string& ref, const std::string& sha) {
  std::lock_guard lock(impl_->mutex);
  const auto name = full_ref(ref);
  if (!is_ref_argument(name) || !impl_->run_ok({"check-ref-format", name}).ok()) {
    return make_error(ErrorCode::invalid_input, "'" + ref + "' is not a valid ref name");
  }
  auto target = impl_->resolve(sha);
  if (!target) return target.error();
  auto existing = impl_->ref_target(name);
  if (!existing) return existing.error();
  if (existing->has_value()) return make_error(ErrorCode::conflict, "Reference already exists");
  auto done = impl_->run_ok({"update-ref", name, target.value(), kZeroSha}, ErrorCode::conflict);
  if (!done) return done.error();
  return {};
}

Result<void> GitOrigin::update_ref(const std::string& ref, const std::string& sha) {
  std::lock_guard lock(impl_->mutex);
  const auto name = full_ref(ref);
  if (!is_ref_argument(name)) return make_error(ErrorCode::not_found, "no ref " + ref);
  auto target = impl_->resolve(sha);
  if (!target) return target.error();
  auto existing = impl_->ref_target(name);
  if (!existing) return existing.error();
  if (!existing->has_value()) return make_error(ErrorCode::not_found, "Reference does not exist");
  auto done = impl_->run_ok({"update-ref", name, target.value(), **existing}, ErrorCode::conflict);
  if (!done) return done.error();
  return {};
}

Result<void> GitOrigin::delete_ref(const std::string& ref) {
  std::lock_guard lock(impl_->mutex);
  const auto name = full_ref(ref);
  if (!is_ref_argument(name)) return make_error(ErrorCode::not_found, "no ref " + ref);
  auto existing = impl_->ref_target(name);
  if (!existing) return existing.error();
  if (!existing->has_value()) return make_error(ErrorCode::not_found, "Reference does not exist");
  auto done = impl_->run_ok({"update-ref", "-d", name, **existing}, ErrorCode::conflict);
  if (!done) return done.error();
  return {};
}

// Like GitHub's merges API: always a merge commit (never a fast-forward), whose tree is
// `git merge-tree`'s; the branch moves only if it did not move meanwhile.
Result<std::optional<std::string>> GitOrigin::merge(const std::string& base,
                                                    const std::string& head,
                                                    const std::string& message) {
  std::lock_guard lock(impl_->mutex);
  const auto base_ref = base.starts_with("refs/heads/") ? base : "refs/heads/" + base;
  std::optional<std::string> base_sha;
  if (is_ref_argument(base_ref)) {
    auto found = impl_->ref_target(base_ref);
    if (!found) return found.error();
    base_sha = found.value();
  }
  if (!base_sha) return make_error(ErrorCode::not_found, "Base does not exist");
  auto head_sha = impl_->resolve(head);
  if (!head_sha) return make_error(ErrorCode::not_found, "Head does not exist");
  auto merged = impl_->is_ancestor(head_sha.value(), *base_sha);
  if (!merged) return merged.error();
  if (merged.value()) return std::optional<std::string>();

  auto tree =
      impl_->run({"merge-tree", "--write-tree", "--no-messages", *base_sha, head_sha.value()});
  if (!tree) return tree.error();
  if (tree->exit_code == 1) return make_error(ErrorCode::conflict, "Merge conflict");
  if (tree->exit_code != 0) {
    const auto why = trim_trailing_newlines(tree->err);
    return make_error(why.find("unrelated histories") != std::string::npos ? ErrorCode::conflict
                                                                           : ErrorCode::internal,
                      "git merge-tree: " + why);
  }
  const auto text = message.empty() ? fmt::format("Merge {} into {}", head, base) : message;
  auto commit =
      impl_->run_ok({"commit-tree", first_line(tree->out), "-p", *base_sha, "-p", head_sha.value()},
                    ErrorCode::internal, text + "\n", impl_->commit_identity());
  if (!commit) return commit.error();
  const auto sha = trim_trailing_newlines(commit.value());
  auto moved = impl_->run_ok({"update-ref", base_ref, sha, *base_sha}, ErrorCode::conflict);
  if (!moved) return moved.error();
  return std::optional<std::string>(sha);
}

Result<GitOrigin::CgiResponse> GitOrigin::serve_smart_http(const CgiRequest& request) {
  const auto& path = request.path_info;
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";
  const bool advertisement = path == "/info/refs" || path == "/HEAD";
  const bool service = path == "/git-upload-pack" || path == "/git-receive-pack";
  if (!advertisement && !service) return plain_response(404, "Not Found\n");
  if ((advertisement && !get) || (service && !post)) {
    return plain_response(405, "Method Not Allowed\n");
  }
  const bool receive =
      path == "/git-receive-pack" ||
      (path == "/info/refs" && request.query.find("service=git-receive-pack") != std::string::npos);
  if (receive && request.remote_user.empty()) {
    auto response = plain_response(401, "Authentication required to push\n");
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"GitHub\"");
    return response;
  }
  if (request.body.size() > kCgiRequestBytesMax) {
    return plain_response(413, "Request Entity Too Large\n");
  }

  const ProgramRun cgi = impl_->cgi_run(request);
  // What a push moved: the refs before and after it, under the lock. Simpler than a
  // post-receive hook writing to a file (no script, no file to share with git), and it
  // sees every ref however receive-pack moved it.
  const bool push = receive && post;
  std::vector<RefUpdate> updates;
  std::function<void(const std::vector<RefUpdate>&)> listener;
  Result<ProgramOutput> output = make_error(ErrorCode::internal, "not run");
  {
    std::lock_guard lock(impl_->mutex);
    std::map<std::string, std::string> before;
    if (push) {
      auto refs = impl_->raw_refs();
      if (!refs) return refs.error();
      before = std::move(refs.value());
    }
    output = run_program(cgi);
    if (push) {
      auto after = impl_->raw_refs();
      if (!after) return after.error();
      updates = ref_updates(before, after.value());
      listener = impl_->listener;
    }
  }
  // Refs that moved are reported even when the CGI then failed: they did move.
  if (!updates.empty() && listener) listener(updates);
  if (!output) return output.error().context("git http-backend");
  auto response = parse_cgi_output(output->out);
  if (!response) {
    return make_error(ErrorCode::internal,
                      fmt::format("{} (exit {}): {}", response.error().message, output->exit_code,
                                  trim_trailing_newlines(output->err)));
  }
  return response;
}

void GitOrigin::on_push(std::function<void(const std::vector<RefUpdate>&)> listener) {
  std::lock_guard lock(impl_->mutex);
  impl_->listener = std::move(listener);
}

}  // namespace mepsim::fakes::github
