// Unit tests of the scenario parser (harness/scenario/scenario_parser.h): a file using every
// step and expectation kind becomes the right typed values, and every kind of mistake is
// reported with its exact `file:line:col`, all of a file's mistakes at once.

#include "harness/scenario/scenario_parser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/cli/check_command.h"
#include "harness/scenario/duration_text.h"
#include "harness/scenario/shell_words.h"
#include "sim/datastore/scratch_dir.h"
#include "tests/integration/mepsim_process.h"

namespace mepsim::scenario {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// "line:col: message" of each error, in the order reported.
std::vector<std::string> errors_of(const std::string& yaml) {
  const auto outcome = parse_scenario(yaml, "t.yaml");
  EXPECT_EQ(outcome.scenario.has_value(), outcome.errors.empty());
  std::vector<std::string> lines;
  for (const auto& error : outcome.errors) {
    EXPECT_EQ(error.pos.file, "t.yaml");
    lines.push_back(error.str().substr(std::string("t.yaml:").size()));
  }
  return lines;
}

// A scenario header, then `steps` (whose first line is line 4).
std::string with_steps(const std::string& steps) {
  return "name: t\ndescription: d\nsteps:\n" + steps;
}

::testing::AssertionResult one_error(const std::vector<std::string>& errors,
                                     const std::string& position, const std::string& part) {
  if (errors.size() == 1 && errors[0].rfind(position + ": ", 0) == 0 &&
      errors[0].find(part) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure()
                 << "want one error at " << position << " with '" << part << "', got:";
  for (const auto& error : errors) failure << "\n  " << error;
  return failure;
}

const char* const kFullScenario = R"(name: full-mep
description: Every step and expectation kind.
tags: [mep, production]
profile: profiles/small.yaml
seed: 42
expect_violations: [R3-review-apps-closed]
waive: [{rule: R7-demo-parity, reason: demo has no partners}]
steps:
  - git: merge develop --no-edit
  - git: {command: "push origin 'main branch'", exit: 1, output_contains: rejected}
    desc: push refused
  - write_file: {path: app.yaml, content: "version: 1.7.4\n"}
  - scalingo: -a histologe env-set MAINTENANCE_ENABLE=1
  - github: {open_pr: {head: develop, base: main, title: Release 1.7.4, labels: [release]}}
  - github: {close_pr: 1141}
  - github: {merge_pr: 1142, expect_status: 422}
  - github: {tag: {name: 1.7.4}}
  - github: {release: {tag: 1.7.4, previous_tag: 1.7.3, notes: generated}}
  - github: {release: {tag: 1.7.5, notes: "Hand-written notes"}}
  - github: {milestone: {title: v1.7.4, issues: [1135, 1136], since_tag: 1.7.3}}
  - ci: {branch: main, result: failure}
  - ci: {commit: HEAD, result: success}
  - mattermost: {release_note: 1.7.4}
  - mattermost: {text: "MEP done"}
  - http:
      as: admin
      method: POST
      path: /bo/signalements
      json: {id: 3, tags: [a, "7"], ok: true, none: null, ratio: 0.5}
      headers: {X-Trace: abc}
      expect: {status: 302, location: /bo, headers: {X-A: b}, body_contains: Maintenance,
               body_lacks: [Error, Exception]}
  - http: {as: partner, user: partner-2, app: histologe-staging, form: {q: x}}
  - sessions: {cohort: before-mep, as: usager, count: 20}
  - wait: 1h30m
  - wait_until: {deployment: {app: histologe, status: success}, timeout: 30m}
  - load: {start: {name: mix, rate: 50, mix: {anonymous: 70, admin: 30}, duration: 10s}}
  - load: {stop: mix}
  - fault: {kill: {app: histologe}}
  - fault: {stop: redis}
  - fault: {start: mysql}
  - fault: {chaos: {fake: sentry, error_rate: 0.5, status: 503}}
  - expect:
      deployment: {app: histologe, status: success, version: 1.7.4, git_ref: main, count: {min: 1}}
      app: {app: histologe-review-1141, exists: false}
      variables: {app: histologe, set: {MAINTENANCE_ENABLE: "1"}, in_effect: {A: b},
                  not_in_effect: [B], absent: [C]}
      containers: {app: histologe, count: 2, healthy: {min: 1, max: 2}}
      sentry: {app: histologe, release: 1.7.4, window: 2h, new_issues: 0, title_contains: Redis}
      github:
        pull_request: {number: 1141, state: closed, merged: false}
        tag: 1.7.4
        release: {tag: 1.7.4, body_contains: [Nouveautés]}
        milestone: {title: v1.7.4, open_issues: 0, closed_issues: {min: 1}}
        ci: {ref: main, state: success}
      mattermost: {count: 1, contains: "1.7.4"}
      mail: {count: {max: 3}, contains: Signalement, to: admin@example.org}
      mysql: {app: histologe, query: "SELECT COUNT(*) FROM signalement", equals: "3"}
      redis: {app: histologe, pattern: "sf_s*", keys: {min: 1}}
      sessions: {cohort: before-mep, logged_in: 20}
      load: {name: mix, p99_ms_max: 250, error_rate_max: 0.01, lost_writes_max: 0,
             requests_min: 100, writes_accepted_min: 3, phase_requests_min: 40,
             session_losses_max: 0,
             toggles_effective_min: 6,
             admin_session_retention_min: 1, non_admin_logouts_min: 1, non_admin_relogins_min: 2}
      violations: {present: [R3-review-apps-closed], absent: [R1-ci-gate]}
)";

class FullScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    auto outcome = parse_scenario(kFullScenario, "full.yaml");
    for (const auto& error : outcome.errors) ADD_FAILURE() << error.str();
    ASSERT_TRUE(outcome.scenario.has_value());
    scenario_ = std::move(*outcome.scenario);
    ASSERT_EQ(scenario_.steps.size(), 27u);
  }
  template <typename T>
  const T& body(std::size_t index) const {
    return std::get<T>(scenario_.steps.at(index).body);
  }
  template <typename T>
  const T& expectation(std::size_t index) const {
    return std::get<T>(body<ExpectStep>(26).expectations.at(index).value);
  }
  Scenario scenario_;
};

