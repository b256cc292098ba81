// Expectations on GitHub: pull requests and CI through the fake's C++ side, tags in the
// origin, releases and milestones through its REST API (what the engineer's scripts see).

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fakes/github/git_origin.h"
#include "fakes/github/github_fake.h"
#include "harness/runner/expectations.h"
#include "harness/topology/github_wiring.h"
#include "sim/net/http_client.h"

namespace mepsim::runner {
namespace {

constexpr auto kRestTimeout = std::chrono::seconds(10);
constexpr int kPerPage = 100;
constexpr int kMilestonePagesMax = 10;  // the fake keeps at most 1 000 milestones

// GET on the fake's REST API with its token; not_found for a 404.
Result<nlohmann::json> rest_get(GithubWiring& wiring, const std::string& path) {
  auto url = parse_http_url(wiring.github().base_url() + path);
  if (!url) return url.error();
  HttpExchange exchange;
  exchange.url = std::move(url.value());
  exchange.headers = {{"Authorization", "token " + wiring.github().token()},
                      {"Accept", "application/vnd.github+json"},
                      {"User-Agent", "mepsim-scenario"}};
  exchange.timeout = kRestTimeout;
  const auto reply = http_exchange(exchange);
  if (!reply) return reply.error().context("GET " + path);
  if (reply->status == 404) return make_error(ErrorCode::not_found, "GET " + path + ": 404");
  if (reply->status != 200) {
    return make_error(ErrorCode::unavailable, fmt::format("GET {}: {}", path, reply->status));
  }
  auto body = nlohmann::json::parse(reply->body, nullptr, false);
  if (body.is_discarded()) {
    return make_error(ErrorCode::internal, "GET " + path + ": the answer is not JSON");
  }
  return body;
}

std::string repo_path(GithubWiring& wiring) {
  return fmt::format("/repos/{}/{}", wiring.origin().owner(), wiring.origin().name());
}

void check_pull_request(Verdict& v, GithubWiring& wiring, const scenario::PullRequestExpect& e) {
  const std::string what = fmt::format("pull request #{}", e.number);
  const auto pr = wiring.github().pull_request(e.number);
  if (!pr) return v.fail(what + " does not exist");
  if (e.state) v.expect_equal(what + " state", pr->state, *e.state);
  if (e.merged) {
    v.expect_equal(what + " merged", pr->merged ? "true" : "false", *e.merged ? "true" : "false");
  }
  v.note(fmt::format("{} {}{}", what, pr->state, pr->merged ? " (merged)" : ""));
}

void check_tag(Verdict& v, GithubWiring& wiring, const std::string& tag) {
  const auto tags = wiring.origin().tags();
  if (!tags) return v.fail(fmt::format("tag {}: {}", tag, tags.error().message));
  if (!tags->contains(tag)) return v.fail(fmt::format("tag {} does not exist in the origin", tag));
  v.note("tag " + tag);
}

void check_release(Verdict& v, GithubWiring& wiring, const scenario::ReleaseExpect& e) {
  const std::string what = "release " + e.tag;
  const auto release = rest_get(wiring, repo_path(wiring) + "/releases/tags/" + url_encode(e.tag));
  if (!release) {
    if (release.error().code == ErrorCode::not_found) return v.fail(what + " does not exist");
    return v.fail(fmt::format("{}: {}", what, release.error().message));
  }
  const std::string body = release->contains("body") && (*release)["body"].is_string()
                               ? (*release)["body"].get<std::string>()
                               : "";
  for (const auto& text : e.body_contains) {
    if (body.find(text) == std::string::npos)
      v.fail(fmt::format("{} body lacks \"{}\"", what, text));
  }
  v.note(what);
}

void check_milestone(Verdict& v, GithubWiring& wiring, const scenario::MilestoneExpect& e) {
  const std::string what = "milestone " + e.title;
  for (int page = 1; page <= kMilestonePagesMax; ++page) {
    const auto listed = rest_get(wiring, fmt::format("{}/milestones?state=all&per_page={}&page={}",
                                                     repo_path(wiring), kPerPage, page));
    if (!listed) return v.fail(fmt::format("{}: {}", what, listed.error().message));
    if (!listed->is_array()) return v.fail(what + ": the milestone list is not an array");
    for (const auto& m : listed.value()) {
      if (m.value("title", "") != e.title) continue;
      const auto open = m.value("open_issues", std::int64_t{0});
      const auto closed = m.value("closed_issues", std::int64_t{0});
      if (e.open_issues) v.expect_count(what + " open issues", open, *e.open_issues);
      if (e.closed_issues) v.expect_count(what + " closed issues", closed, *e.closed_issues);
      v.note(fmt::format("{} {} open, {} closed", what, open, closed));
      return;
    }
    if (listed->size() < static_cast<std::size_t>(kPerPage)) break;
  }
  v.fail(what + " does not exist");
}

void check_ci(Verdict& v, GithubWiring& wiring, const std::string& ref, const std::string& state) {
  const std::string what = "ci of " + ref;
  const auto combined = wiring.github().combined_status(ref);
  if (!combined) return v.fail(fmt::format("{}: {}", what, combined.error().message));
  v.expect_equal(what, fakes::github::to_string(combined.value()), state);
  v.note(fmt::format("{} {}", what, fakes::github::to_string(combined.value())));
}

}  // namespace

StepOutcome check_github(const scenario::GithubExpect& e, RunContext& ctx) {
  Verdict v("github");
  GithubWiring* wiring = ctx.topology.github();
  if (wiring == nullptr) {
    v.fail("the profile has no repository");
    return v.outcome();
  }
  if (e.pull_request) check_pull_request(v, *wiring, *e.pull_request);
  if (e.tag) check_tag(v, *wiring, *e.tag);
  if (e.release) check_release(v, *wiring, *e.release);
  if (e.milestone) check_milestone(v, *wiring, *e.milestone);
  if (e.ci) check_ci(v, *wiring, e.ci->first, e.ci->second);
  return v.outcome();
}

}  // namespace mepsim::runner
