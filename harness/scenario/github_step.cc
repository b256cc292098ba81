// `github: {<action>: …, expect_status: 422}`: what the procedure's engineer does through
// GitHub's REST API.

#include <fmt/format.h>

#include <climits>

#include "harness/scenario/step_parsers.h"
#include "harness/scenario/yaml_values.h"

namespace mepsim::scenario::steps {
namespace {

struct ActionDraft {
  GithubAction action;
  std::string description;
};

const auto kNumber = yaml::integer<int>(1, INT_MAX);

ActionDraft open_pr(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github open_pr");
  OpenPullRequest pr;
  map.get_required("head", pr.head, yaml::name);
  map.get_required("base", pr.base, yaml::name);
  map.get_required("title", pr.title, yaml::name);
  map.get("labels", pr.labels, yaml::text_list);
  auto description =
      fmt::format("github open PR {} → {} \"{}\"", pr.head, pr.base, shorten(pr.title, 40));
  return {std::move(pr), std::move(description)};
}

ActionDraft tag(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github tag");
  CreateTag tag;
  map.get_required("name", tag.name, yaml::name);
  map.get("ref", tag.ref, yaml::name);
  auto description = fmt::format("github tag {} on {}", tag.name, tag.ref);
  return {std::move(tag), std::move(description)};
}

ActionDraft release(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github release");
  CreateRelease release;
  map.get_required("tag", release.tag, yaml::name);
  map.get("previous_tag", release.previous_tag, yaml::name);
  std::optional<std::string> notes;
  if (map.get("notes", notes, yaml::name) && *notes != "generated") {
    release.generate_notes = false;
    release.body = std::move(notes);
  }
  auto description = fmt::format("github release {} ({} notes)", release.tag,
                                 release.generate_notes ? "generated" : "written");
  return {std::move(release), std::move(description)};
}

std::optional<std::vector<int>> numbers(yaml::Diagnostics& diag, const YAML::Node& node,
                                        std::string_view key) {
  if (!node.IsSequence()) {
    diag.error(node, fmt::format("'{}' must be a list of issue or PR numbers", key));
    return std::nullopt;
  }
  std::vector<int> values;
  bool ok = true;
  for (const auto& item : node) {
    auto number = kNumber(diag, item, key);
    if (number) values.push_back(*number);
    ok = ok && number.has_value();
  }
  if (!ok) return std::nullopt;
  return values;
}

ActionDraft milestone(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github milestone");
  CreateMilestone milestone;
  map.get_required("title", milestone.title, yaml::name);
  map.get("issues", milestone.issues, numbers);
  map.get("since_tag", milestone.since_tag, yaml::name);
  auto description = fmt::format("github milestone {}", milestone.title);
  return {std::move(milestone), std::move(description)};
}

ActionDraft action(yaml::Diagnostics& diag, const std::string& kind, const YAML::Node& value) {
  if (kind == "open_pr") return open_pr(diag, value);
  if (kind == "tag") return tag(diag, value);
  if (kind == "release") return release(diag, value);
  if (kind == "milestone") return milestone(diag, value);
  const int number = kNumber(diag, value, kind).value_or(0);
  if (kind == "close_pr")
    return {ClosePullRequest{number}, fmt::format("github close PR #{}", number)};
  return {MergePullRequest{number}, fmt::format("github merge PR #{}", number)};
}

}  // namespace

StepDraft parse_github(yaml::Diagnostics& diag, const YAML::Node& value) {
  yaml::MapCursor map(diag, value, "github step");
  GithubStep step{OpenPullRequest{}};
  std::string description = "github";
  const auto kind = map.choose({"open_pr", "close_pr", "merge_pr", "tag", "release", "milestone"});
  if (kind) {
    if (const auto node = map.take(*kind)) {
      auto draft = action(diag, *kind, *node);
      step.action = std::move(draft.action);
      description = std::move(draft.description);
    }
  }
  std::optional<int> status;
  if (map.get("expect_status", status, yaml::integer<int>(100, 599))) {
    step.expect_status_min = step.expect_status_max = *status;
    description += fmt::format(" (expect HTTP {})", *status);
  }
  return {std::move(step), std::move(description)};
}

}  // namespace mepsim::scenario::steps