TEST_F(FullScenario, HeaderValues) {
  // The header's fields are read as written.
  EXPECT_EQ(scenario_.name, "full-mep");
  EXPECT_EQ(scenario_.description, "Every step and expectation kind.");
  EXPECT_EQ(scenario_.tags, (std::vector<std::string>{"mep", "production"}));
  EXPECT_EQ(scenario_.profile, "profiles/small.yaml");
  EXPECT_EQ(scenario_.seed, 42u);
  EXPECT_EQ(scenario_.expect_violations, std::vector<std::string>{"R3-review-apps-closed"});
  ASSERT_EQ(scenario_.waivers.size(), 1u);
  EXPECT_EQ(scenario_.waivers[0].rule, "R7-demo-parity");
  EXPECT_EQ(scenario_.waivers[0].reason, "demo has no partners");
  EXPECT_EQ(scenario_.file, "full.yaml");
}

TEST_F(FullScenario, CommandSteps) {
  // git, write_file, scalingo: shell-split arguments, expected exit, default descriptions.
  const auto& step0 = scenario_.steps[0];
  EXPECT_EQ(step0.kind, "git");
  EXPECT_EQ(step0.description, "git merge develop --no-edit");
  EXPECT_EQ(step0.pos.str(), "full.yaml:9:5");
  EXPECT_EQ(body<GitStep>(0).args, (std::vector<std::string>{"merge", "develop", "--no-edit"}));
  const auto& push = body<GitStep>(1);
  EXPECT_EQ(push.args, (std::vector<std::string>{"push", "origin", "main branch"}));
  EXPECT_EQ(push.expect_exit, 1);
  EXPECT_EQ(push.output_contains, "rejected");
  EXPECT_EQ(scenario_.steps[1].description, "push refused");
  EXPECT_EQ(body<WriteFileStep>(2).path, "app.yaml");
  EXPECT_EQ(body<WriteFileStep>(2).content, "version: 1.7.4\n");
  EXPECT_EQ(body<ScalingoStep>(3).args,
            (std::vector<std::string>{"-a", "histologe", "env-set", "MAINTENANCE_ENABLE=1"}));
  EXPECT_EQ(scenario_.steps[3].description, "scalingo -a histologe env-set MAINTENANCE_ENABLE=1");
}

TEST_F(FullScenario, GithubSteps) {
  // Each GitHub action, and expect_status as an exact status.
  const auto& open = std::get<OpenPullRequest>(body<GithubStep>(4).action);
  EXPECT_EQ(open.head, "develop");
  EXPECT_EQ(open.base, "main");
  EXPECT_EQ(open.title, "Release 1.7.4");
  EXPECT_EQ(open.labels, std::vector<std::string>{"release"});
  EXPECT_EQ(body<GithubStep>(4).expect_status_min, 200);
  EXPECT_EQ(body<GithubStep>(4).expect_status_max, 299);
  EXPECT_EQ(std::get<ClosePullRequest>(body<GithubStep>(5).action).number, 1141);
  EXPECT_EQ(std::get<MergePullRequest>(body<GithubStep>(6).action).number, 1142);
  EXPECT_EQ(body<GithubStep>(6).expect_status_min, 422);
  EXPECT_EQ(body<GithubStep>(6).expect_status_max, 422);
  const auto& tag = std::get<CreateTag>(body<GithubStep>(7).action);
  EXPECT_EQ(tag.name, "1.7.4");
  EXPECT_EQ(tag.ref, "main");
  const auto& generated = std::get<CreateRelease>(body<GithubStep>(8).action);
  EXPECT_EQ(generated.tag, "1.7.4");
  EXPECT_EQ(generated.previous_tag, "1.7.3");
  EXPECT_TRUE(generated.generate_notes);
  EXPECT_FALSE(generated.body.has_value());
  const auto& written = std::get<CreateRelease>(body<GithubStep>(9).action);
  EXPECT_FALSE(written.generate_notes);
  EXPECT_EQ(written.body, "Hand-written notes");
  const auto& milestone = std::get<CreateMilestone>(body<GithubStep>(10).action);
  EXPECT_EQ(milestone.title, "v1.7.4");
  EXPECT_EQ(milestone.issues, (std::vector<int>{1135, 1136}));
  EXPECT_EQ(milestone.since_tag, "1.7.3");
}

