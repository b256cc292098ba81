// The part of Sentry's web API that users' scripts and the scenarios read, with Sentry's
// own paths and field names (https://docs.sentry.io/api/events/): a project's issues, an
// issue, an issue's events; bearer token auth. Two listings of our own, under
// /api/0/projects/{org}/{project}/mepsim/, show what Sentry keeps but shows elsewhere:
// client reports and release health.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "fakes/common/hmac.h"
#include "fakes/sentry/sentry_context.h"

namespace mepsim::fakes::sentry {
namespace {

using nlohmann::json;

constexpr std::size_t kPageSizeMax = 100;

bool authorized(SentryContext& ctx, FakeExchange& ex) {
  const std::string header = ex.req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    reply_detail(ex, 401, "Authentication credentials were not provided.");
    return false;
  }
  if (!constant_time_equal(std::string_view(header).substr(kScheme.size()), ctx.auth_token)) {
    reply_detail(ex, 401, "Invalid token");
    return false;
  }
  return true;
}

void not_found(FakeExchange& ex) {
  reply_detail(ex, 404, "The requested resource does not exist");
}

// "24h", "14d", "90m", "30s", "2w"; "" is every issue. nullopt when malformed.
std::optional<std::optional<Duration>> stats_period(const std::string& text) {
  if (text.empty()) return std::optional<Duration>{};
  const char unit = text.back();
  std::int64_t amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
  if (ec != std::errc{} || end != text.data() + text.size() - 1 || amount <= 0 ||
      amount > 100'000) {
    return std::nullopt;
  }
  std::int64_t unit_s = 0;
  switch (unit) {
    case 's':
      unit_s = 1;
      break;
    case 'm':
      unit_s = 60;
      break;
    case 'h':
      unit_s = 3600;
      break;
    case 'd':
      unit_s = 86'400;
      break;
    case 'w':
      unit_s = 7 * 86'400;
      break;
    default:
      return std::nullopt;
  }
  return std::optional<Duration>{std::chrono::seconds(amount * unit_s)};
}

// The search terms this fake understands: release:, environment:, is:, level:, and free
// text matched against the title.
struct IssueQuery {
  std::string release;
  std::string environment;
  std::string level;
  bool resolved_only = false;
  std::string text;
};

std::optional<IssueQuery> parse_query(const std::string& query, std::string& why) {
  IssueQuery parsed;
  std::size_t pos = 0;
  while (pos < query.size()) {
    if (query[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    bool quoted = false;
    while (end < query.size() && (quoted || query[end] != ' ')) {
      if (query[end] == '"') quoted = !quoted;
      ++end;
    }
    std::string term = query.substr(pos, end - pos);
    pos = end;
    const auto colon = term.find(':');
    if (colon == std::string::npos) {
      parsed.text += (parsed.text.empty() ? "" : " ") + term;
      continue;
    }
    const std::string key = term.substr(0, colon);
    std::string value = term.substr(colon + 1);
    std::erase(value, '"');
    if (key == "release") {
      parsed.release = value;
    } else if (key == "environment") {
      parsed.environment = value;
    } else if (key == "level") {
      parsed.level = value;
    } else if (key == "is") {
      if (value != "unresolved" && value != "resolved") {
        why = "is:" + value.substr(0, 40) + " is not supported (unresolved, resolved)";
        return std::nullopt;
      }
      parsed.resolved_only = value == "resolved";
    } else {
      why = "the search key \"" + key.substr(0, 40) +
            "\" is not supported (release, environment, level, is)";
      return std::nullopt;
    }
  }
  return parsed;
}

// "http://HOST:PORT" as the client reached us: what links in answers point to.
std::string origin(const FakeExchange& ex) {
  return "http://" + ex.req.get_header_value("Host");
}

json issue_json(SentryContext& ctx, const FakeExchange& ex, const SentryIssue& issue) {
  const SentryProject* project = ctx.project_by_slug(issue.project_slug);
  std::string short_prefix = issue.project_slug;
  std::transform(short_prefix.begin(), short_prefix.end(), short_prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return {
      {"id", issue.id},
      {"shortId", short_prefix + "-" + issue.id},
      {"title", issue.title},
      {"culprit", issue.culprit},
      {"permalink", fmt::format("{}/organizations/{}/issues/{}/", origin(ex),
                                ctx.options.organization, issue.id)},
      {"logger", nullptr},
      {"level", issue.level},
      {"status", issue.status},
      {"statusDetails", json::object()},
      {"isPublic", false},
      {"project",
       {{"id", project != nullptr ? project->id : ""},
        {"name", issue.project_slug},
        {"slug", issue.project_slug}}},
      {"metadata", {{"title", issue.title}}},
      {"numComments", 0},
      {"assignedTo", nullptr},
      {"isBookmarked", false},
      {"hasSeen", false},
      {"annotations", json::array()},
      // Sentry sends the count as a string (it may exceed 2^53), userCount as a number.
      {"count", std::to_string(issue.count)},
      {"userCount", 0},
      {"firstSeen", format_iso8601(issue.first_seen)},
      {"lastSeen", format_iso8601(issue.last_seen)},
  };
}

json event_json(const SentryStoredEvent& event, const SentryIssue& issue,
                const std::string& project_id) {
  json tags = json::array();
  auto tags_map = event.tags;
  if (!event.release.empty()) tags_map.emplace("release", event.release);
  if (!event.environment.empty()) tags_map.emplace("environment", event.environment);
  tags_map.emplace("level", event.level);
  for (const auto& [key, value] : tags_map) tags.push_back({{"key", key}, {"value", value}});
  return {{"id", event.event_id},
          {"eventID", event.event_id},
          {"groupID", event.issue_id},
          {"projectID", project_id},
          {"dateCreated", format_iso8601(event.received)},
          {"title", issue.title},
          {"culprit", issue.culprit},
          {"message", event.message},
          {"platform", event.platform},
          {"event.type", "error"},
          {"tags", std::move(tags)}};
}

// `limit` (1-100, default 100) and `cursor` ("0:<offset>:0", Sentry's shape); nullopt after
// answering 400.
struct PageRequest {
  std::size_t offset = 0;
  std::size_t limit = kPageSizeMax;
};
std::optional<PageRequest> read_page(FakeExchange& ex) {
  PageRequest page;
  auto number = [](const std::string& text, std::size_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
  };
  if (ex.req.has_param("limit")) {
    if (!number(ex.req.get_param_value("limit"), page.limit) || page.limit == 0 ||
        page.limit > kPageSizeMax) {
      reply_detail(ex, 400, "limit must be 1-100");
      return std::nullopt;
    }
  }
  if (ex.req.has_param("cursor")) {
    const std::string cursor = ex.req.get_param_value("cursor");
    const auto first = cursor.find(':');
    const auto second = cursor.find(':', first == std::string::npos ? 0 : first + 1);
    if (first == std::string::npos || second == std::string::npos ||
        !number(cursor.substr(first + 1, second - first - 1), page.offset)) {
      reply_detail(ex, 400, "Invalid cursor parameter.");
      return std::nullopt;
    }
  }
  return page;
}

// Sentry's Link header: previous and next cursors, with `results` saying if they exist.
void set_link(FakeExchange& ex, const PageRequest& page, std::size_t total) {
  const std::string url = origin(ex) + ex.req.path;
  const std::size_t prev = page.offset >= page.limit ? page.offset - page.limit : 0;
  const std::size_t next = page.offset + page.limit;
  ex.res.set_header(
      "Link",
      fmt::format(R"(<{0}?cursor=0:{1}:1>; rel="previous"; results="{2}"; cursor="0:{1}:1", )"
                  R"(<{0}?cursor=0:{3}:0>; rel="next"; results="{4}"; cursor="0:{3}:0")",
                  url, prev, page.offset > 0 ? "true" : "false", next,
                  next < total ? "true" : "false"));
}

void list_issues(SentryContext& ctx, FakeExchange& ex) {
  if (!authorized(ctx, ex)) return;
  const SentryProject* project = ctx.project_by_slug(ex.param(2));
  if (ex.param(1) != ctx.options.organization || project == nullptr) return not_found(ex);
  const auto period = stats_period(ex.req.get_param_value("statsPeriod"));
  if (!period) {
    return reply_detail(ex, 400,
                        "Invalid statsPeriod: use a number and one of s m h d w, "
                        "e.g. 24h or 14d, or \"\" for all time");
  }
  std::string why;
  const auto query = parse_query(ex.req.get_param_value("query"), why);
  if (!query) return reply_detail(ex, 400, "Invalid search query: " + why);
  const auto page = read_page(ex);
  if (!page) return;
  std::optional<Instant> since;
  if (*period) since = ctx.control_clock.now() - **period;
  std::vector<SentryIssue> found;
  if (!query->resolved_only) {
    for (auto& issue : ctx.store.issues(project->slug, since, query->release)) {
      if (!query->environment.empty() &&
          issue.count_by_environment.count(query->environment) == 0) {
        continue;
      }
      if (!query->level.empty() && issue.level != query->level) continue;
      if (!query->text.empty() && issue.title.find(query->text) == std::string::npos) continue;
      found.push_back(std::move(issue));
    }
  }
  json body = json::array();
  for (std::size_t i = page->offset; i < found.size() && i < page->offset + page->limit; ++i) {
    body.push_back(issue_json(ctx, ex, found[i]));
  }
  set_link(ex, *page, found.size());
  reply_json(ex, 200, body);
}

void get_issue(SentryContext& ctx, FakeExchange& ex) {
  if (!authorized(ctx, ex)) return;
  const auto issue = ctx.store.issue(ex.param(1));
  if (!issue) return not_found(ex);
  reply_json(ex, 200, issue_json(ctx, ex, *issue));
}

void list_events(SentryContext& ctx, FakeExchange& ex, std::size_t issue_group) {
  if (!authorized(ctx, ex)) return;
  if (issue_group == 2 && ex.param(1) != ctx.options.organization) return not_found(ex);
  const auto issue = ctx.store.issue(ex.param(issue_group));
  if (!issue) return not_found(ex);
  const auto page = read_page(ex);
  if (!page) return;
  const SentryProject* project = ctx.project_by_slug(issue->project_slug);
  const auto events = ctx.store.events(issue->id);
  json body = json::array();
  for (std::size_t i = page->offset; i < events.size() && i < page->offset + page->limit; ++i) {
    body.push_back(event_json(events[i], *issue, project != nullptr ? project->id : ""));
  }
  set_link(ex, *page, events.size());
  reply_json(ex, 200, body);
}

void list_client_reports(SentryContext& ctx, FakeExchange& ex) {
  if (!authorized(ctx, ex)) return;
  const SentryProject* project = ctx.project_by_slug(ex.param(2));
  if (ex.param(1) != ctx.options.organization || project == nullptr) return not_found(ex);
  json body = json::array();
  for (const auto& report : ctx.store.client_reports(project->slug)) {
    json discarded = json::array();
    for (const auto& d : report.discarded) {
      discarded.push_back(
          {{"reason", d.reason}, {"category", d.category}, {"quantity", d.quantity}});
    }
    body.push_back({{"received", format_iso8601(report.received)},
                    {"discarded_events", std::move(discarded)}});
  }
  reply_json(ex, 200, body);
}

void list_release_health(SentryContext& ctx, FakeExchange& ex) {
  if (!authorized(ctx, ex)) return;
  const SentryProject* project = ctx.project_by_slug(ex.param(2));
  if (ex.param(1) != ctx.options.organization || project == nullptr) return not_found(ex);
  json body = json::array();
  for (const auto& row : ctx.store.release_health(project->slug)) {
    body.push_back({{"release", row.release},
                    {"sessions", row.sessions},
                    {"crashed", row.crashed},
                    {"errored", row.errored},
                    {"abnormal", row.abnormal},
                    {"crashFreeRate", row.crash_free_rate()}});
  }
  reply_json(ex, 200, body);
}

}  // namespace

std::vector<FakeRoute> web_api_routes(SentryContext& ctx) {
  const std::string project = R"(/api/0/projects/([^/]+)/([^/]+))";
  return {
      {"GET", project + "/issues/?", "api", [&ctx](FakeExchange& ex) { list_issues(ctx, ex); }, 0},
      {"GET", project + "/mepsim/client-reports/?", "api",
       [&ctx](FakeExchange& ex) { list_client_reports(ctx, ex); }, 0},
      {"GET", project + "/mepsim/release-health/?", "api",
       [&ctx](FakeExchange& ex) { list_release_health(ctx, ex); }, 0},
      {"GET", R"(/api/0/issues/(\d+)/?)", "api", [&ctx](FakeExchange& ex) { get_issue(ctx, ex); },
       0},
      {"GET", R"(/api/0/issues/(\d+)/events/?)", "api",
       [&ctx](FakeExchange& ex) { list_events(ctx, ex, 1); }, 0},
      {"GET", R"(/api/0/organizations/([^/]+)/issues/(\d+)/events/?)", "api",
       [&ctx](FakeExchange& ex) { list_events(ctx, ex, 2); }, 0},
  };
}

}  // namespace mepsim::fakes::sentry
