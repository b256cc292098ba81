// Releases (create, update, list, get by id, by tag, latest) and generate-notes, whose
// body follows the team's template (release_notes.h). A release of a tag that does not
// exist yet creates the tag at `target_commitish`, as GitHub does.

#include <algorithm>

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"
#include "fakes/github/release_notes.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

struct Notes {
  std::string name, body;
};

// The latest tag before `tag_name` reachable from `end`: highest MAJOR.MINOR.PATCH below
// the new one when it is a version, else none.
std::optional<std::string> previous_tag(GitHubContext& ctx, const std::string& tag_name,
                                        const std::string& end) {
  const auto tags = ctx.origin.tags();
  const auto version = semver_parts(tag_name);
  if (!tags || !version) return std::nullopt;
  std::optional<std::pair<std::vector<long>, std::string>> best;
  for (const auto& [name, sha] : *tags) {
    const auto parts = semver_parts(name);
    if (name == tag_name || !parts || !(*parts < *version)) continue;
    const auto reachable = ctx.origin.is_ancestor(sha, end);
    if (!reachable || !*reachable) continue;
    if (!best || best->first < *parts) best = std::make_pair(*parts, name);
  }
  if (!best) return std::nullopt;
  return best->second;
}

// The notes for `tag_name`, or nullopt after answering why not.
std::optional<Notes> generate_notes(GitHubContext& ctx, Txn& txn, FakeExchange& ex,
                                    const std::string& tag_name,
                                    const std::optional<std::string>& target,
                                    std::optional<std::string> previous) {
  const auto tags = ctx.origin.tags();
  std::optional<std::string> end;
  if (tags && tags->contains(tag_name)) end = tags->at(tag_name);
  if (!end) {
    auto resolved = ctx.origin.resolve(target.value_or(ctx.origin.default_branch()));
    if (!resolved) {
      reply_validation(ex, "Release", "target_commitish", "invalid");
      return std::nullopt;
    }
    end = *resolved;
  }
  if (previous && (!tags || !tags->contains(*previous))) {
    reply_validation(ex, "Release", "previous_tag_name", "invalid");
    return std::nullopt;
  }
  if (!previous) previous = previous_tag(ctx, tag_name, *end);
  const std::optional<std::string> previous_sha =
      previous ? std::optional(tags->at(*previous)) : std::nullopt;
  std::vector<NotePull> pulls;
  for (const auto& [number, pull] : txn.model.pulls) {
    if (!pull.merged) continue;
    const auto in_end = ctx.origin.is_ancestor(pull.head_sha, *end);
    if (!in_end || !*in_end) continue;
    if (previous_sha) {
      const auto in_previous = ctx.origin.is_ancestor(pull.head_sha, *previous_sha);
      if (!in_previous || *in_previous) continue;
    }
    pulls.push_back({pull.number, pull.title, pull.labels});
  }
  const std::string date = github_time(ctx.now()).substr(0, 10);
  return Notes{tag_name,
               release_notes_body(ctx.owner(), ctx.repo(), tag_name, previous, date, pulls)};
}