TEST_F(FullScenario, CiAndMattermostSteps) {
  // ci names a branch or a commit; mattermost posts a release note or a text.
  EXPECT_EQ(body<CiStep>(11).branch, "main");
  EXPECT_EQ(body<CiStep>(11).result, "failure");
  EXPECT_EQ(body<CiStep>(12).commit, "HEAD");
  EXPECT_FALSE(body<CiStep>(12).branch.has_value());
  EXPECT_EQ(body<MattermostStep>(13).release_note, "1.7.4");
  EXPECT_EQ(body<MattermostStep>(14).text, "MEP done");
}

TEST_F(FullScenario, TrafficSteps) {
  // http (JSON body typed from YAML, expectations), sessions, load start and stop.
  const auto& post = body<HttpStep>(15);
  EXPECT_EQ(post.as, UserClass::admin);
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.path, "/bo/signalements");
  EXPECT_EQ(post.app, "histologe");
  EXPECT_EQ(*post.json,
            nlohmann::json::parse(
                R"({"id": 3, "tags": ["a", "7"], "ok": true, "none": null, "ratio": 0.5})"));
  EXPECT_EQ(post.headers.at("X-Trace"), "abc");
  EXPECT_EQ(post.expect.status, 302);
  EXPECT_EQ(post.expect.location, "/bo");
  EXPECT_EQ(post.expect.headers.at("X-A"), "b");
  EXPECT_EQ(post.expect.body_contains, std::vector<std::string>{"Maintenance"});
  EXPECT_EQ(post.expect.body_lacks, (std::vector<std::string>{"Error", "Exception"}));
  EXPECT_EQ(scenario_.steps[15].description, "http POST /bo/signalements as admin");
  const auto& get = body<HttpStep>(16);
  EXPECT_EQ(get.as, UserClass::partner);
  EXPECT_EQ(get.user, "partner-2");
  EXPECT_EQ(get.app, "histologe-staging");
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.form.at("q"), "x");
  const auto& sessions = body<SessionsStep>(17);
  EXPECT_EQ(sessions.cohort, "before-mep");
  EXPECT_EQ(sessions.as, UserClass::usager);
  EXPECT_EQ(sessions.count, 20);
  EXPECT_EQ(sessions.app, "histologe");
  const auto& start = std::get<LoadStart>(body<LoadStep>(20).action);
  EXPECT_EQ(start.name, "mix");
  EXPECT_EQ(start.app, "histologe");
  EXPECT_DOUBLE_EQ(start.rate_per_s, 50);
  EXPECT_DOUBLE_EQ(start.mix_percent.at(UserClass::anonymous), 70);
  EXPECT_DOUBLE_EQ(start.mix_percent.at(UserClass::admin), 30);
  EXPECT_EQ(start.duration, Duration(10s));
  EXPECT_EQ(std::get<LoadStop>(body<LoadStep>(21).action).name, "mix");
}

TEST_F(FullScenario, TimeAndFaultSteps) {
  // wait, wait_until (one expectation and a timeout), and each fault.
  EXPECT_EQ(body<WaitStep>(18).duration, Duration(90min));
  EXPECT_EQ(scenario_.steps[18].description, "wait 1h30m");
  const auto& until = body<WaitUntilStep>(19);
  EXPECT_EQ(until.timeout, Duration(30min));
  EXPECT_EQ(until.condition.kind, "deployment");
  EXPECT_EQ(until.condition.pos.str(), "full.yaml:36:18");
  EXPECT_EQ(std::get<DeploymentExpect>(until.condition.value).status, "success");
  EXPECT_EQ(scenario_.steps[19].description,
            "wait until deployment histologe status=success (timeout 30m)");
  const auto& kill = std::get<KillContainer>(body<FaultStep>(22).action);
  EXPECT_EQ(kill.app, "histologe");
  EXPECT_EQ(kill.container, "web-1");
  const auto& stop = std::get<DatastoreFault>(body<FaultStep>(23).action);
  EXPECT_EQ(stop.server, "redis");
  EXPECT_FALSE(stop.start);
  EXPECT_TRUE(std::get<DatastoreFault>(body<FaultStep>(24).action).start);
  const auto& chaos = std::get<ChaosFault>(body<FaultStep>(25).action);
  EXPECT_EQ(chaos.fake, "sentry");
  EXPECT_EQ(chaos.settings, nlohmann::json::parse(R"({"error_rate": 0.5, "status": 503})"));
}

