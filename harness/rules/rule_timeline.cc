#include "harness/rules/rule_timeline.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace mepsim::rules {
namespace {

const std::string* find_field(const Event& e, std::string_view key) {
  for (const auto& f : e.fields) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

// type_data of an app event (`event.restart`, `event.run`): a JSON object, or null when
// it is not one.
nlohmann::json type_data(const Event& e) {
  auto json = nlohmann::json::parse(e.field("type_data"), nullptr, false);
  return json.is_object() ? json : nlohmann::json();
}

bool is_final_status(const std::string& status) {
  return status == "success" || status == "build-error" || status == "crashed-error" ||
         status == "timeout-error" || status == "hook-error" || status == "aborted";
}

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto space = std::min(text.find(' ', pos), text.size());
    if (space > pos) words.insert(text.substr(pos, space - pos));
    pos = space + 1;
  }
  return words;
}

}  // namespace

RuleTimeline::RuleTimeline(const std::vector<Event>& events) {
  for (const auto& e : events) {
    if (e.component == "platform") {
      add_platform(e);
    } else if (e.component == "github") {
      add_github(e);
    } else if (e.component == "ci" && (e.name == "ci.started" || e.name == "ci.finished")) {
      const bool started = e.name == "ci.started";
      const std::string state = started                          ? "pending"
                                : e.field("result") == "success" ? "success"
                                                                 : "failure";
      statuses_[e.field("sha")].push_back({kCiContext, state, e.seq});
    } else if (e.component == "mattermost" && e.name == "mattermost.message") {
      messages.push_back({{e.at, e.seq}, e.field("text")});
    } else if (e.component == "sentry" && e.name == "sentry.issue.created") {
      sentry_issues.push_back({{e.at, e.seq},
                               e.field("project"),
                               e.field("issue"),
                               e.field("title"),
                               e.field("release")});
    }
  }
}

void RuleTimeline::add_platform(const Event& e) {
  const std::string& app = e.field("app");
  if (e.name == "deployment.status") return add_deployment_status(e);
  if (e.name == "app.created") {
    if (!e.field("parent").empty()) review_apps.insert(app);
  } else if (e.name == "app.destroyed") {
    destroyed_apps[app] = e.seq;
  } else if (e.name == "app.booted") {
    DeploymentRecord boot;
    boot.app = app;
    boot.git_ref = e.field("git_ref");
    boot.sha = e.field("sha");
    boot.status = "success";
    boot.version = e.field("version");
    boot.queued_at = e.at;
    boot.finished_at = e.at;
    boot.queued_seq = boot.finished_seq = e.seq;
    boots[app] = boot;
    effects.push_back({app, e.at, e.seq, e.seq, "boot"});
  } else if (e.name == "container.started") {
    if (e.field("container").starts_with("web-")) web_started_[app][e.field("version")] = e.seq;
  } else if (e.name == "event.restart") {
    std::vector<std::string> scope;
    const auto data = type_data(e);
    if (data.contains("scope") && data["scope"].is_array()) {
      for (const auto& s : data["scope"]) {
        if (s.is_string()) scope.push_back(s.get<std::string>());
      }
    }
    pending_restarts_[app] = {e.seq, std::move(scope)};
  } else if (e.name == "operation.finished" && e.field("type") == "restart") {
    // One operation at a time per app (the platform refuses a second): this finish is
    // the pending restart's.
    const auto pending = pending_restarts_.find(app);
    if (pending == pending_restarts_.end()) return;
    const auto& [restart_seq, scope] = pending->second;
    const bool web = scope.empty() || std::find(scope.begin(), scope.end(), "web") != scope.end();
    if (e.field("status") == "done" && web) {
      effects.push_back({app, e.at, e.seq, restart_seq, "restart"});
    }
    pending_restarts_.erase(pending);
  } else if (e.name == "variable.changed") {
    const std::string* value = find_field(e, "value");
    variable_changes.push_back({app, e.field("name"), e.field("action"),
                                value ? std::optional(*value) : std::nullopt, e.at, e.seq});
  } else if (e.name == "event.run") {
    const auto data = type_data(e);
    if (data.contains("command") && data["command"].is_string()) {
      runs.push_back({{e.at, e.seq}, app, data["command"].get<std::string>()});
    }
  }
}

