#include "sim/platform/platform_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "sim/platform/release_manifest.h"
#include "sim/platform/yaml_reader.h"

namespace mepsim::platform {
namespace {

Result<void> parse_formation(const YamlReader& reader, const YAML::Node& list,
                             std::vector<ProcessType>& out) {
  if (!list.IsSequence()) return reader.error_at(list, "'formation' must be a list");
  for (const auto& item : list) {
    ProcessType type;
    auto read = reader.read_map(item, "a process type",
                                {{"name", reader.into(type.name, "name")},
                                 {"amount", reader.into(type.amount, "amount")},
                                 {"size", reader.into(type.size, "size")}},
                                {"name", "amount"});
    if (!read) return read.error();
    if (type.amount < 0 || type.amount > 50) {
      return reader.error_at(item, "'amount' must be 0-50");
    }
    out.push_back(std::move(type));
  }
  return {};
}

Result<void> parse_variables(const YamlReader& reader, const YAML::Node& map,
                             std::map<std::string, std::string>& out) {
  if (!map.IsMap()) return reader.error_at(map, "'variables' must be a map");
  for (const auto& field : map) {
    const auto name = field.first.as<std::string>();
    if (!is_variable_name(name)) {
      return reader.error_at(field.first, "'" + name + "' is not a variable name");
    }
    auto value = reader.read<std::string>(field.second, name);
    if (!value) return value.error();
    out[name] = value.value();
  }
  return {};
}

Result<void> parse_scm_link(const YamlReader& reader, const YAML::Node& node, ScmLink& link) {
  return reader.read_map(
      node, "'scm_link'",
      {{"owner", reader.into(link.owner, "owner")},
       {"repo", reader.into(link.repo, "repo")},
       {"branch", reader.into(link.branch, "branch")},
       {"auto_deploy_enabled", reader.into(link.auto_deploy_enabled, "auto_deploy_enabled")},
       {"deploy_review_apps_enabled",
        reader.into(link.deploy_review_apps_enabled, "deploy_review_apps_enabled")},
       {"delete_on_close_enabled",
        reader.into(link.delete_on_close_enabled, "delete_on_close_enabled")},
       {"hours_before_delete_on_close",
        reader.into(link.hours_before_delete_on_close, "hours_before_delete_on_close")}},
      {"owner", "repo", "branch"});
}

Result<void> parse_app(const YamlReader& reader, const YAML::Node& node, AppProfile& app) {
  return reader.read_map(
      node, "an app",
      {{"name", reader.into(app.name, "name")},
       {"initial_ref", reader.into(app.initial_ref, "initial_ref")},
       {"formation",
        [&](const YAML::Node& v) { return parse_formation(reader, v, app.formation); }},
       {"variables",
        [&](const YAML::Node& v) { return parse_variables(reader, v, app.variables); }},
       {"scm_link",
        [&](const YAML::Node& v) -> Result<void> {
          ScmLink link;
          if (auto read = parse_scm_link(reader, v, link); !read) return read.error();
          app.scm_link = link;
          return {};
        }}},
      {"name", "formation"});
}

Result<void> parse_durations(const YamlReader& reader, const YAML::Node& node, Durations& d) {
  auto read = reader.read_map(
      node, "'durations'",
      {{"build_s", reader.into(d.build_s, "build_s")},
       {"push_s", reader.into(d.push_s, "push_s")},
       {"hook_base_s", reader.into(d.hook_base_s, "hook_base_s")},
       {"hook_per_migration_s", reader.into(d.hook_per_migration_s, "hook_per_migration_s")},
       {"start_timeout_s", reader.into(d.start_timeout_s, "start_timeout_s")},
       {"one_off_boot_s", reader.into(d.one_off_boot_s, "one_off_boot_s")},
       {"one_off_command_s", reader.into(d.one_off_command_s, "one_off_command_s")},
       {"jitter", reader.into(d.jitter, "jitter")}});
  if (!read) return read;
  for (double v : {d.build_s, d.push_s, d.hook_base_s, d.hook_per_migration_s, d.start_timeout_s,
                   d.one_off_boot_s, d.one_off_command_s}) {
    if (v < 0) return reader.error_at(node, "durations must be >= 0");
  }
  if (d.jitter < 0 || d.jitter >= 1) return reader.error_at(node, "'jitter' must be in [0, 1)");
  return {};
}

// ---- the geocoding fake's addresses ----------------------------------------------------

bool all_digits(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

Result<void> parse_address(const YamlReader& reader, const YAML::Node& node, AddressProfile& a) {
  auto read = reader.read_map(node, "an address",
                              {{"label", reader.into(a.label, "label")},
                               {"housenumber", reader.into(a.housenumber, "housenumber")},
                               {"street", reader.into(a.street, "street")},
                               {"postcode", reader.into(a.postcode, "postcode")},
                               {"citycode", reader.into(a.citycode, "citycode")},
                               {"city", reader.into(a.city, "city")},
                               {"context", reader.into(a.context, "context")},
                               {"lon", reader.into(a.lon, "lon")},
                               {"lat", reader.into(a.lat, "lat")}},
                              {"label", "street", "postcode", "citycode", "city", "lon", "lat"});
  if (!read) return read;
  if (a.postcode.size() != 5 || !all_digits(a.postcode)) {
    return reader.error_at(node["postcode"], "'postcode' must be 5 digits");
  }
  if (a.citycode.size() != 5) {
    return reader.error_at(node["citycode"], "'citycode' must be 5 characters (INSEE code)");
  }
  if (a.lon < -180 || a.lon > 180) return reader.error_at(node["lon"], "'lon' must be -180-180");
  if (a.lat < -90 || a.lat > 90) return reader.error_at(node["lat"], "'lat' must be -90-90");
  if (a.label.empty() || a.street.empty() || a.city.empty()) {
    return reader.error_at(node, "'label', 'street' and 'city' must not be empty");
  }
  return {};
}

Result<void> parse_addresses(const YamlReader& reader, const YAML::Node& list,
                             std::vector<AddressProfile>& out) {
  if (!list.IsSequence()) return reader.error_at(list, "'addresses' must be a list");
  for (const auto& item : list) {
    AddressProfile address;
    if (auto parsed = parse_address(reader, item, address); !parsed) return parsed;
    for (const auto& other : out) {
      if (other.label == address.label) {
        return reader.error_at(item, "duplicate address " + address.label);
      }
    }
    out.push_back(std::move(address));
  }
  return {};
}

// ---- the repository ------------------------------------------------------------------

// What git accepts as a branch or tag name, kept to a safe subset (no spaces, no
// revision syntax) so that a name never reads as an option or an expression.
bool is_ref_name(const std::string& name) {
  if (name.empty() || name.size() > 200) return false;
  if (name.front() == '-' || name.front() == '/' || name.front() == '.') return false;
  if (name.back() == '/' || name.back() == '.' || name.ends_with(".lock")) return false;
  if (name.find("..") != std::string::npos || name.find("//") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' || ch == '_' ||
           ch == '-' || ch == '/';
  });
}

// A relative path inside the work tree; app.yaml belongs to the manifest.
bool is_file_path(const std::string& path) {
  if (path.empty() || path.size() > 255 || path == "app.yaml") return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const auto part = std::string_view(path).substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || part == ".git") return false;
    start = end + 1;
  }
  return std::all_of(path.begin(), path.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' || ch == '_' ||
           ch == '-' || ch == '/';
  });
}