TEST_F(FullScenario, PlatformExpectations) {
  // deployment, app, variables, containers, mysql, redis: fields and count ranges.
  const auto& kinds = body<ExpectStep>(26).expectations;
  ASSERT_EQ(kinds.size(), 13u);
  EXPECT_EQ(kinds[0].kind, "deployment");
  EXPECT_EQ(kinds[0].pos.str(), "full.yaml:44:7");
  const auto& deployment = expectation<DeploymentExpect>(0);
  EXPECT_EQ(deployment.app, "histologe");
  EXPECT_EQ(deployment.version, "1.7.4");
  EXPECT_EQ(deployment.git_ref, "main");
  EXPECT_EQ(deployment.count->min, 1);
  EXPECT_FALSE(deployment.count->max.has_value());
  EXPECT_EQ(expectation<AppExpect>(1).exists, false);
  const auto& variables = expectation<VariablesExpect>(2);
  EXPECT_EQ(variables.set.at("MAINTENANCE_ENABLE"), "1");
  EXPECT_EQ(variables.in_effect.at("A"), "b");
  EXPECT_EQ(variables.not_in_effect, std::vector<std::string>{"B"});
  EXPECT_EQ(variables.absent, std::vector<std::string>{"C"});
  const auto& containers = expectation<ContainersExpect>(3);
  EXPECT_EQ(containers.type, "web");
  EXPECT_EQ(containers.count->str(), "2");
  EXPECT_EQ(containers.healthy->str(), "1..2");
  EXPECT_EQ(expectation<MysqlExpect>(8).query, "SELECT COUNT(*) FROM signalement");
  EXPECT_EQ(expectation<MysqlExpect>(8).equals, "3");
  EXPECT_EQ(expectation<RedisExpect>(9).pattern, "sf_s*");
  EXPECT_EQ(expectation<RedisExpect>(9).keys.str(), "≥ 1");
}

TEST_F(FullScenario, ServiceExpectations) {
  // sentry, github, mattermost, mail, sessions, load, violations.
  const auto& sentry = expectation<SentryExpect>(4);
  EXPECT_EQ(sentry.release, "1.7.4");
  EXPECT_EQ(sentry.window, Duration(2h));
  EXPECT_EQ(sentry.new_issues.str(), "0");
  EXPECT_EQ(sentry.title_contains, "Redis");
  const auto& github = expectation<GithubExpect>(5);
  EXPECT_EQ(github.pull_request->number, 1141);
  EXPECT_EQ(github.pull_request->state, "closed");
  EXPECT_EQ(github.pull_request->merged, false);
  EXPECT_EQ(github.tag, "1.7.4");
  EXPECT_EQ(github.release->body_contains, std::vector<std::string>{"Nouveautés"});
  EXPECT_EQ(github.milestone->closed_issues->str(), "≥ 1");
  EXPECT_EQ(github.ci, (std::pair<std::string, std::string>{"main", "success"}));
  EXPECT_EQ(body<ExpectStep>(26).expectations[6].kind, "mattermost");
  EXPECT_EQ(expectation<MessagesExpect>(6).contains, "1.7.4");
  EXPECT_FALSE(expectation<MessagesExpect>(6).to.has_value());
  EXPECT_EQ(body<ExpectStep>(26).expectations[7].kind, "mail");
  EXPECT_EQ(expectation<MessagesExpect>(7).count.str(), "≤ 3");
  EXPECT_EQ(expectation<MessagesExpect>(7).to, "admin@example.org");
  EXPECT_EQ(expectation<SessionsExpect>(10).logged_in.str(), "20");
  const auto& load = expectation<LoadExpect>(11);
  EXPECT_EQ(load.p99_ms_max, 250);
  EXPECT_EQ(load.error_rate_max, 0.01);
  EXPECT_EQ(load.lost_writes_max, 0);
  EXPECT_EQ(load.requests_min, 100);
  EXPECT_EQ(load.writes_accepted_min, 3);
  EXPECT_EQ(load.phase_requests_min, 40);
  EXPECT_EQ(load.toggles_effective_min, 6);
  EXPECT_EQ(load.admin_session_retention_min, 1.0);
  EXPECT_EQ(load.non_admin_logouts_min, 1);
  EXPECT_EQ(load.non_admin_relogins_min, 2);
  EXPECT_EQ(expectation<ViolationsExpect>(12).absent, std::vector<std::string>{"R1-ci-gate"});
}

