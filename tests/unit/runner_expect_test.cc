// What the scenario runner's http steps and expectations say when something differs, and
// the guards they keep (read-only SQL, SCAN replies, load reports missing figures).

#include <gtest/gtest.h>

#include "harness/runner/expectations.h"
#include "harness/runner/http_steps.h"

using namespace mepsim;
using namespace mepsim::runner;

namespace {

HttpReply reply_of(int status, std::vector<std::pair<std::string, std::string>> headers = {},
                   std::string body = "") {
  return HttpReply{status, std::move(headers), std::move(body)};
}

scenario::CountRange exactly(std::int64_t n) {
  return {n, n};
}

}  // namespace

TEST(HttpExpect, MismatchesNameGotAndExpected) {
  // Each differing field is one line naming what came and what was expected.
  scenario::HttpExpect expect;
  expect.status = 200;
  expect.location = "/bo";
  expect.headers = {{"x-cache", "hit"}, {"X-Absent", "1"}};
  expect.body_contains = {"Tableau"};
  expect.body_lacks = {"Erreur"};
  const auto lines = http_mismatches(
      expect, reply_of(302, {{"Location", "/logout"}, {"X-Cache", "miss"}}, "Erreur 500"));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "status 302 /logout, expected 200");
  EXPECT_EQ(lines[1], "Location /logout, expected /bo");
  EXPECT_EQ(lines[2], "header X-Absent absent, expected \"1\"");
  EXPECT_EQ(lines[3], "header x-cache is \"miss\", expected \"hit\"");
  EXPECT_EQ(lines[4], "body lacks \"Tableau\"");
  EXPECT_EQ(lines[5], "body contains \"Erreur\"");
  EXPECT_TRUE(http_mismatches({}, reply_of(500)).empty());
}

TEST(HttpExpect, RequestCarriesFormOrJson) {
  // A form is urlencoded with its Content-Type; a step's own Content-Type wins.
  scenario::HttpStep step;
  step.method = "post";
  step.path = "/connexion";
  step.form = {{"email", "admin-01@signal-logement.fr"}, {"password", "a b&c"}};
  auto request = user_request_of(step);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, "email=admin-01%40signal-logement.fr&password=a+b%26c");
  EXPECT_EQ(request.claimed_email, "admin-01@signal-logement.fr");
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].second, "application/x-www-form-urlencoded");
  step.form.clear();
  step.json = nlohmann::json{{"email", "api-01@signal-logement.fr"}};
  step.headers = {{"content-type", "application/ld+json"}};
  request = user_request_of(step);
  EXPECT_EQ(request.body, R"({"email":"api-01@signal-logement.fr"})");
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].second, "application/ld+json");
}

TEST(HttpExpect, BodyExcerptIsShortAndValidText) {
  // At most 200 bytes on one line, never cutting a UTF-8 character in two.
  EXPECT_EQ(body_excerpt("a\nb"), "a b");
  const std::string accents(150, 'x');
  const std::string excerpt = body_excerpt(accents + "éééééééééééééééééééééééééééééééééééééé");
  EXPECT_LE(excerpt.size(), 200u + std::string("…").size());
  EXPECT_TRUE(excerpt.ends_with("é…")) << excerpt;
}

TEST(Verdict, FailureNamesKindFieldGotAndExpected) {
  // All differing fields at once; a pass says what was seen.
  Verdict v("deployment histologe");
  v.expect_equal("status", "hook-error", "success");
  v.expect_equal("version", "1.7.4", "1.7.4");
  v.expect_count("deployments", 1, scenario::CountRange{2, std::nullopt});
  const auto failed = v.outcome();
  EXPECT_FALSE(failed.passed);
  EXPECT_EQ(failed.message,
            "deployment histologe: status is hook-error, expected success; deployments is 1, "
            "expected ≥ 2");
  Verdict ok("app histologe");
  ok.note("running");
  EXPECT_EQ(ok.outcome().message, "app histologe: running");
  EXPECT_TRUE(ok.outcome().passed);
}