// "2025-12-01T09:00:00Z"
std::optional<Instant> parse_utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char zone = 0;
  if (text.size() != 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &zone) !=
          7 ||
      zone != 'Z') {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y},
                                         std::chrono::month{static_cast<unsigned>(mo)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0) return std::nullopt;
  return Instant{std::chrono::sys_days{date} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                 std::chrono::seconds{s}};
}

// "develop~2" → {"develop", 2}; nullopt when the part after '~' is not a small number.
std::optional<std::pair<std::string, int>> split_ancestry(const std::string& ref) {
  const auto tilde = ref.find('~');
  if (tilde == std::string::npos) return std::make_pair(ref, 0);
  const auto digits = ref.substr(tilde + 1);
  if (digits.empty() || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::nullopt;
  }
  return std::make_pair(ref.substr(0, tilde), std::stoi(digits));
}

Result<void> parse_manifest(const YamlReader& reader, const YAML::Node& node, std::string& out) {
  std::string text;
  if (node.IsMap()) {
    YAML::Emitter emitter;
    emitter << node;
    text = emitter.c_str();
  } else if (node.IsScalar()) {
    text = node.as<std::string>();
  } else {
    return reader.error_at(node, "'manifest' must be a map or a block of YAML text");
  }
  auto manifest = parse_release_manifest(text, "manifest");
  if (!manifest) return reader.error_at(node, "invalid manifest: " + manifest.error().message);
  out = to_yaml(manifest.value());
  return {};
}

