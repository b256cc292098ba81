// R4 (semver tag), R5 (release note), R6 (announce): the rules about the release's tag,
// its note, and what the team does with the note.

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "harness/rules/rule_timeline.h"

namespace mepsim::rules {
namespace {

bool deployed_to_production(const RuleTimeline& t, const RuleOptions& o, const std::string& sha) {
  const auto boot = t.boots.find(o.production_app);
  if (boot != t.boots.end() && !sha.empty() && boot->second.sha == sha) return true;
  return std::any_of(t.deployments.begin(), t.deployments.end(), [&](const DeploymentRecord& d) {
    return d.app == o.production_app && d.success() && !sha.empty() && d.sha == sha;
  });
}

void check_tag(const RuleTimeline& t, const RuleOptions& o, const TagRecord& tag,
               std::vector<Violation>& out) {
  const std::vector<Field> evidence = {{"tag", tag.tag}, {"sha", tag.sha}};
  const auto version = strict_semver(tag.tag);
  if (!version) {
    out.push_back({"R4-semver-tag",
                   tag.at,
                   fmt::format("tag {} is not MAJOR.MINOR.PATCH", tag.tag),
                   evidence,
                   {tag.seq}});
    return;
  }
  std::optional<std::vector<long>> highest;
  std::string highest_tag;
  for (const auto& other : t.semver_tags_before(tag.seq, tag.tag)) {
    const auto parts = strict_semver(other);
    if (!highest || *highest < *parts) {
      highest = parts;
      highest_tag = other;
    }
  }
  if (highest && !(*highest < *version)) {
    auto more = evidence;
    more.push_back({"previous_tag", highest_tag});
    out.push_back(
        {"R4-semver-tag",
         tag.at,
         fmt::format("tag {} is not greater than the previous tag {}", tag.tag, highest_tag),
         std::move(more),
         {tag.seq}});
  }
  if (o.final && !deployed_to_production(t, o, tag.sha)) {
    out.push_back({"R4-semver-tag",
                   tag.at,
                   fmt::format("tag {} is on {}, which was never deployed to {}", tag.tag,
                               short_sha(tag.sha), o.production_app),
                   evidence,
                   {tag.seq}});
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    std::string line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.push_back(std::move(line));
    pos = end + 1;
  }
  return lines;
}

// What keeps `body` from following the team's template (PROCEDURE.md "Release note").
std::vector<std::string> template_problems(const std::string& body, const std::string& tag,
                                           const std::string& previous) {
  std::vector<std::string> problems;
  const auto lines = lines_of(body);
  const auto first =
      std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return !l.empty(); });
  static const std::regex kTitle(R"(# :rocket: +(\S+) \((\d{4})-(\d{2})-(\d{2})\))");
  std::smatch title;
  if (first == lines.end() || !std::regex_match(*first, title, kTitle)) {
    problems.push_back("the first line is not \"# :rocket:  " + tag + " (YYYY-MM-DD)\"");
  } else if (title[1] != tag) {
    problems.push_back("the title names " + title[1].str() + ", not " + tag);
  }
  const auto index = [&](const std::string& wanted) {
    return std::find(lines.begin(), lines.end(), wanted) - lines.begin();
  };
  const auto features = index("## Features"), fixes = index("## Bug fixes");
  const auto none = static_cast<std::ptrdiff_t>(lines.size());
  if (features == none) problems.push_back("no \"## Features\" section");
  if (fixes == none) problems.push_back("no \"## Bug fixes\" section");
  if (features != none && fixes != none && fixes < features) {
    problems.push_back("\"## Bug fixes\" comes before \"## Features\"");
  }
  const auto changelog = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.starts_with("**Full Changelog**:");
  });
  const std::string wanted =
      previous.empty() ? "/commits/" + tag : "/compare/" + previous + "..." + tag;
  if (changelog == lines.end()) {
    problems.push_back("no \"**Full Changelog**:\" line");
  } else if (!changelog->ends_with(wanted) &&
             !(previous.empty() && changelog->ends_with("..." + tag))) {
    problems.push_back("the Full Changelog link does not end with " + wanted);
  }
  return problems;
}