TEST(LoadExpect, EveryFigureIsGuarded) {
  // A figure the report lacks fails with its name; null lost writes say they are not known yet.
  scenario::LoadExpect expect;
  expect.name = "mix";
  expect.p99_ms_max = 500;
  expect.lost_writes_max = 0;
  expect.session_losses_max = 0;
  const auto missing = check_load_report(expect, nlohmann::json::object());
  EXPECT_FALSE(missing.passed);
  EXPECT_NE(missing.message.find("the report has no latency_ms.p99"), std::string::npos);
  EXPECT_NE(missing.message.find("the report has no sessions.unexpected_losses"),
            std::string::npos);
  const auto pending = check_load_report(expect, {{"latency_ms", {{"p99", 12.5}}},
                                                  {"writes", {{"lost", nullptr}}},
                                                  {"sessions", {{"unexpected_losses", 0}}}});
  EXPECT_NE(pending.message.find("writes.lost is not known"), std::string::npos) << pending.message;
  EXPECT_EQ(pending.message.find("p99"), std::string::npos) << pending.message;
}

TEST(LoadExpect, PhaseRequestsCountTheLatestPhaseOnly) {
  // phase_requests_min looks at the phase opened last (a fault's), not the whole load.
  scenario::LoadExpect expect;
  expect.name = "mix";
  expect.phase_requests_min = 50;
  nlohmann::json report = {{"per_phase",
                            {{"load", {{"start_s", 0.0}, {"requests", 400}}},
                             {"fault-1", {{"start_s", 9.5}, {"requests", 20}}}}}};
  const auto few = check_load_report(expect, report);
  EXPECT_FALSE(few.passed);
  EXPECT_NE(few.message.find("phase fault-1: requests is 20, expected ≥ 50"), std::string::npos)
      << few.message;
  report["per_phase"]["fault-1"]["requests"] = 50;
  EXPECT_TRUE(check_load_report(expect, report).passed);
  EXPECT_FALSE(check_load_report(expect, nlohmann::json::object()).passed);
}

TEST(LoadExpect, AcceptedWritesAreALowerBound) {
  // writes_accepted_min holds at or above the bound, and says what it found below it.
  scenario::LoadExpect expect;
  expect.name = "mix";
  expect.writes_accepted_min = 3;
  EXPECT_TRUE(check_load_report(expect, {{"writes", {{"accepted", 3}}}}).passed);
  const auto few = check_load_report(expect, {{"writes", {{"accepted", 2}}}});
  EXPECT_FALSE(few.passed);
  EXPECT_NE(few.message.find("writes.accepted"), std::string::npos) << few.message;
}

TEST(LoadExpect, MaintenanceTogglesAreCheckedFromTheReport) {
  // The toggle test's figures are lower bounds; without toggles (null) they fail.
  scenario::LoadExpect expect;
  expect.name = "mix";
  expect.toggles_effective_min = 6;
  expect.admin_session_retention_min = 1;
  expect.non_admin_logouts_min = 1;
  expect.non_admin_relogins_min = 1;
  const nlohmann::json good = {{"maintenance",
                                {{"toggles_effective", 6},
                                 {"admin_session_retention", 1.0},
                                 {"non_admin_logouts_in_maintenance", 4},
                                 {"non_admin_relogins", 3}}}};
  EXPECT_TRUE(check_load_report(expect, good).passed) << check_load_report(expect, good).message;
  auto lost = good;
  lost["maintenance"]["admin_session_retention"] = 0.9;
  lost["maintenance"]["toggles_effective"] = 5;
  const auto failed = check_load_report(expect, lost);
  EXPECT_FALSE(failed.passed);
  EXPECT_NE(failed.message.find("maintenance.admin_session_retention is 0.9"), std::string::npos)
      << failed.message;
  EXPECT_NE(failed.message.find("maintenance.toggles_effective is 5"), std::string::npos);
  EXPECT_FALSE(check_load_report(expect, {{"maintenance", nullptr}}).passed);
}