Result<void> parse_commit(const YamlReader& reader, const YAML::Node& node,
                          RepositoryCommit& commit) {
  return reader.read_map(
      node, "a commit",
      {{"message", reader.into(commit.message, "message")},
       {"manifest",
        [&](const YAML::Node& v) { return parse_manifest(reader, v, commit.manifest_yaml); }},
       {"merge", reader.into(commit.merge, "merge")},
       {"files",
        [&](const YAML::Node& map) -> Result<void> {
          if (!map.IsMap()) return reader.error_at(map, "'files' must be a map of path: content");
          for (const auto& field : map) {
            const auto path = field.first.as<std::string>();
            if (!is_file_path(path)) {
              return reader.error_at(field.first, "'" + path + "' is not a relative file path");
            }
            auto content = reader.read<std::string>(field.second, path);
            if (!content) return content.error();
            commit.files[path] = content.value();
          }
          return {};
        }}},
      {"message"});
}

Result<void> parse_branch(const YamlReader& reader, const YAML::Node& node,
                          RepositoryBranch& branch) {
  return reader.read_map(node, "a branch",
                         {{"name", reader.into(branch.name, "name")},
                          {"from", reader.into(branch.from, "from")},
                          {"commits",
                           [&](const YAML::Node& list) -> Result<void> {
                             if (!list.IsSequence())
                               return reader.error_at(list, "'commits' must be a list");
                             for (const auto& item : list) {
                               RepositoryCommit commit;
                               if (auto read = parse_commit(reader, item, commit); !read)
                                 return read.error();
                               if (commit.message.empty())
                                 return reader.error_at(item, "'message' is empty");
                               branch.commits.push_back(std::move(commit));
                             }
                             return {};
                           }}},
                         {"name"});
}

Result<PullRequestState> pull_request_state(const std::string& text) {
  for (auto state : {PullRequestState::open, PullRequestState::merged, PullRequestState::closed}) {
    if (text == to_string(state)) return state;
  }
  return make_error(ErrorCode::invalid_input, "'state' must be open, merged or closed");
}

Result<void> parse_pull_request(const YamlReader& reader, const YAML::Node& node,
                                PullRequestProfile& pull) {
  return reader.read_map(node, "a pull request",
                         {{"number", reader.into(pull.number, "number")},
                          {"title", reader.into(pull.title, "title")},
                          {"head", reader.into(pull.head, "head")},
                          {"base", reader.into(pull.base, "base")},
                          {"body", reader.into(pull.body, "body")},
                          {"state",
                           [&](const YAML::Node& v) -> Result<void> {
                             auto text = reader.read<std::string>(v, "state");
                             if (!text) return text.error();
                             auto state = pull_request_state(text.value());
                             if (!state) return reader.error_at(v, state.error().message);
                             pull.state = state.value();
                             return {};
                           }},
                          {"labels",
                           [&](const YAML::Node& list) -> Result<void> {
                             if (!list.IsSequence())
                               return reader.error_at(list, "'labels' must be a list");
                             for (const auto& item : list) {
                               auto label = reader.read<std::string>(item, "a label");
                               if (!label) return label.error();
                               pull.labels.push_back(label.value());
                             }
                             return {};
                           }}},
                         {"number", "title", "head", "base"});
}

// The names a branch or tag refers to exist when it is created, and "~N" stays on the
// first-parent line: what the git origin can build, checked here with the places named.
class RepositoryChecker {
 public:
  RepositoryChecker(const YamlReader& reader, const RepositoryProfile& repo)
      : reader_(reader), repo_(repo) {}

  Result<void> check_branch(const YAML::Node& node, std::size_t index) {
    const auto& branch = repo_.branches[index];
    if (!is_ref_name(branch.name)) {
      return reader_.error_at(node["name"], "'" + branch.name + "' is not a branch name");
    }
    if (depth_.contains(branch.name)) {
      return reader_.error_at(node["name"], "duplicate branch " + branch.name);
    }
    int base_depth = 0;
    if (index == 0) {
      if (!branch.from.empty())
        return reader_.error_at(node["from"], "the first branch has no 'from'");
      if (branch.commits.empty() || branch.commits.front().manifest_yaml.empty()) {
        return reader_.error_at(node, "the first branch's first commit needs a 'manifest'");
      }
    } else {
      if (branch.from.empty()) return reader_.error_at(node, "a branch needs 'from'");
      auto depth = depth_of(branch.from);
      if (!depth) return reader_.error_at(node["from"], depth.error().message);
      base_depth = depth.value();
    }
    for (std::size_t i = 0; i < branch.commits.size(); ++i) {
      const auto& merge = branch.commits[i].merge;
      if (!merge.empty() && (!depth_.contains(merge) || merge == branch.name)) {
        return reader_.error_at(node["commits"][i]["merge"],
                                "'merge' must name an earlier branch, not " + merge);
      }
    }
    depth_[branch.name] = base_depth + static_cast<int>(branch.commits.size());
    return {};
  }