TEST(ScenarioParser, ReportsEveryMistakeOfAFileAtOnce) {
  // Nine different mistakes: all reported in file order, each at its exact line:col.
  const auto errors = errors_of(R"(name: Bad_Name
description: nine mistakes
seed: -3
steps:
  - gti: merge develop
  - wait: 90
  - sessions: {cohort: c, count: many}
  - scalingo: "-a histologe env-set 'A=b"
  - load: {start: {name: m, mix: {anonymous: 70, admin: 20}}}
  - expect: {violations: {present: [R99-nope]}, timeout: 5m}
  - http: {path: /, colour: red}
)");
  const std::vector<std::string> positions = {"1:7",  "3:7",  "5:5",   "6:11",  "7:34",
                                              "8:15", "9:34", "10:37", "10:49", "11:21"};
  ASSERT_EQ(errors.size(), positions.size()) << ::testing::PrintToString(errors);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].substr(0, errors[i].find(": ")), positions[i]) << errors[i];
  }
  EXPECT_NE(errors[0].find("scenario name 'Bad_Name'"), std::string::npos);
  EXPECT_NE(errors[1].find("'seed' must be a whole number"), std::string::npos);
  EXPECT_NE(errors[2].find("unknown step kind 'gti'"), std::string::npos);
  EXPECT_NE(errors[3].find("bad duration '90'"), std::string::npos);
  EXPECT_NE(errors[4].find("'count' must be a whole number, not 'many'"), std::string::npos);
  EXPECT_NE(errors[5].find("unterminated single quote"), std::string::npos);
  EXPECT_NE(errors[6].find("sum to 90, not 100"), std::string::npos);
  EXPECT_NE(errors[7].find("unknown rule id 'R99-nope'"), std::string::npos);
  EXPECT_NE(errors[8].find("unknown key 'timeout' in expect step"), std::string::npos);
  EXPECT_NE(errors[9].find("unknown key 'colour' in http step"), std::string::npos);
}

TEST(ScenarioParser, FileErrorsNameTheFile) {
  // ParseError::str is file:line:col: message.
  const auto outcome = parse_scenario(with_steps("  - wait: soon\n"), "scenarios/mep.yaml");
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(
      outcome.errors[0].str().rfind("scenarios/mep.yaml:4:11: 'wait': bad duration 'soon'", 0), 0u)
      << outcome.errors[0].str();
}

TEST(ScenarioParserErrors, UnknownKeyAtItsPosition) {
  // A misspelt key is reported where it is written, with the keys that would be read.
  const auto errors =
      errors_of(with_steps("  - expect: {deployment: {app: h, status: ok, verison: 1}}\n"));
  EXPECT_TRUE(one_error(errors, "4:47", "unknown key 'verison' in deployment expectation"));
  EXPECT_NE(errors[0].find("known: app, status, version, git_ref, count"), std::string::npos);
  EXPECT_TRUE(one_error(errors_of("name: t\ndescription: d\nstep: []\nsteps: [wait: 1s]\n"), "3:1",
                        "unknown key 'step' in scenario"));
}

TEST(ScenarioParserErrors, UnknownStepKind) {
  // A key that is no step kind, and a step with two kinds or none.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - deploy: now\n")), "4:5",
                        "unknown step kind 'deploy' (known: git, write_file"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - wait: 1s\n    git: status\n")), "5:5",
                        "one step kind per step: 'git' follows 'wait'"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - desc: nothing to do\n")), "4:5",
                        "a step needs a step kind"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  -\n  - wait: 1s\n")), "4:3", "empty step"));
}

TEST(ScenarioParserErrors, WrongType) {
  // A value of the wrong shape or type is reported at the value.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - sessions: {cohort: c, count: many}\n")), "4:34",
                        "'count' must be a whole number, not 'many'"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {app: {app: h, exists: maybe}}\n")),
                        "4:36", "'exists' must be true or false"));
  EXPECT_TRUE(one_error(errors_of("name: t\ndescription: d\ntags: mep\nsteps: [wait: 1s]\n"), "3:7",
                        "'tags' must be a list"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - http: {as: robot}\n")), "4:16",
                        "'as' must be one of anonymous, usager, partner, admin, api, not 'robot'"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - ci: {branch: main, result: green}\n")), "4:32",
                        "'result' must be one of success, failure, default"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - http: {method: FETCH}\n")), "4:20",
                        "'method' must be one of GET, POST"));
}

TEST(ScenarioParserErrors, MissingRequiredKey) {
  // Required keys missing are reported at the map that lacks them; expectations need `app`.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {deployment: {status: success}}\n")),
                        "4:26", "deployment expectation needs 'app'"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - wait_until: {app: {app: h, exists: false}}\n")),
                        "4:17", "wait_until step needs 'timeout'"));
  const auto header = errors_of("seed: 1\n");
  ASSERT_EQ(header.size(), 3u) << ::testing::PrintToString(header);
  EXPECT_EQ(header[0], "1:1: scenario needs 'name'");
  EXPECT_EQ(header[1], "1:1: scenario needs 'description'");
  EXPECT_EQ(header[2], "1:1: scenario needs 'steps'");
}

TEST(ScenarioParserErrors, UnreadOption) {
  // A key valid elsewhere but read by nobody here: mail's `to` under mattermost.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {mattermost: {count: 1, to: ops}}\n")),
                        "4:37", "unknown key 'to' in mattermost expectation: nothing reads it"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - load: {stop: mix, duration: 10s}\n")), "4:23",
                        "unknown key 'duration' in load step"));
}