void RuleTimeline::add_deployment_status(const Event& e) {
  const std::string& app = e.field("app");
  const std::string& status = e.field("status");
  if (status == "queued") {
    DeploymentRecord d;
    d.app = app;
    d.id = e.field("deployment");
    d.git_ref = e.field("git_ref");
    d.sha = e.field("sha");
    if (const auto* branches = find_field(e, "branches")) d.branches = split_words(*branches);
    d.queued_at = e.at;
    d.queued_seq = e.seq;
    deployments.push_back(std::move(d));
    return;
  }
  const auto found = std::find_if(
      deployments.rbegin(), deployments.rend(),
      [&](const DeploymentRecord& d) { return d.id == e.field("deployment") && d.app == app; });
  if (found == deployments.rend()) return;  // queued before the retained timeline
  found->status = status;
  if (!e.field("version").empty()) found->version = e.field("version");
  if (!is_final_status(status)) return;
  found->finished_at = e.at;
  found->finished_seq = e.seq;
  if (status != "success") return;
  // The new containers carry the variables of the moment they started.
  const auto& started = web_started_[app];
  const auto web = started.find(found->version);
  effects.push_back({app, e.at, e.seq, web != started.end() ? web->second : e.seq, "deployment"});
}

void RuleTimeline::add_github(const Event& e) {
  if (e.name == "github.status") {
    statuses_[e.field("sha")].push_back({e.field("context"), e.field("state"), e.seq});
  } else if (e.name == "github.push") {
    last_push_seq_[e.field("ref")] = e.seq;
  } else if (e.name == "github.tag.seeded" || e.name == "github.tag.created") {
    tags.push_back(
        {e.field("tag"), e.field("sha"), e.at, e.seq, e.name == "github.tag.seeded", std::nullopt});
  } else if (e.name == "github.tag.deleted" || e.name == "github.tag.moved") {
    for (auto& tag : tags) {
      if (tag.tag != e.field("tag") || tag.deleted_seq) continue;
      if (e.name == "github.tag.moved") {
        tag.sha = e.field("sha");
      } else {
        tag.deleted_seq = e.seq;
      }
    }
  } else if (e.name == "github.pull_request.merged" && e.field("implicit") == "true") {
    ImplicitMergeRecord merge{{e.at, e.seq},   e.field("number"),   e.field("head"),
                              e.field("base"), e.field("head_sha"), e.field("pushed_ref")};
    const auto push = last_push_seq_.find(merge.pushed_ref);
    if (push != last_push_seq_.end()) merge.push_seq = push->second;
    implicit_merges.push_back(std::move(merge));
  } else if (e.name == "github.release.created" || e.name == "github.release.edited") {
    add_release(e);
  } else if (e.name == "github.milestone.created" || e.name == "github.milestone.edited") {
    milestones.insert(e.field("title"));
  } else if (e.name.starts_with("github.issue.")) {
    issues[e.field("number")] = {e.field("milestone"), e.field("state")};
  }
}

void RuleTimeline::add_release(const Event& e) {
  ReleaseRecord r{e.field("id"),
                  e.field("tag"),
                  e.field("sha"),
                  e.field("name"),
                  e.field("body"),
                  e.field("draft") == "true",
                  e.at,
                  e.seq};
  for (auto& known : releases) {
    if (known.id == r.id) {
      known = std::move(r);
      return;
    }
  }
  releases.push_back(std::move(r));
}