  Result<void> check_tag(const YAML::Node& node, const RepositoryTag& tag) {
    if (!is_ref_name(tag.name))
      return reader_.error_at(node["name"], "'" + tag.name + "' is not a tag name");
    if (depth_.contains(tag.name))
      return reader_.error_at(node["name"], tag.name + " is also a branch");
    for (const auto& other : repo_.tags) {
      if (&other != &tag && other.name == tag.name) {
        return reader_.error_at(node["name"], "duplicate tag " + tag.name);
      }
    }
    if (auto depth = depth_of_branch(tag.at); !depth)
      return reader_.error_at(node["at"], depth.error().message);
    return {};
  }

  Result<void> check_pull_request(const YAML::Node& node, const PullRequestProfile& pull) {
    if (pull.number <= 0) return reader_.error_at(node["number"], "'number' must be > 0");
    for (const auto& other : repo_.pull_requests) {
      if (&other != &pull && other.number == pull.number) {
        return reader_.error_at(node["number"],
                                "duplicate pull request #" + std::to_string(pull.number));
      }
    }
    for (const char* key : {"head", "base"}) {
      const auto& name = std::string(key) == "head" ? pull.head : pull.base;
      if (!depth_.contains(name)) return reader_.error_at(node[key], "no branch " + name);
    }
    if (pull.head == pull.base)
      return reader_.error_at(node["head"], "'head' and 'base' are the same branch");
    return {};
  }

  bool has_branch(const std::string& name) const { return depth_.contains(name); }

 private:
  // A branch (or "branch~N") known so far: the length of its first-parent line there.
  Result<int> depth_of_branch(const std::string& ref) const {
    const auto split = split_ancestry(ref);
    if (!split)
      return make_error(ErrorCode::invalid_input, "'" + ref + "' is not branch or branch~N");
    const auto found = depth_.find(split->first);
    if (found == depth_.end()) {
      return make_error(ErrorCode::invalid_input, "no earlier branch " + split->first);
    }
    if (split->second >= found->second) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{} has only {} commits", split->first, found->second));
    }
    return found->second - split->second;
  }

  // A branch or a tag on an earlier branch, either with "~N".
  Result<int> depth_of(const std::string& ref) const {
    const auto split = split_ancestry(ref);
    if (!split) return make_error(ErrorCode::invalid_input, "'" + ref + "' is not name or name~N");
    for (const auto& tag : repo_.tags) {
      if (tag.name != split->first) continue;
      auto at = depth_of_branch(tag.at);
      if (!at) return at.error().context("tag " + tag.name);
      if (split->second >= at.value()) {
        return make_error(ErrorCode::invalid_input, ref + " goes back past the first commit");
      }
      return at.value() - split->second;
    }
    return depth_of_branch(ref);
  }

  const YamlReader& reader_;
  const RepositoryProfile& repo_;
  std::map<std::string, int> depth_;  // branch → first-parent commits at its head
};

Result<void> parse_ci(const YamlReader& reader, const YAML::Node& node, CiProfile& ci) {
  auto read = reader.read_map(node, "'ci'",
                              {{"result", reader.into(ci.result, "result")},
                               {"duration_s", reader.into(ci.duration_s, "duration_s")}});
  if (!read) return read;
  if (ci.result != "success" && ci.result != "failure") {
    return reader.error_at(node["result"], "'result' must be success or failure");
  }
  if (ci.duration_s < 0) return reader.error_at(node["duration_s"], "'duration_s' must be >= 0");
  return {};
}

// Reads each item of `list` with `parse`, keeping the items' nodes for the checks.
template <typename T, typename Parse>
Result<void> parse_list(const YamlReader& reader, const YAML::Node& list, const std::string& key,
                        std::vector<T>& out, std::vector<YAML::Node>& nodes, Parse parse) {
  if (!list.IsSequence()) return reader.error_at(list, "'" + key + "' must be a list");
  for (const auto& item : list) {
    T value;
    if (auto read = parse(item, value); !read) return read.error();
    out.push_back(std::move(value));
    nodes.push_back(item);
  }
  return {};
}