TEST(ScenarioParserErrors, BadDuration) {
  // Units are required; unknown units and fractions are refused.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - wait: 90\n")), "4:11",
                        "bad duration '90': a unit is required"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - wait: 2 weeks\n")), "4:11", "bad duration"));
  EXPECT_TRUE(one_error(
      errors_of(with_steps("  - wait_until: {app: {app: h, exists: false}, timeout: 1.5h}\n")),
      "4:57", "'timeout': bad duration '1.5h': no fractions"));
  EXPECT_EQ(parse_duration("1h30m").value(), Duration(90min));
  EXPECT_EQ(parse_duration("500ms").value(), Duration(500ms));
  EXPECT_EQ(parse_duration("1d").value(), Duration(24h));
  EXPECT_EQ(parse_duration("90s").value(), Duration(90s));
  EXPECT_FALSE(parse_duration("-5m").ok());
  EXPECT_FALSE(parse_duration("m").ok());
  EXPECT_FALSE(parse_duration("1y").ok());
  EXPECT_EQ(format_duration(Duration(90min)), "1h30m");
  EXPECT_EQ(format_duration(Duration(1500ms)), "1s500ms");
}

TEST(ScenarioParserErrors, UnterminatedQuote) {
  // A command line with an open quote is reported at the value.
  EXPECT_TRUE(one_error(errors_of(with_steps("  - git: commit -m \"half\n")), "4:10",
                        "git command: unterminated double quote"));
  EXPECT_TRUE(
      one_error(errors_of(with_steps("  - scalingo: {command: \"env-set 'A=b\", exit: 1}\n")),
                "4:25", "scalingo command: unterminated single quote"));
  EXPECT_EQ(split_shell_words(R"(a "b c" 'd "e' f\ g "h\"i" '')").value(),
            (std::vector<std::string>{"a", "b c", "d \"e", "f g", "h\"i", ""}));
}

TEST(ScenarioParserErrors, OutOfRange) {
  // Mix not summing to 100, a negative rate, counts outside their bounds.
  EXPECT_TRUE(one_error(
      errors_of(with_steps("  - load: {start: {name: m, mix: {anonymous: 70, admin: 20}}}\n")),
      "4:34", "load mix shares sum to 90, not 100"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - load: {start: {name: m, rate: -5}}\n")), "4:35",
                        "'rate' must be between"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - sessions: {cohort: c, count: 1001}\n")), "4:34",
                        "'count' must be between 1 and 1000, not 1001"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {mail: {count: -1}}\n")), "4:28",
                        "'count' must be between 0 and"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {mail: {count: {min: 3, max: 1}}}\n")),
                        "4:28", "'count': min 3 is above max 1"));
}

TEST(ScenarioParserErrors, UnknownRuleId) {
  // Rule ids are checked in expect_violations, waive and violations expectations.
  EXPECT_TRUE(one_error(errors_of("name: t\ndescription: d\nexpect_violations: [R3-typo]\n"
                                  "steps: [wait: 1s]\n"),
                        "3:21", "unknown rule id 'R3-typo'"));
  EXPECT_TRUE(one_error(errors_of("name: t\ndescription: d\nwaive: [{rule: R12, reason: x}]\n"
                                  "steps: [wait: 1s]\n"),
                        "3:16", "unknown rule id 'R12'"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {violations: {absent: [R1]}}\n")), "4:36",
                        "unknown rule id 'R1'"));
}

TEST(ScenarioParserErrors, ExclusiveChoices) {
  // Exactly one of branch/commit, release_note/text, form/json; default CI result on a branch.
  EXPECT_TRUE(one_error(
      errors_of(with_steps("  - ci: {branch: main, commit: HEAD, result: success}\n")), "4:24",
      "ci step takes one of branch, commit: 'commit' after 'branch' is one too many"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - ci: {commit: HEAD, result: default}\n")), "4:32",
                        "a commit takes success or failure"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - mattermost: {}\n")), "4:17",
                        "mattermost step needs one of release_note, text"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - http: {form: {a: b}, json: {a: b}}\n")), "4:26",
                        "'form' or 'json', not both"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - write_file: {path: ../x, content: y}\n")), "4:24",
                        "must stay in the clone"));
}

TEST(ScenarioParserErrors, YamlSyntaxError) {
  // Broken YAML is one error at the place the YAML reader stopped.
  const auto errors = errors_of("name: t\nsteps: [a, b\ndescription: d\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].rfind("3:12: YAML syntax error:", 0), 0u) << errors[0];
  EXPECT_TRUE(one_error(errors_of(""), "1:1", "the file holds no scenario"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - wait: 1s\n---\nname: u\n")), "5:1",
                        "one scenario per file"));
  // yaml-cpp 0.7's LoadAll never returns on these (it piles up empty documents).
  EXPECT_TRUE(one_error(errors_of(","), "1:1", "YAML syntax error: unexpected ','"));
  EXPECT_TRUE(one_error(errors_of(", a\n"), "1:1", "YAML syntax error: unexpected ','"));
  EXPECT_TRUE(
      one_error(errors_of(with_steps("  - wait: 1s\n---\n,\n")), "5:1", "one scenario per file"));
  EXPECT_TRUE(one_error(errors_of("name: t\nname: u\ndescription: d\nsteps: [wait: 1s]\n"), "2:1",
                        "duplicate key 'name' (first at t.yaml:1:1)"));
}

TEST(ScenarioParserErrors, AliasesExpandingPastTheBound) {
  // Six lines of anchors stand for 10^6 values: one error where the count ran out, before
  // any reader walks them (the fuzzer found the JSON body of an http step filling 1 GiB).
  std::string bomb =
      "  - http: {method: POST, path: /x, json: {a0: &a0 [x, x, x, x, x, x, x, x, x, x]";
  for (int level = 1; level <= 5; ++level) {
    bomb += fmt::format(", a{}: &a{} [", level, level);
    for (int i = 0; i < 10; ++i) bomb += fmt::format("{}*a{}", i == 0 ? "" : ", ", level - 1);
    bomb += "]";
  }
  bomb += "}}\n";
  const auto errors = errors_of(with_steps(bomb));
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("more than 100000 values once its aliases are expanded"),
            std::string::npos)
      << errors[0];
  EXPECT_EQ(errors[0].rfind("4:", 0), 0u) << errors[0];

  // Deep nesting is bounded the same way.
  const std::string deep = std::string(80, '[') + std::string(80, ']');
  // The document is level 1, `steps` 2, the step 3, `http` 4, so the 61st '[' (column
  // 42 + 60) is level 65.
  EXPECT_TRUE(
      one_error(errors_of(with_steps("  - http: {method: POST, path: /x, json: " + deep + "}\n")),
                "4:102", "values nested deeper than 64 levels"));

  // Anchors used as intended still read.
  const auto outcome =
      parse_scenario(with_steps("  - wait: &pause 2s\n  - wait: *pause\n"), "t.yaml");
  ASSERT_TRUE(outcome.scenario) << outcome.errors[0].str();
  EXPECT_EQ(std::get<WaitStep>(outcome.scenario->steps[1].body).duration, 2s);
}

TEST(ScenarioParser, ConvergedExpectation) {
  // `converged` names its app, optionally a load and the error-free seconds (1..60, default
  // 3); a misspelt field or an out-of-range value is reported where it is written.
  const auto outcome = parse_scenario(
      with_steps("  - wait_until: {converged: {app: histologe, load: mix, error_free_s: 5}, "
                 "timeout: 60s}\n  - expect: {converged: {app: histologe}}\n"),
      "t.yaml");
  ASSERT_TRUE(outcome.scenario) << (outcome.errors.empty() ? "" : outcome.errors[0].str());
  const auto& wait = std::get<WaitUntilStep>(outcome.scenario->steps[0].body);
  const auto& converged = std::get<ConvergedExpect>(wait.condition.value);
  EXPECT_EQ(converged.app, "histologe");
  EXPECT_EQ(converged.load, "mix");
  EXPECT_EQ(converged.error_free_s, 5);
  EXPECT_EQ(wait.timeout, 60s);
  const auto& expect = std::get<ExpectStep>(outcome.scenario->steps[1].body);
  const auto& bare = std::get<ConvergedExpect>(expect.expectations[0].value);
  EXPECT_FALSE(bare.load.has_value());
  EXPECT_EQ(bare.error_free_s, 3);

  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {converged: {load: mix}}\n")), "4:25",
                        "converged expectation needs 'app'"));
  EXPECT_TRUE(
      one_error(errors_of(with_steps("  - expect: {converged: {app: h, error_free_s: 600}}\n")),
                "4:48", "'error_free_s' must be between 1 and 60, not 600"));
  EXPECT_TRUE(one_error(errors_of(with_steps("  - expect: {converged: {app: h, heal: yes}}\n")),
                        "4:34", "unknown key 'heal' in converged expectation"));
}

