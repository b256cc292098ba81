// Milestones (create — 422 on a duplicate title —, list, get, update) and issues
// (create, get, update: milestone, state, assignees; list by milestone, state, labels;
// add assignees). Pull requests share the issues' numbers and show in their lists.

#include <algorithm>
#include <regex>

#include "fakes/github/github_context.h"
#include "fakes/github/github_json.h"

namespace mepsim::fakes::github {
namespace {

using nlohmann::json;

void publish_milestone(GitHubContext& ctx, Txn& txn, const Milestone& milestone,
                       const std::string& event) {
  const auto view = milestone_json(ctx, txn.model, milestone);
  ctx.publish(txn, "github", "github.milestone." + event,
              {{"number", std::to_string(milestone.number)},
               {"title", milestone.title},
               {"state", milestone.state},
               {"open_issues", std::to_string(view["open_issues"].get<int>())},
               {"closed_issues", std::to_string(view["closed_issues"].get<int>())}});
  ctx.emit_webhook(txn, "milestone", {{"action", event}, {"milestone", view}});
}

void create_milestone(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto title = reader.string("title", Presence::required);
  const auto state = reader.string("state", Presence::optional);
  const auto description = reader.string("description", Presence::optional);
  const auto due_on = reader.string("due_on", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (state && *state != "open" && *state != "closed") {
    return reply_validation(ex, "Milestone", "state", "invalid");
  }
  Txn txn(ctx);
  for (const auto& [number, other] : txn.model.milestones) {
    if (other.title == *title) return reply_validation(ex, "Milestone", "title", "already_exists");
  }
  if (txn.model.milestones.size() >= ctx.options.milestones_max) {
    return reply_validation(ex, "Milestone", "", "custom", "Too many milestones");
  }
  Milestone milestone;
  milestone.number = txn.model.next_milestone++;
  milestone.id = ctx.next_id(txn);
  milestone.title = *title;
  milestone.state = state.value_or("open");
  milestone.description = description.value_or("");
  milestone.due_on = due_on;
  milestone.creator = std::string(kTokenUser);
  milestone.created_at = milestone.updated_at = ctx.now();
  if (milestone.state == "closed") milestone.closed_at = milestone.created_at;
  const auto& stored = txn.model.milestones[milestone.number] = milestone;
  publish_milestone(ctx, txn, stored, "created");
  reply_json(ex, 201, milestone_json(ctx, txn.model, stored));
}

void list_milestones(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const std::string state = ex.req.has_param("state") ? ex.req.get_param_value("state") : "open";
  std::vector<json> items;
  Txn txn(ctx);
  for (const auto& [number, milestone] : txn.model.milestones) {
    if (state != "all" && milestone.state != state) continue;
    items.push_back(milestone_json(ctx, txn.model, milestone));
  }
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

Milestone* find_milestone(Txn& txn, FakeExchange& ex) {
  const auto number = path_number(ex, 3);
  if (!number) return nullptr;
  const auto it = txn.model.milestones.find(*number);
  if (it != txn.model.milestones.end()) return &it->second;
  reply_message(ex, 404, "Not Found");
  return nullptr;
}

void get_milestone(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  Txn txn(ctx);
  if (auto* milestone = find_milestone(txn, ex)) {
    reply_json(ex, 200, milestone_json(ctx, txn.model, *milestone));
  }
}

void update_milestone(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  FieldErrors errors;
  JsonObjectReader reader(*body, "", errors);
  const auto title = reader.string("title", Presence::optional);
  const auto state = reader.string("state", Presence::optional);
  const auto description = reader.string("description", Presence::optional);
  const auto due_on = reader.string("due_on", Presence::optional);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) return reply_invalid_fields(ex, errors);
  if (state && *state != "open" && *state != "closed") {
    return reply_validation(ex, "Milestone", "state", "invalid");
  }
  Txn txn(ctx);
  auto* milestone = find_milestone(txn, ex);
  if (milestone == nullptr) return;
  if (title && *title != milestone->title) {
    for (const auto& [number, other] : txn.model.milestones) {
      if (other.title == *title) {
        return reply_validation(ex, "Milestone", "title", "already_exists");
      }
    }
    milestone->title = *title;
  }
  if (description) milestone->description = *description;
  if (due_on) milestone->due_on = *due_on;
  std::string event = "edited";
  if (state && *state != milestone->state) {
    milestone->state = *state;
    event = *state == "closed" ? "closed" : "opened";
    if (*state == "closed") {
      milestone->closed_at = ctx.now();
    } else {
      milestone->closed_at.reset();
    }
  }
  milestone->updated_at = ctx.now();
  publish_milestone(ctx, txn, *milestone, event);
  reply_json(ex, 200, milestone_json(ctx, txn.model, *milestone));
}

// ---- Issues --------------------------------------------------------------------------

// What an issue create or update may carry, type-checked.
struct IssueFields {
  std::optional<std::string> title, body, state, state_reason;
  bool milestone_given = false;
  std::optional<int> milestone;  // given as null: cleared
  std::optional<std::vector<std::string>> assignees, labels;
};

// A list of logins or label names: strings, or objects with a `name` (labels).
std::optional<std::vector<std::string>> name_list(const json* array, const std::string& key,
                                                  FieldErrors& errors) {
  if (array == nullptr) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& item : *array) {
    if (item.is_string()) {
      names.push_back(item.get<std::string>());
    } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
      names.push_back(item["name"].get<std::string>());
    } else {
      errors.add(key, "is not an array of strings");
      return std::nullopt;
    }
  }
  return names;
}

std::optional<IssueFields> read_issue_fields(FakeExchange& ex, const json& body, bool create) {
  FieldErrors errors;
  JsonObjectReader reader(body, "", errors);
  IssueFields fields;
  fields.title = reader.string("title", create ? Presence::required : Presence::optional);
  fields.body = reader.string("body", Presence::optional);
  fields.state = reader.string("state", Presence::optional);
  fields.state_reason = reader.string("state_reason", Presence::optional);
  fields.assignees = name_list(reader.array("assignees", Presence::optional), "assignees", errors);
  fields.labels = name_list(reader.array("labels", Presence::optional), "labels", errors);
  if (auto assignee = reader.string("assignee", Presence::optional)) {
    fields.assignees = std::vector<std::string>{*assignee};
  }
  // Present and null clears the milestone; absent leaves it.
  fields.milestone_given = body.contains("milestone");
  if (auto number = reader.integer("milestone", Presence::optional)) {
    if (*number > 0 && *number < 1'000'000'000) {
      fields.milestone = static_cast<int>(*number);
    } else {
      errors.add("milestone", "is not a milestone number");
    }
  }
  reader.ignore("type", ex.notes);
  reader.note_unknown(ex.notes);
  if (!errors.empty()) {
    reply_invalid_fields(ex, errors);
    return std::nullopt;
  }
  if (fields.state && *fields.state != "open" && *fields.state != "closed") {
    reply_validation(ex, "Issue", "state", "invalid");
    return std::nullopt;
  }
  static const std::regex kLogin("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\\[bot\\])?");
  for (const auto& login : fields.assignees.value_or(std::vector<std::string>{})) {
    if (!std::regex_match(login, kLogin)) {
      reply_validation(ex, "Issue", "assignees", "invalid");
      return std::nullopt;
    }
  }
  return fields;
}

void publish_issue(GitHubContext& ctx, Txn& txn, const Issue& issue, const std::string& event) {
  std::string milestone_title;
  if (issue.milestone && txn.model.milestones.contains(*issue.milestone)) {
    milestone_title = txn.model.milestones.at(*issue.milestone).title;
  }
  std::string assignees;
  for (const auto& login : issue.assignees) assignees += (assignees.empty() ? "" : ",") + login;
  ctx.publish(txn, "github", "github.issue." + event,
              {{"number", std::to_string(issue.number)},
               {"title", issue.title},
               {"state", issue.state},
               {"milestone", milestone_title},
               {"assignees", assignees}});
  ctx.emit_webhook(txn, "issues",
                   {{"action", event}, {"issue", issue_json(ctx, txn.model, issue)}});
}

// Applies `fields` to `issue`: the events it caused, in order; nullopt after answering
// 422 for an unknown milestone.
std::optional<std::vector<std::string>> apply_issue_fields(GitHubContext& ctx, Txn& txn,
                                                           FakeExchange& ex, Issue& issue,
                                                           const IssueFields& fields) {
  if (fields.milestone && !txn.model.milestones.contains(*fields.milestone)) {
    reply_validation(ex, "Issue", "milestone", "invalid");
    return std::nullopt;
  }
  std::vector<std::string> events;
  if (fields.title) issue.title = *fields.title;
  if (fields.body) issue.body = *fields.body;
  if (fields.labels) issue.labels = *fields.labels;
  if (fields.assignees && *fields.assignees != issue.assignees) {
    issue.assignees = *fields.assignees;
    events.push_back("assigned");
  }
  if (fields.milestone_given && fields.milestone != issue.milestone) {
    issue.milestone = fields.milestone;
    events.push_back(fields.milestone ? "milestoned" : "demilestoned");
  }
  if (fields.state && *fields.state != issue.state) {
    issue.state = *fields.state;
    if (issue.state == "closed") {
      issue.closed_at = ctx.now();
      issue.state_reason = fields.state_reason.value_or("completed");
      events.push_back("closed");
    } else {
      issue.closed_at.reset();
      issue.state_reason = "reopened";
      events.push_back("reopened");
    }
  }
  issue.updated_at = ctx.now();
  return events;
}

void create_issue(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  const auto fields = read_issue_fields(ex, *body, true);
  if (!fields) return;
  Txn txn(ctx);
  if (txn.model.issues.size() >= ctx.options.issues_max) {
    return reply_validation(ex, "Issue", "", "custom", "Too many issues");
  }
  Issue issue;
  issue.user = std::string(kTokenUser);
  issue.created_at = ctx.now();
  IssueFields initial = *fields;
  initial.state.reset();
  if (!apply_issue_fields(ctx, txn, ex, issue, initial)) return;
  issue.number = txn.model.next_number++;
  issue.id = ctx.next_id(txn);
  auto& stored = txn.model.issues[issue.number] = issue;
  publish_issue(ctx, txn, stored, "opened");
  reply_json(ex, 201, issue_json(ctx, txn.model, stored));
}

void get_issue(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  Txn txn(ctx);
  if (const auto it = txn.model.issues.find(*number); it != txn.model.issues.end()) {
    return reply_json(ex, 200, issue_json(ctx, txn.model, it->second));
  }
  if (const auto it = txn.model.pulls.find(*number); it != txn.model.pulls.end()) {
    return reply_json(ex, 200, pull_as_issue_json(ctx, txn.model, it->second));
  }
  reply_message(ex, 404, "Not Found");
}

void update_issue_with(GitHubContext& ctx, FakeExchange& ex, const IssueFields& fields) {
  const auto number = path_number(ex, 3);
  if (!number) return;
  Txn txn(ctx);
  if (const auto pull = txn.model.pulls.find(*number); pull != txn.model.pulls.end()) {
    // A pull request through the issues API: its milestone, assignees and labels.
    if (fields.milestone && !txn.model.milestones.contains(*fields.milestone)) {
      return reply_validation(ex, "Issue", "milestone", "invalid");
    }
    if (fields.milestone_given) pull->second.milestone = fields.milestone;
    if (fields.assignees) pull->second.assignees = *fields.assignees;
    if (fields.labels) pull->second.labels = *fields.labels;
    if (fields.title) pull->second.title = *fields.title;
    return reply_json(ex, 200, pull_as_issue_json(ctx, txn.model, pull->second));
  }
  const auto it = txn.model.issues.find(*number);
  if (it == txn.model.issues.end()) return reply_message(ex, 404, "Not Found");
  auto& issue = it->second;
  const auto events = apply_issue_fields(ctx, txn, ex, issue, fields);
  if (!events) return;
  for (const auto& event : *events) publish_issue(ctx, txn, issue, event);
  if (events->empty()) publish_issue(ctx, txn, issue, "edited");
  reply_json(ex, 200, issue_json(ctx, txn.model, issue));
}

void update_issue(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  const auto fields = read_issue_fields(ex, *body, false);
  if (!fields) return;
  update_issue_with(ctx, ex, *fields);
}

void add_assignees(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  const auto body = read_body(ex);
  if (!body) return;
  auto fields = read_issue_fields(ex, *body, false);
  if (!fields) return;
  const auto number = path_number(ex, 3);
  if (!number) return;
  {
    Txn txn(ctx);
    std::vector<std::string> current;
    if (const auto it = txn.model.issues.find(*number); it != txn.model.issues.end()) {
      current = it->second.assignees;
    } else if (const auto pull = txn.model.pulls.find(*number); pull != txn.model.pulls.end()) {
      current = pull->second.assignees;
    }
    for (const auto& login : fields->assignees.value_or(std::vector<std::string>{})) {
      if (std::find(current.begin(), current.end(), login) == current.end()) {
        current.push_back(login);
      }
    }
    fields->assignees = current;
  }
  update_issue_with(ctx, ex, *fields);
  if (ex.res.status == 200) ex.res.status = 201;
}

// `milestone` query: a number, "*" (any) or "none".
bool milestone_matches(const std::string& filter, const std::optional<int>& milestone) {
  if (filter.empty()) return true;
  if (filter == "*") return milestone.has_value();
  if (filter == "none") return !milestone.has_value();
  return milestone && std::to_string(*milestone) == filter;
}

bool labels_match(const std::string& filter, const std::vector<std::string>& labels) {
  if (filter.empty()) return true;
  std::size_t from = 0;
  while (from <= filter.size()) {
    const auto comma = std::min(filter.find(',', from), filter.size());
    const std::string wanted = filter.substr(from, comma - from);
    if (!wanted.empty() && std::find(labels.begin(), labels.end(), wanted) == labels.end()) {
      return false;
    }
    from = comma + 1;
  }
  return true;
}

void list_issues(GitHubContext& ctx, FakeExchange& ex) {
  if (!require_repo(ctx, ex)) return;
  auto query = [&](const char* key, const char* fallback) {
    return ex.req.has_param(key) ? ex.req.get_param_value(key) : std::string(fallback);
  };
  const std::string state = query("state", "open");
  const std::string milestone = query("milestone", "");
  const std::string labels = query("labels", "");
  const std::string assignee = query("assignee", "");
  if (state != "open" && state != "closed" && state != "all") {
    return reply_validation(ex, "Issue", "state", "invalid");
  }
  auto wanted = [&](const std::string& item_state, const std::optional<int>& item_milestone,
                    const std::vector<std::string>& item_labels,
                    const std::vector<std::string>& item_assignees) {
    if (state != "all" && item_state != state) return false;
    if (!milestone_matches(milestone, item_milestone)) return false;
    if (!labels_match(labels, item_labels)) return false;
    if (assignee.empty() || assignee == "*") {
      return assignee.empty() || !item_assignees.empty();
    }
    if (assignee == "none") return item_assignees.empty();
    return std::find(item_assignees.begin(), item_assignees.end(), assignee) !=
           item_assignees.end();
  };
  std::map<int, json, std::greater<>> by_number;  // newest first, as GitHub lists them
  Txn txn(ctx);
  for (const auto& [number, issue] : txn.model.issues) {
    if (wanted(issue.state, issue.milestone, issue.labels, issue.assignees)) {
      by_number[number] = issue_json(ctx, txn.model, issue);
    }
  }
  for (const auto& [number, pull] : txn.model.pulls) {
    if (wanted(pull.state, pull.milestone, pull.labels, pull.assignees)) {
      by_number[number] = pull_as_issue_json(ctx, txn.model, pull);
    }
  }
  std::vector<json> items;
  for (auto& [number, item] : by_number) items.push_back(std::move(item));
  reply_json(ex, 200, paginate(ex, std::move(items)));
}

}  // namespace

std::vector<GitHubRoute> issue_routes() {
  const std::string repo(kRepoPattern);
  return {
      {"POST", repo + "/milestones", "issues.createMilestone", Access::token, create_milestone},
      {"GET", repo + "/milestones", "issues.listMilestones", Access::token, list_milestones},
      {"GET", repo + "/milestones/([^/]+)", "issues.getMilestone", Access::token, get_milestone},
      {"PATCH", repo + "/milestones/([^/]+)", "issues.updateMilestone", Access::token,
       update_milestone},
      {"POST", repo + "/issues", "issues.create", Access::token, create_issue},
      {"GET", repo + "/issues", "issues.listForRepo", Access::token, list_issues},
      {"GET", repo + "/issues/([^/]+)", "issues.get", Access::token, get_issue},
      {"PATCH", repo + "/issues/([^/]+)", "issues.update", Access::token, update_issue},
      {"POST", repo + "/issues/([^/]+)/assignees", "issues.addAssignees", Access::token,
       add_assignees},
  };
}

}  // namespace mepsim::fakes::github