Result<void> parse_repository(const YamlReader& reader, const YAML::Node& node,
                              RepositoryProfile& repo) {
  std::vector<YAML::Node> branch_nodes, tag_nodes, pull_nodes;
  auto read = reader.read_map(
      node, "'repository'",
      {{"owner", reader.into(repo.owner, "owner")},
       {"name", reader.into(repo.name, "name")},
       {"default_branch", reader.into(repo.default_branch, "default_branch")},
       {"epoch",
        [&](const YAML::Node& v) -> Result<void> {
          auto text = reader.read<std::string>(v, "epoch");
          if (!text) return text.error();
          const auto at = parse_utc(text.value());
          if (!at) return reader.error_at(v, "'epoch' must be like 2025-12-01T09:00:00Z");
          repo.epoch = *at;
          return {};
        }},
       {"ci", [&](const YAML::Node& v) { return parse_ci(reader, v, repo.ci); }},
       {"branches",
        [&](const YAML::Node& v) {
          return parse_list(
              reader, v, "branches", repo.branches, branch_nodes,
              [&](const YAML::Node& n, RepositoryBranch& b) { return parse_branch(reader, n, b); });
        }},
       {"tags",
        [&](const YAML::Node& v) {
          return parse_list(
              reader, v, "tags", repo.tags, tag_nodes, [&](const YAML::Node& n, RepositoryTag& t) {
                return reader.read_map(
                    n, "a tag",
                    {{"name", reader.into(t.name, "name")}, {"at", reader.into(t.at, "at")}},
                    {"name", "at"});
              });
        }},
       {"pull_requests",
        [&](const YAML::Node& v) {
          return parse_list(reader, v, "pull_requests", repo.pull_requests, pull_nodes,
                            [&](const YAML::Node& n, PullRequestProfile& p) {
                              return parse_pull_request(reader, n, p);
                            });
        }}},
      {"branches"});
  if (!read) return read;
  if (repo.branches.empty()) return reader.error_at(node["branches"], "'branches' is empty");
  RepositoryChecker checker(reader, repo);
  for (std::size_t i = 0; i < repo.branches.size(); ++i) {
    if (auto ok = checker.check_branch(branch_nodes[i], i); !ok) return ok;
  }
  for (std::size_t i = 0; i < repo.tags.size(); ++i) {
    if (auto ok = checker.check_tag(tag_nodes[i], repo.tags[i]); !ok) return ok;
  }
  for (std::size_t i = 0; i < repo.pull_requests.size(); ++i) {
    if (auto ok = checker.check_pull_request(pull_nodes[i], repo.pull_requests[i]); !ok) return ok;
  }
  if (!checker.has_branch(repo.default_branch)) {
    return reader.error_at(node, "'default_branch' " + repo.default_branch + " is not a branch");
  }
  return {};
}

}  // namespace

const char* to_string(PullRequestState state) {
  switch (state) {
    case PullRequestState::open:
      return "open";
    case PullRequestState::merged:
      return "merged";
    case PullRequestState::closed:
      return "closed";
  }
  return "open";
}

Result<PlatformProfile> parse_platform_profile(const std::string& yaml_text,
                                               const std::string& source_name) {
  const YamlReader reader(source_name);
  auto root = reader.load(yaml_text);
  if (!root) return root.error();
  PlatformProfile profile;
  auto read = reader.read_map(
      root.value(), "the profile",
      {{"name", reader.into(profile.name, "name")},
       {"region", reader.into(profile.region, "region")},
       {"user",
        [&](const YAML::Node& v) {
          return reader.read_map(v, "'user'",
                                 {{"id", reader.into(profile.user.id, "id")},
                                  {"username", reader.into(profile.user.username, "username")},
                                  {"email", reader.into(profile.user.email, "email")}});
        }},
       {"durations",
        [&](const YAML::Node& v) { return parse_durations(reader, v, profile.durations); }},
       {"repository",
        [&](const YAML::Node& v) -> Result<void> {
          RepositoryProfile repo;
          if (auto parsed = parse_repository(reader, v, repo); !parsed) return parsed.error();
          profile.repository = std::move(repo);
          return {};
        }},
       {"addresses",
        [&](const YAML::Node& v) { return parse_addresses(reader, v, profile.addresses); }},
       {"apps",
        [&](const YAML::Node& list) -> Result<void> {
          if (!list.IsSequence()) return reader.error_at(list, "'apps' must be a list");
          for (const auto& item : list) {
            AppProfile app;
            if (auto parsed = parse_app(reader, item, app); !parsed) return parsed.error();
            for (const auto& other : profile.apps) {
              if (other.name == app.name) return reader.error_at(item, "duplicate app " + app.name);
            }
            profile.apps.push_back(std::move(app));
          }
          return {};
        }}},
      {"apps"});
  if (!read) return read.error();
  return profile;
}

}  // namespace mepsim::platform