TEST(ScenarioParser, CountRangeAndRuleIds) {
  // CountRange bounds and text; the procedure's eleven rule ids in order.
  EXPECT_TRUE((CountRange{1, 5}).contains(5));
  EXPECT_FALSE((CountRange{1, 5}).contains(0));
  EXPECT_TRUE((CountRange{std::nullopt, 2}).contains(-3));
  EXPECT_EQ((CountRange{std::nullopt, std::nullopt}).str(), "any");
  ASSERT_EQ(rule_ids().size(), 11u);
  EXPECT_EQ(rule_ids().front(), "R1-ci-gate");
  EXPECT_EQ(rule_ids().back(), "R11-sentry-watch");
  EXPECT_STREQ(to_string(UserClass::usager), "usager");
  EXPECT_EQ((SourcePos{"a.yaml", 3, 9}).str(), "a.yaml:3:9");
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(ScenarioFiles, ExpandsFoldersSortedSkippingProfiles) {
  // A folder gives its *.yaml / *.yml files sorted, without profiles/; files stay as given.
  auto scratch = ScratchDir::create("scenario_files_test");
  ASSERT_TRUE(scratch.ok());
  const auto root = scratch->path();
  for (const auto* name : {"b.yaml", "a.yml", "sub/c.yaml", "profiles/p.yaml", "notes.txt",
                           "sub/profiles/q.yaml", "z/y.yaml"}) {
    write(root / name, "x: 1\n");
  }
  const auto files = scenario_files({(root / "z/y.yaml").string(), root.string()});
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_EQ(*files, (std::vector<fs::path>{root / "z/y.yaml", root / "a.yml", root / "b.yaml",
                                           root / "sub/c.yaml", root / "z/y.yaml"}));
  const auto missing = scenario_files({(root / "nope").string()});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("no such file or folder"), std::string::npos);
}