void check_note(const RuleTimeline& t, const ReleaseRecord& r, std::vector<Violation>& out) {
  const std::string previous = previous_semver(t.semver_tags_before(r.seq, r.tag), r.tag);
  const auto problems = template_problems(r.body, r.tag, previous);
  if (problems.empty()) return;
  std::string joined;
  for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  out.push_back(
      {"R5-release-note",
       r.at,
       fmt::format("the release note of {} does not follow the template: {}", r.tag, joined),
       {{"tag", r.tag}, {"release", r.id}, {"previous_tag", previous}, {"problems", joined}},
       {r.seq}});
}

bool has_release(const RuleTimeline& t, const DeploymentRecord& d) {
  return std::any_of(t.releases.begin(), t.releases.end(), [&](const ReleaseRecord& r) {
    if (r.draft) return false;
    if (r.tag == d.version || (!d.sha.empty() && r.sha == d.sha)) return true;
    return std::any_of(t.tags.begin(), t.tags.end(), [&](const TagRecord& tag) {
      return tag.tag == r.tag && !d.sha.empty() && tag.sha == d.sha;
    });
  });
}

// Final: every version production went live with (a success whose version differs from
// the one serving before) has a GitHub release, by tag name or by commit.
void check_releases_published(const RuleTimeline& t, const RuleOptions& o,
                              std::vector<Violation>& out) {
  std::vector<const DeploymentRecord*> live;
  for (const auto& d : t.deployments) {
    if (d.app == o.production_app && d.success()) live.push_back(&d);
  }
  std::sort(live.begin(), live.end(),
            [](const auto* a, const auto* b) { return a->finished_seq < b->finished_seq; });
  const auto boot = t.boots.find(o.production_app);
  std::string serving = boot != t.boots.end() ? boot->second.version : "";
  for (const auto* d : live) {
    const std::string before = std::exchange(serving, d->version);
    if (d->version == before || has_release(t, *d)) continue;
    out.push_back({"R5-release-note",
                   *d->finished_at,
                   fmt::format("{} went live with {} (from {}) and no GitHub release names it",
                               d->app, d->version, before),
                   {{"app", d->app},
                    {"version", d->version},
                    {"previous_version", before},
                    {"sha", d->sha},
                    {"deployment", d->id}},
                   {d->finished_seq}});
  }
}

void check_announce(const RuleTimeline& t, const ReleaseRecord& r, std::vector<Violation>& out) {
  const std::string version = r.tag.starts_with('v') ? r.tag.substr(1) : r.tag;
  const std::string milestone = "v" + version;
  const std::vector<Field> evidence = {{"tag", r.tag}, {"milestone", milestone}};
  const bool posted = std::any_of(t.messages.begin(), t.messages.end(),
                                  [&](const auto& m) { return mentions_version(m.text, version); });
  if (!posted) {
    out.push_back({"R6-announce",
                   r.at,
                   fmt::format("release {} was not posted to Mattermost", r.tag),
                   evidence,
                   {r.seq}});
  }
  if (!t.milestones.contains(milestone)) {
    out.push_back({"R6-announce",
                   r.at,
                   fmt::format("no milestone {} for release {}", milestone, r.tag),
                   evidence,
                   {r.seq}});
    return;
  }
  std::string open;
  for (const auto& [number, issue] : t.issues) {
    if (issue.first == milestone && issue.second == "open")
      open += (open.empty() ? "#" : ", #") + number;
  }
  if (open.empty()) return;
  auto more = evidence;
  more.push_back({"open_issues", open});
  out.push_back({"R6-announce",
                 r.at,
                 fmt::format("milestone {} still has open issues: {}", milestone, open),
                 std::move(more),
                 {r.seq}});
}

}  // namespace

void check_release_rules(const RuleTimeline& t, const RuleOptions& o, std::vector<Violation>& out) {
  for (const auto& tag : t.tags) {
    if (!tag.seeded) check_tag(t, o, tag, out);
  }
  for (const auto& r : t.releases) {
    if (r.draft) continue;
    check_note(t, r, out);
    if (o.final) check_announce(t, r, out);
  }
  if (o.final) check_releases_published(t, o, out);
}

}  // namespace mepsim::rules
