// The secrets of a run never reach what it leaves for people to read. A short scenario
// run end to end with its three reports, then the same secrets (same seed) in a running
// `mepsim up` used by real clients: every token, key, password, DSN key, hook id and the
// session and remember-me cookies issued are searched for in the reports, the console,
// the containers' logs, the fakes' journals and listings, the event timeline (rehearsal
// report), the dashboard and the env-file printout.

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "fakes/common/hmac.h"
#include "tests/integration/process_tree.h"
#include "tests/integration/security_secrets_support.h"
#include "tests/integration/security_up_fixture.h"

namespace mepsim::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SecuritySecrets : public SecurityUp {};

TEST_F(SecuritySecrets, NoSecretInARunsReportsConsoleOrJournals) {
  // Goal: a CI artefact or a shared screen never hands out a credential of the run.
  auto dir = ScratchDir::create("mepsim-security-run");
  ASSERT_TRUE(dir.ok());
  const fs::path scenario = dir->path() / "secrets-stay-out.yaml";
  std::ofstream(scenario) << kSecretsScenarioYaml;
  const fs::path json_path = dir->path() / "run.json", html = dir->path() / "run.html",
                 junit = dir->path() / "junit.xml";
  // At 600 times real time its `wait: 30m` lasts 3 s: time to see the sessions it opened
  // just before, which the end of the run takes away with its Redis.
  MepsimProcess run({"run", scenario.string(), "--seed", std::to_string(kRunSeed), "--time-scale",
                     "600", "--json", json_path.string(), "--html", html.string(), "--junit",
                     junit.string()});
  // While it runs: its containers' environments, and the sessions its users open.
  RunObservation seen;
  std::optional<ExitStatus> exit;
  while (!(exit = run.process().poll_exit())) {
    seen.observe(process_tree(run.process().pid()));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const json report = json::parse(read_text(json_path), nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.output();
  const json& scenario_report = report["scenarios"][0];
  // The scenario ends on a failing `scalingo env`, so that every variable is in its report.
  EXPECT_EQ(exit->code, 1) << run.output();
  EXPECT_NE(scenario_report.value("failure", "").find("output lacks"), std::string::npos)
      << scenario_report.dump(2);
  ASSERT_EQ(scenario_report.value("seed", std::uint64_t{0}), secrets_scenario_seed());
  ASSERT_FALSE(seen.environments.empty()) << "no web container of the run was seen";
  EXPECT_GE(seen.session_ids.size(), 3u) << "too few of the run's sessions were seen";

  // The up holds the run's secrets: the same seed drew them. Proved on what both show.
  SecretList secrets = secrets_of_env(env_);
  for (const auto& container : seen.environments) {
    const auto value = [&](const char* key) {
      const auto found = container.find(key);
      EXPECT_NE(found, container.end()) << key << " missing from a container's environment";
      return found == container.end() ? std::string() : found->second;
    };
    EXPECT_EQ(url_key(value("MAILER_DSN")), env_.at("BREVO_API_KEY"));
    EXPECT_EQ(url_key(value("DATABASE_URL")), url_key(env_.at("DATABASE_URL")));
    EXPECT_EQ(url_key(value("REDIS_URL")), url_key(env_.at("REDIS_URL")));
    EXPECT_TRUE(secrets.contains(url_key(value("SENTRY_DSN"))));
    add_env_secrets(secrets, container);
  }
  for (const auto& id : seen.session_ids) secrets.add("a session id of the run", id);

  SearchSpace run_outputs;
  run_outputs.add("the JSON report", read_text(json_path));
  run_outputs.add("the HTML report", read_text(html));
  run_outputs.add("the JUnit report", read_text(junit));
  run_outputs.add("mepsim run's console", run.output());
  expect_no_secret(run_outputs, secrets);

  // The same secrets under `mepsim up`, with real clients issuing cookies and tokens.
  const UpTraffic traffic = drive_up(env_);
  for (const auto& [what, value] : traffic.credentials) secrets.add(what, value);
  ASSERT_GE(traffic.credentials.size(), 5u);
  SearchSpace up_outputs = gather_up_outputs(env_, endpoint("logs"), env_file_, dir->path());
  up_outputs.add("mepsim up's console", up_->output());
  expect_no_secret(up_outputs, secrets);
}

}  // namespace
}  // namespace mepsim::testing