// What a command printed on one stream.
struct Captured {
  Captured() : file(std::tmpfile()) {}
  ~Captured() { std::fclose(file); }
  Captured(const Captured&) = delete;
  Captured& operator=(const Captured&) = delete;
  std::string text() const {
    std::fflush(file);
    std::rewind(file);
    std::string out;
    char buffer[256];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) out.append(buffer, n);
    return out;
  }
  std::FILE* file;
};

TEST(MepsimCheck, CountsErrorsAndFiles) {
  // Errors of every file on err, then the summary; valid files alone give exit 0 on out.
  auto scratch = ScratchDir::create("mepsim_check_test");
  ASSERT_TRUE(scratch.ok());
  const auto root = scratch->path();
  write(root / "a.yaml", with_steps("  - wait: 1\n"));
  write(root / "b.yaml", "name: b\n");
  write(root / "c.yaml", with_steps("  - wait: 1s\n"));
  Captured out;
  Captured err;
  EXPECT_EQ(check_cli::run_check_with(CheckOptions{{root.string()}}, out.file, err.file), 2);
  EXPECT_EQ(out.text(), "");
  EXPECT_EQ(err.text(), (root / "a.yaml").string() +
                            ":4:11: 'wait': bad duration '1': a unit is required (ms, s, m, h, d) "
                            "(write e.g. 90s, 30m, 1h30m, 500ms, 1d)\n" +
                            (root / "b.yaml").string() + ":1:1: scenario needs 'description'\n" +
                            (root / "b.yaml").string() + ":1:1: scenario needs 'steps'\n" +
                            "mepsim: 3 error(s) in 2 file(s)\n");
  Captured valid_out;
  Captured valid_err;
  const CheckOptions valid{{(root / "c.yaml").string(), (root / "c.yaml").string()}};
  EXPECT_EQ(check_cli::run_check_with(valid, valid_out.file, valid_err.file), 0);
  EXPECT_EQ(valid_out.text(), "mepsim: 2 scenario(s) valid\n");
  EXPECT_EQ(valid_err.text(), "");
  Captured empty_out;
  Captured empty_err;
  fs::create_directories(root / "empty");
  const CheckOptions empty{{(root / "empty").string()}};
  EXPECT_EQ(check_cli::run_check_with(empty, empty_out.file, empty_err.file), 2);
  EXPECT_NE(empty_err.text().find("no scenario file"), std::string::npos);
}

TEST(MepsimCheck, ReportsEveryErrorAndExitsTwo) {
  // The built `mepsim check` prints each error as file:line:col, a summary, and exits 2.
  auto scratch = ScratchDir::create("mepsim_check_test");
  ASSERT_TRUE(scratch.ok());
  const auto bad = scratch->path() / "bad.yaml";
  const auto good = scratch->path() / "good.yaml";
  write(bad, with_steps("  - gti: merge\n  - wait: 90\n"));
  write(good, with_steps("  - wait: 2h\n"));
  const std::string binary = MEPSIM_BINARY;
  const auto failed = testing::run_shell(binary + " check " + scratch->path().string() + " 2>&1");
  EXPECT_EQ(failed.code, 2) << failed.output;
  EXPECT_NE(failed.output.find(bad.string() + ":4:5: unknown step kind 'gti'"), std::string::npos)
      << failed.output;
  EXPECT_NE(failed.output.find(bad.string() + ":5:11: 'wait': bad duration '90'"),
            std::string::npos)
      << failed.output;
  EXPECT_NE(failed.output.find("mepsim: 2 error(s) in 1 file(s)"), std::string::npos)
      << failed.output;
  const auto passed = testing::run_shell(binary + " check " + good.string() + " 2>&1");
  EXPECT_EQ(passed.code, 0) << passed.output;
  EXPECT_EQ(passed.output, "mepsim: 1 scenario(s) valid\n");
  const auto missing =
      testing::run_shell(binary + " check " + (scratch->path() / "nope").string() + " 2>&1");
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("no such file or folder"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace mepsim::scenario