TEST(LoadExpect, ErrorRateCountsTransportErrorsOnce) {
  // Status 0 already counts transport failures: `errors` is not added on top.
  scenario::LoadExpect expect;
  expect.name = "mix";
  expect.error_rate_max = 0.1;
  const nlohmann::json report = {{"requests", 10},
                                 {"status", {{"200", 8}, {"0", 1}, {"503", 1}}},
                                 {"errors", {{"timeout", 1}}}};
  const auto rate = check_load_report(expect, report);
  EXPECT_FALSE(rate.passed);
  EXPECT_NE(rate.message.find("error rate is 0.2000 (2 of 10)"), std::string::npos) << rate.message;
  expect.error_rate_max = 0.2;
  EXPECT_TRUE(check_load_report(expect, report).passed);
  EXPECT_FALSE(
      check_load_report(expect, {{"requests", 0}, {"status", nlohmann::json::object()}}).passed);
}

TEST(ConvergedExpect, ErrorFreeTailLooksAtTheLastSecondsOnly) {
  // A 503 or a transport error in the last seconds breaks convergence, one before them does
  // not; a second without answers breaks it too, and so does a series too short or one
  // with too few seconds after the faults' end.
  auto second = [](int t, int requests, int errors, nlohmann::json status) {
    return nlohmann::json{
        {"t_s", t}, {"requests", requests}, {"errors", errors}, {"status", status}};
  };
  nlohmann::json report = {
      {"series",
       {second(0, 10, 0, {{"503", 4}, {"200", 6}}), second(1, 10, 2, {{"200", 8}}),
        second(2, 10, 0, {{"200", 10}}), second(3, 9, 0, {{"302", 9}})}}};
  EXPECT_EQ(error_free_tail(report, 2), "");
  EXPECT_EQ(error_free_tail(report, 3), "second 1: 2 transport errors");
  EXPECT_EQ(error_free_tail(report, 4), "second 0: 4 answers 503");
  EXPECT_EQ(error_free_tail(report, 5),
            "4 closed seconds since second 0 (the faults' end), 5 wanted");
  // Seconds from before the last fault or heal phase tell nothing of the heal.
  report["per_phase"] = {
      {"run", {{"start_s", 0.0}}}, {"fault-1", {{"start_s", 0.5}}}, {"heal-1", {{"start_s", 1.2}}}};
  EXPECT_EQ(error_free_tail(report, 2), "");
  EXPECT_EQ(error_free_tail(report, 3),
            "2 closed seconds since second 2 (the faults' end), 3 wanted");
  report["series"].push_back(second(4, 0, 0, nlohmann::json::object()));
  EXPECT_EQ(error_free_tail(report, 1), "second 4: no answer");
  EXPECT_EQ(error_free_tail(nlohmann::json::object(), 1), "the report has no series");
}

TEST(MysqlExpect, OnlyOneReadingStatement) {
  // SELECT and SHOW pass; writes, second statements, comments and locking reads do not.
  EXPECT_TRUE(check_read_only_sql("SELECT COUNT(*) FROM user WHERE email = 'a;b'"));
  EXPECT_TRUE(check_read_only_sql("  show tables;"));
  for (const char* bad : {"DELETE FROM user", "SELECT 1; DROP TABLE user", "SELECT 1 -- x",
                          "SELECT 1 /*! , SLEEP(1) */", "SELECT * FROM user INTO OUTFILE '/tmp/x'",
                          "SELECT * FROM user FOR UPDATE", "", "SELECT 'unterminated"}) {
    EXPECT_FALSE(check_read_only_sql(bad)) << bad;
  }
}

TEST(RedisExpect, ScanReplySplitsCursorAndKeys) {
  // RedisConnection joins SCAN's nested reply with newlines: the cursor comes first.
  const auto page = parse_scan_reply("1234\nsf_sabc\nsf_sdef");
  EXPECT_EQ(page.cursor, "1234");
  EXPECT_EQ(page.keys, (std::vector<std::string>{"sf_sabc", "sf_sdef"}));
  const auto empty = parse_scan_reply("0\n");
  EXPECT_EQ(empty.cursor, "0");
  EXPECT_TRUE(empty.keys.empty());
  EXPECT_TRUE(exactly(2).contains(static_cast<std::int64_t>(page.keys.size())));
}