void post_generate_notes(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto tag_name = reader.string("tag_name", Presence::required);
  const auto target = reader.string("target_commitish", Presence::optional);
  const auto previous = reader.string("previous_tag_name", Presence::optional);
  reader.ignore("configuration_file_path", ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  const auto notes = generate_notes(ctx, txn, ex, *tag_name, target, previous);
  if (!notes) return;
  reply_json(ex, 200, {{"name", notes->name}, {"body", notes->body}});
}

// The body reaches the timeline for rule R5; a note is a page at most, so a longer body
// is cut (and says so in `body_bytes`).
constexpr std::size_t kReleaseBodyEventBytesMax = 16 * 1024;

void publish_release(GitHubContext& ctx, Txn& txn, const Release& release, const std::string& sha,
                     const std::string& event) {
  ctx.publish(txn, "github", "github.release." + event,
              {{"id", std::to_string(release.id)},
               {"tag", release.tag_name},
               {"sha", sha},
               {"name", release.name},
               {"body", cut_utf8(release.body, kReleaseBodyEventBytesMax)},
               {"body_bytes", std::to_string(release.body.size())},
               {"draft", release.draft ? "true" : "false"},
               {"prerelease", release.prerelease ? "true" : "false"}});
  ctx.emit_webhook(txn, "release", {{"action", event}, {"release", release_json(ctx, release)}});
}

void create_release(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto tag_name = reader.string("tag_name", Presence::required);
  const auto target = reader.string("target_commitish", Presence::optional);
  const auto name = reader.string("name", Presence::optional);
  const auto text = reader.string("body", Presence::optional);
  const bool draft = reader.boolean("draft", Presence::optional).value_or(false);
  const bool prerelease = reader.boolean("prerelease", Presence::optional).value_or(false);
  const bool generate =
      reader.boolean("generate_release_notes", Presence::optional).value_or(false);
  for (const char* key : {"make_latest", "discussion_category_name"}) reader.ignore(key, ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  for (const auto& other : txn.model.releases) {
    if (other.tag_name == *tag_name) {
      return reply_validation(ex, "Release", "tag_name", "already_exists");
    }
  }
  if (txn.model.releases.size() >= ctx.options.releases_max) {
    return reply_validation(ex, "Release", "", "custom", "Too many releases");
  }
  Release release;
  release.tag_name = *tag_name;
  release.target_commitish = target.value_or(ctx.origin.default_branch());
  release.name = name.value_or("");
  release.body = text.value_or("");
  if (generate && release.body.empty()) {
    const auto notes = generate_notes(ctx, txn, ex, *tag_name, target, std::nullopt);
    if (!notes) return;
    release.body = notes->body;
    if (release.name.empty()) release.name = notes->name;
  }
  const std::string tag_ref = "refs/tags/" + *tag_name;
  auto sha = ctx.origin.resolve(tag_ref);
  if (!sha) {
    sha = ctx.origin.resolve(release.target_commitish);
    if (!sha) return reply_validation(ex, "Release", "target_commitish", "invalid");
    if (!draft) {
      if (auto created = ctx.origin.create_ref(tag_ref, *sha); !created) {
        ex.notes.push_back(created.error().message);
        return reply_validation(ex, "Release", "tag_name", "invalid");
      }
      ctx.refs_moved(txn, {{tag_ref, std::string(kZeroSha), *sha}}, std::string(kTokenUser));
    }
  }
  release.id = ctx.next_id(txn);
  release.draft = draft;
  release.prerelease = prerelease;
  release.author = std::string(kTokenUser);
  release.created_at = ctx.now();
  if (!draft) release.published_at = release.created_at;
  txn.model.releases.push_back(release);
  publish_release(ctx, txn, release, *sha, "created");
  reply_json(ex, 201, release_json(ctx, release));
}

Release* find_release(Txn& txn, FakeExchange& ex,
                      const std::function<bool(const Release&)>& match) {
  for (auto it = txn.model.releases.rbegin(); it != txn.model.releases.rend(); ++it) {
    if (match(*it)) return &*it;
  }
  reply_message(ex, 404, "Not Found");
  return nullptr;
}

void update_release(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto id = path_number(ex, 3);
  if (!id) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto name = reader.string("name", Presence::optional);
  const auto text = reader.string("body", Presence::optional);
  const auto draft = reader.boolean("draft", Presence::optional);
  const auto prerelease = reader.boolean("prerelease", Presence::optional);
  for (const char* key : {"tag_name", "target_commitish", "make_latest"}) {
    reader.ignore(key, ex.notes);
  }
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  Txn txn(ctx);
  auto* release = find_release(
      txn, ex, [&](const Release& r) { return r.id == static_cast<std::uint64_t>(*id); });
  if (release == nullptr) return;
  if (name) release->name = *name;
  if (text) release->body = *text;
  if (prerelease) release->prerelease = *prerelease;
  if (draft) {
    release->draft = *draft;
    if (!*draft && !release->published_at) release->published_at = ctx.now();
  }
  const auto sha = ctx.origin.resolve("refs/tags/" + release->tag_name);
  publish_release(ctx, txn, *release, sha ? *sha : "", "edited");
  reply_json(ex, 200, release_json(ctx, *release));
}

void list_releases(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  std::vector<json> items;
  Txn txn(ctx);
  for (auto it = txn.model.releases.rbegin(); it != txn.model.releases.rend(); ++it) {
    items.push_back(release_json(ctx, *it));
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

void get_release_by_tag(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const std::string tag = ex.param(3);
  Txn txn(ctx);
  if (auto* release = find_release(txn, ex, [&](const Release& r) { return r.tag_name == tag; })) {
    reply_json(ex, 200, release_json(ctx, *release));
  }
}

void get_latest_release(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  Txn txn(ctx);
  if (auto* release =
          find_release(txn, ex, [](const Release& r) { return !r.draft && !r.prerelease; })) {
    reply_json(ex, 200, release_json(ctx, *release));
  }
}

void get_release(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto id = path_number(ex, 3);
  if (!id) return;
  Txn txn(ctx);
  if (auto* release = find_release(
          txn, ex, [&](const Release& r) { return r.id == static_cast<std::uint64_t>(*id); })) {
    reply_json(ex, 200, release_json(ctx, *release));
  }
}

}  // namespace

std::vector<GitHubRoute> release_routes() {
  const std::string releases = std::string(kRepoPattern) + "/releases";
  return {
      {"POST", releases, "repos.createRelease", Access::token, create_release},
      {"GET", releases, "repos.listReleases", Access::token, list_releases},
      {"POST", releases + "/generate-notes", "repos.generateReleaseNotes", Access::token,
       post_generate_notes},
      {"GET", releases + "/latest", "repos.getLatestRelease", Access::token, get_latest_release},
      {"GET", releases + "/tags/(.+)", "repos.getReleaseByTag", Access::token, get_release_by_tag},
      {"GET", releases + "/([0-9]+)", "repos.getRelease", Access::token, get_release},
      {"PATCH", releases + "/([0-9]+)", "repos.updateRelease", Access::token, update_release},
  };
}

}  // namespace mepsim::fakes::github