std::string RuleTimeline::combined_state(const std::string& sha, std::uint64_t before_seq) const {
  const auto found = statuses_.find(sha);
  if (found == statuses_.end()) return "pending";
  std::map<std::string, std::string> latest;  // context → its newest state
  for (const auto& s : found->second) {
    if (s.seq < before_seq) latest[s.context] = s.state;
  }
  if (latest.empty()) return "pending";
  bool pending = false;
  for (const auto& [context, state] : latest) {
    if (state == "failure" || state == "error") return "failure";
    if (state == "pending") pending = true;
  }
  return pending ? "pending" : "success";
}

std::uint64_t RuleTimeline::last_status_seq(const std::string& sha,
                                            std::uint64_t before_seq) const {
  const auto found = statuses_.find(sha);
  std::uint64_t last = 0;
  if (found == statuses_.end()) return last;
  for (const auto& s : found->second) {
    if (s.seq < before_seq) last = s.seq;
  }
  return last;
}

std::optional<std::string> RuleTimeline::value_before(const std::string& app,
                                                      const std::string& name,
                                                      std::uint64_t seq) const {
  std::optional<std::string> value;
  for (const auto& c : variable_changes) {
    if (c.seq >= seq) break;
    if (c.app != app || c.name != name) continue;
    value = c.action == "deleted" ? std::nullopt : c.value;
  }
  return value;
}

std::vector<std::string> RuleTimeline::semver_tags_before(std::uint64_t seq,
                                                          const std::string& tag) const {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    if (t.seq >= seq || t.tag == tag || (t.deleted_seq && *t.deleted_seq < seq)) continue;
    if (strict_semver(t.tag)) out.push_back(t.tag);
  }
  return out;
}

std::optional<std::vector<long>> strict_semver(const std::string& text) {
  std::vector<long> parts;
  std::size_t pos = 0;
  while (parts.size() < 3) {
    const auto dot = std::min(text.find('.', pos), text.size());
    const std::string_view part(text.data() + pos, dot - pos);
    if (part.empty() || part.size() > 9 || (part.size() > 1 && part.front() == '0')) {
      return std::nullopt;
    }
    long value = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc{} || end != part.data() + part.size()) return std::nullopt;
    parts.push_back(value);
    pos = dot + 1;
    if ((parts.size() < 3) != (dot < text.size())) return std::nullopt;
  }
  return parts;
}

std::optional<long> major_of(const std::string& version) {
  std::string_view text = version;
  if (text.starts_with('v') || text.starts_with('V')) text.remove_prefix(1);
  long major = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), major);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  if (end != text.data() + text.size() && *end != '.') return std::nullopt;
  return major;
}

std::string previous_semver(const std::vector<std::string>& tags, const std::string& version) {
  const auto target = strict_semver(version);
  if (!target) return "";
  std::optional<std::vector<long>> best;
  std::string best_tag;
  for (const auto& tag : tags) {
    const auto parts = strict_semver(tag);
    if (!parts || !(*parts < *target)) continue;
    if (!best || *best < *parts) {
      best = parts;
      best_tag = tag;
    }
  }
  return best_tag;
}

bool mentions_version(const std::string& text, const std::string& version) {
  if (version.empty()) return false;
  const auto digit = [&](std::size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  };
  for (auto pos = text.find(version); pos != std::string::npos; pos = text.find(version, pos + 1)) {
    const auto end = pos + version.size();
    // Not "11.7.4" nor "2.1.7.4" before, not "1.7.45" nor "1.7.4.1" after.
    const bool glued_before =
        pos > 0 && (digit(pos - 1) || (text[pos - 1] == '.' && pos > 1 && digit(pos - 2)));
    const bool glued_after =
        digit(end) || (end < text.size() && text[end] == '.' && digit(end + 1));
    if (!glued_before && !glued_after) return true;
  }
  return false;
}

std::string short_sha(const std::string& sha) {
  return sha.size() > 12 ? sha.substr(0, 12) : sha;
}

}  // namespace mepsim::rules
